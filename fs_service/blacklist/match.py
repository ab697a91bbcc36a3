"""Blacklist matching as pure data: who is refused, and why (BL-1, BL-2).

The rules, as the guide states them and as administrators see them:

- Only the caller's *displayed* number counts. Anonymous, private, unavailable or missing
  numbers are never matched and always pass: a caller number that is not digits
  ("anonymous", "unknown", empty…), or whose display is withheld (SIP ``Privacy: id`` — which
  FreeSWITCH leaves in ``caller_id_number``, NOTES §7 — or Remote-Party-ID ``privacy=full``).
- A North American caller is compared in both its 10-digit and 11-digit forms, so the rule
  ``5149073400`` matches ``+15149073400`` and ``starts with 514`` matches ``1514…`` too.
- A **block** rule that matches refuses the call (block wins over allow). If the account has
  any **allow** rule, a caller matching none of them is refused.
- Refused calls are hung up before answer with ``CALL_REJECTED`` (Q.850 21), which mod_sofia
  sends as **SIP 603 Decline**: the carrier tells the caller the call was declined.

Cost does not grow with the number of rules: each kind is a set of digit strings, and a
caller number (at most ~15 digits) is looked up by its prefixes, suffixes and substrings of
the lengths some rule has: a few dozen set probes whether there are 10 rules or 100,000.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

MAX_CALLER_DIGITS = 32
HIDDEN_PRIVACY = ("id", "user", "header")


@dataclass(frozen=True)
class Rule:
    id: int
    action: str  # block | allow
    match: str  # equals | starts_with | ends_with | contains
    digits: str


@dataclass(frozen=True)
class Screening:
    allowed: bool
    rule_id: int | None
    reason: str


class _Patterns:
    """One action's rules: per match kind, digits → rule id, and the lengths present."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.by_kind: dict[str, dict[str, int]] = {k: {} for k in ("equals", "starts_with", "ends_with", "contains")}
        for rule in sorted(rules, key=lambda r: -r.id):  # on duplicates, the oldest rule is named
            self.by_kind[rule.match][rule.digits] = rule.id
        self.lengths = {kind: sorted({len(d) for d in table}) for kind, table in self.by_kind.items()}

    def __bool__(self) -> bool:
        return any(self.by_kind.values())

    def find(self, number: str) -> tuple[int, str] | None:
        """(rule id, match kind) of a rule matching ``number``, most exact kind first."""
        table, n = self.by_kind, len(number)
        if number in table["equals"]:
            return table["equals"][number], "equals"
        for size in self.lengths["starts_with"]:
            if size <= n and number[:size] in table["starts_with"]:
                return table["starts_with"][number[:size]], "starts_with"
        for size in self.lengths["ends_with"]:
            if size <= n and number[n - size:] in table["ends_with"]:
                return table["ends_with"][number[n - size:]], "ends_with"
        for size in self.lengths["contains"]:
            for start in range(n - size + 1):
                if number[start:start + size] in table["contains"]:
                    return table["contains"][number[start:start + size]], "contains"
        return None


class Matcher:
    """An account's compiled rules (built once per rules version, then shared by calls)."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        rules = list(rules)
        self.block = _Patterns(r for r in rules if r.action == "block")
        self.allow = _Patterns(r for r in rules if r.action == "allow")

    def screen(self, forms: tuple[str, ...] | None) -> Screening:
        if forms is None:
            return Screening(True, None, "caller number withheld or unavailable: never matched")
        for form in forms:
            if found := self.block.find(form):
                return Screening(False, found[0], f"blacklist: blocked by rule #{found[0]} ({found[1]})")
        if not self.allow:
            return Screening(True, None, "no blacklist rule matched")
        for form in forms:
            if found := self.allow.find(form):
                return Screening(True, found[0], f"allowed by rule #{found[0]} ({found[1]})")
        return Screening(False, None, "blacklist: allow rules exist and none matched")


def withheld(variables: Mapping[str, str]) -> bool:
    """The caller asked to hide their number (the number may still be in caller_id_number)."""
    if variables.get("pbx_privacy_hide_number") == "true":
        return True
    privacy = variables.get("sip_Privacy", "").lower()
    if any(token.strip() in HIDDEN_PRIVACY for token in privacy.replace(",", ";").split(";")):
        return True
    rpid = variables.get("sip_Remote-Party-ID", "").lower().replace(" ", "")
    return "privacy=full" in rpid or "privacy=uri" in rpid


def caller_forms(caller_number: str | None, variables: Mapping[str, str] | None = None) -> tuple[str, ...] | None:
    """The digit strings rules are compared with; None when the number is not to be matched."""
    if variables and withheld(variables):
        return None
    digits = (caller_number or "").strip()
    digits = digits[1:] if digits.startswith("+") else digits
    if not digits.isdigit() or not digits.isascii() or len(digits) > MAX_CALLER_DIGITS:
        return None
    if len(digits) == 11 and digits[0] == "1":
        return digits, digits[1:]
    if len(digits) == 10 and digits[0] in "23456789":
        return digits, "1" + digits
    return (digits,)
