"""The numbering plan of an account: which extension numbers exist, which are reserved.

One table holds every number a feature code or a public service owns, so extension creation,
mailbox creation and the dialplan all refuse or route the same numbers.
"""
from __future__ import annotations

import re

EXTENSION_PATTERN = re.compile(r"^[1-9][0-9]{1,4}$")  # 2-5 digits; 0 is the operator/011 prefix
VOICEMAIL_ACCESS = "8500"
PARK = "700"
PARK_SLOTS = tuple(str(n) for n in range(701, 710))
CONFERENCE_ACCESS = "8300"
CLOSURE_RECORDING = "8400"

# Calls from the carrier arrive in this dialplan context; the first request of such a call marks
# the channel with its number (our re-entries: menu keys, forwards, transfers).
PUBLIC_CONTEXT = "public"
NUMBER_VARIABLE = "pbx_number_id"

# N11 service codes of the North American plan (911 emergency, 311 city, 511 traffic…).
_N11 = {f"{n}11": "public service" for n in range(2, 10)}

RESERVED: dict[str, str] = {
    **_N11,
    VOICEMAIL_ACCESS: "voicemail access",
    PARK: "call park",
    **{slot: "call park slot" for slot in PARK_SLOTS},
    CONFERENCE_ACCESS: "conference access",
    CLOSURE_RECORDING: "closure message recording",
}


def extension_number_problem(number: str) -> str | None:
    """Why this number cannot be an extension, or None when it can."""
    if not EXTENSION_PATTERN.match(number or ""):
        return "invalid extension: use 2 to 5 digits, not starting with 0"
    if number in RESERVED:
        return f"invalid extension: {number} is reserved for {RESERVED[number]}"
    return None


def suggest(used: set[str], count: int = 5, start: int = 100) -> list[str]:
    """The next free numbers after the highest used 3-digit-or-more number (or from ``start``)."""
    numeric = [int(n) for n in used if n.isdigit() and len(n) >= 3]
    candidate = max([start - 1, *numeric]) + 1
    found: list[str] = []
    while len(found) < count and candidate < 100000:
        text = str(candidate)
        if text not in used and extension_number_problem(text) is None:
            found.append(text)
        candidate += 1
    if len(found) < count:  # the top is full: fill holes from the start
        candidate = start
        while len(found) < count and candidate < 100000:
            text = str(candidate)
            if text not in used and text not in found and extension_number_problem(text) is None:
                found.append(text)
            candidate += 1
    return found


_NANP = re.compile(r"^1?([2-9](?!11)\d{2}[2-9](?!11)\d{2}\d{4})$")
_SEPARATORS = re.compile(r"[\s().-]")


def nanp_e164(text: str | None) -> str | None:
    """``+1NXXNXXXXXX`` for a North American number written with or without +1 and
    separators; None for anything else (short codes, international, letters)."""
    digits = _SEPARATORS.sub("", text or "")
    if digits.startswith("+"):
        if not digits.startswith("+1"):
            return None
        digits = digits[1:]
    found = _NANP.match(digits) if digits.isdigit() else None
    return f"+1{found.group(1)}" if found else None
