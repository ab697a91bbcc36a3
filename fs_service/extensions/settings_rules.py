"""The rules of extension settings that need the account (EXT-3, EXT-4, FWD-2, FMFM-1).

Each check reads the extension *as it would be after the change* (``Result``) so that a rule
spanning several fields ("both the caller ID name and number, or neither") is judged on the
final state, whatever subset of fields the request carried. Checks only collect problems;
nothing is written here, which is what lets a quick edit of many rows be all or nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Mapping, Sequence

import sqlalchemy as sa

from ..calls.dialing import EMERGENCY, SERVICE, classify, local_areas
from ..calls.outbound import toll_mode
from ..db import db
from ..models import Account, Extension, PhoneNumber

NOT_AN_EXTENSION = "choose an extension of this account or an external number"
SELF_FORWARD = "an extension cannot forward to itself"
EMERGENCY_TARGET = "emergency and service numbers cannot receive forwarded calls"
INVALID_NUMBER = "not a valid phone number"
NEEDS_CODE = "this extension may not call this number without an access code"
EXTERNAL_ONLY = "find-me/follow-me needs an external number"
FORWARD_REQUIRED = "required when call forwarding is on"
FMFM_REQUIRED = "required when find-me/follow-me is on"
CODE_REQUIRED = "required when calls need an access code"
BOTH_OR_NONE = "enter both the caller ID name and number, or neither"
NOT_OUR_NUMBER = "choose one of the account's numbers"
UNKNOWN_MOH = "choose one of the music on hold offered"
OUT_OF_RANGE = "must be from {low} to {high}"
ACCENT_WARNING = ("the outbound caller ID name has accents or special characters: "
                  "many carriers and phones do not show them")
FMFM_UNUSED_WARNING = "find-me/follow-me is not used while call forwarding is on"
FORWARD_BROKEN_WARNING = "call forwarding to this number will not work: access code needed"
# Where each warning belongs on a page: the field it is about.
WARNING_FIELDS = {ACCENT_WARNING: "outbound_caller_id_name", FMFM_UNUSED_WARNING: "fmfm_enabled",
                  FORWARD_BROKEN_WARNING: "forward_destination"}

RANGES = {"ring_seconds": (0, 300), "fmfm_ring_seconds": (0, 300), "fmfm_extra_attempts": (0, 5)}
Errors = dict[str, list[str]]
TOLL_FIELDS = (("long_distance", "long_distance_code"), ("international", "international_code"))


class Result:
    """The extension as it would read once ``changes`` are applied (no attribute is set)."""

    def __init__(self, ext: Extension, changes: Mapping[str, Any]) -> None:
        self._ext = ext
        self._changes = changes

    def __getattr__(self, name: str) -> Any:
        return self._changes[name] if name in self._changes else getattr(self._ext, name)


@dataclass
class AccountFacts:
    """What the rules look up in the account, loaded once per save (or per quick edit)."""
    account: Account
    moh_choices: Sequence[str]

    @cached_property
    def extension_numbers(self) -> set[str]:
        return set(db.session.scalars(sa.select(Extension.number).where(Extension.account_id == self.account.id)))

    @cached_property
    def phone_numbers(self) -> dict[str, int]:
        rows = db.session.execute(sa.select(PhoneNumber.e164, PhoneNumber.id)
                                  .where(PhoneNumber.account_id == self.account.id))
        return {e164: number_id for e164, number_id in rows}


def as_e164(text: str) -> str:
    """``5145550100``, ``15145550100`` and ``+15145550100`` all name the same NANP number."""
    digits = text.lstrip("+")
    if len(digits) == 10 and not text.startswith("+"):
        digits = "1" + digits
    return "+" + digits


def target_problem(facts: AccountFacts, result: Result, number: str, *, extension_ok: bool) -> str | None:
    """Why ``number`` cannot receive this extension's forwarded (or follow-me) calls.

    Up to 5 digits is an extension: the planner reads it so (callplan/context.py). An external
    number must be callable without an access code — nobody is there to type it (FWD-2)."""
    dialed = classify(number, local_areas(facts.phone_numbers))  # as the call plan will (AccountRouting)
    if dialed is not None and dialed.toll_class in (EMERGENCY, SERVICE):
        return EMERGENCY_TARGET
    if number.isdigit() and len(number) <= 5:
        if not extension_ok:
            return EXTERNAL_ONLY
        if number == result.number:
            return SELF_FORWARD
        return None if number in facts.extension_numbers else NOT_AN_EXTENSION
    if dialed is None:
        return INVALID_NUMBER
    return None if toll_mode(result, dialed.toll_class) == "unlimited" else NEEDS_CODE


def _problem(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def check_forward(facts: AccountFacts, r: Result, touched: set[str], errors: Errors,
                  warnings: list[str]) -> None:
    if r.forward_mode == "off":
        return
    if not r.forward_destination:
        if touched & {"forward_mode", "forward_destination"}:
            _problem(errors, "forward_destination", FORWARD_REQUIRED)
        return
    problem = target_problem(facts, r, r.forward_destination, extension_ok=True)
    if problem and touched & {"forward_mode", "forward_destination"}:
        _problem(errors, "forward_destination", problem)
    elif problem == NEEDS_CODE and touched & {"long_distance", "international"}:
        warnings.append(FORWARD_BROKEN_WARNING)  # an admin restricting tolls is not blocked by it


def check_follow_me(facts: AccountFacts, r: Result, touched: set[str], errors: Errors) -> None:
    fmfm_touched = any(name.startswith("fmfm_") for name in touched)
    if not r.fmfm_enabled or not fmfm_touched:
        return
    if not r.fmfm_number:
        _problem(errors, "fmfm_number", FMFM_REQUIRED)
        return
    problem = target_problem(facts, r, r.fmfm_number, extension_ok=False)
    if problem:
        _problem(errors, "fmfm_number", problem)


def check_access_codes(r: Result, touched: set[str], errors: Errors) -> None:
    for mode, code in TOLL_FIELDS:
        if touched & {mode, code} and getattr(r, mode) == "code" and not getattr(r, code):
            _problem(errors, code, CODE_REQUIRED)


def resolve_caller_id_number(facts: AccountFacts, changes: dict[str, Any], errors: Errors) -> None:
    """The API names the number as E.164 text; the column holds the id of an account number."""
    if "outbound_caller_id_number" not in changes:
        return
    text = changes.pop("outbound_caller_id_number")
    number_id = facts.phone_numbers.get(as_e164(text)) if text else None
    if text and number_id is None:
        _problem(errors, "outbound_caller_id_number", NOT_OUR_NUMBER)
        return
    changes["outbound_caller_id_number_id"] = number_id


def check_caller_id(r: Result, touched: set[str], errors: Errors) -> None:
    """EXT-4: the carrier gets both the name and the number, or the account's defaults."""
    if not touched & {"outbound_caller_id_name", "outbound_caller_id_number"}:
        return
    if "outbound_caller_id_number" in errors:
        return
    name, number = r.outbound_caller_id_name, r.outbound_caller_id_number_id
    if bool(name) != bool(number):
        _problem(errors, "outbound_caller_id_number" if name else "outbound_caller_id_name", BOTH_OR_NONE)


def check_values(facts: AccountFacts, ext: Extension, changes: Mapping[str, Any], errors: Errors) -> None:
    """Ranges (also in the schema: the core guards every caller) and the configured MOH classes."""
    for name, (low, high) in RANGES.items():
        if name in changes and not low <= changes[name] <= high:
            _problem(errors, name, OUT_OF_RANGE.format(low=low, high=high))
    moh = changes.get("music_on_hold")
    if moh is not None and moh != ext.music_on_hold and moh not in facts.moh_choices:
        _problem(errors, "music_on_hold", UNKNOWN_MOH)


def warnings_for(r: Result | Extension, *, as_admin: bool) -> list[str]:
    """Settings that are stored but will not do what one might expect."""
    found = []
    name = r.outbound_caller_id_name or ""
    if as_admin and any(not (c.isascii() and c.isprintable()) for c in name):
        found.append(ACCENT_WARNING)
    if r.fmfm_enabled and r.forward_mode != "off":
        found.append(FMFM_UNUSED_WARNING)  # FWD-3
    return found
