"""North American dialing rules: what a dialed string means and which toll class it is in.

Accepted forms (a leading ``9`` "outside line" prefix is optional on all external forms):
- ``NXXNXXXXXX`` (10 digits)              → local
- ``1NXXNXXXXXX`` / ``+1NXXNXXXXXX``       → long distance (toll-free 8XX area codes are free)
- ``011…`` / ``+…`` (not +1), 7–15 digits  → international
- ``911`` (also ``9911``)                  → emergency, always allowed, never anonymous
- ``211 311 511 611 711 811``              → public services, always allowed
- ``411`` (billed directory assistance)    → long distance
Anything else is not a valid external number. What goes to the carrier: NANP numbers as
11 digits (``1NXXNXXXXXX``), international as ``011`` + the number, services as dialed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

LOCAL = "local"
LONG_DISTANCE = "long_distance"
INTERNATIONAL = "international"
TOLL_FREE = "toll_free"
EMERGENCY = "emergency"
SERVICE = "service"
ALWAYS_ALLOWED = (TOLL_FREE, EMERGENCY, SERVICE, LOCAL)

_NANP = re.compile(r"^[2-9]\d{2}[2-9]\d{6}$")
_TOLL_FREE_AREAS = {"800", "833", "844", "855", "866", "877", "888"}
_FREE_SERVICES = {"211", "311", "511", "611", "711", "811"}


@dataclass(frozen=True)
class Dialed:
    toll_class: str
    carrier_number: str  # what the gateway is asked to dial

    @property
    def display(self) -> str:
        return self.carrier_number


def _nanp(ten: str, long_distance: bool) -> Dialed:
    if ten[:3] in _TOLL_FREE_AREAS:
        return Dialed(TOLL_FREE, "1" + ten)
    return Dialed(LONG_DISTANCE if long_distance else LOCAL, "1" + ten)


def _classify(digits: str) -> Dialed | None:
    if digits == "911":
        return Dialed(EMERGENCY, "911")
    if digits in _FREE_SERVICES:
        return Dialed(SERVICE, digits)
    if digits == "411":
        return Dialed(LONG_DISTANCE, digits)
    if _NANP.match(digits):
        return _nanp(digits, long_distance=False)
    if len(digits) == 11 and digits[0] == "1" and _NANP.match(digits[1:]):
        return _nanp(digits[1:], long_distance=True)
    if digits.startswith("011") and 7 <= len(digits) - 3 <= 15 and digits[3] != "1":
        return Dialed(INTERNATIONAL, digits)
    return None


def classify(dialed: str) -> Dialed | None:
    """The meaning of an external dial string, or None when it is not a number we can place."""
    text = dialed.strip()
    if text.startswith("+"):
        rest = text[1:]
        if not rest.isdigit():
            return None
        return _classify(rest if rest.startswith("1") else "011" + rest)
    if not text.isdigit():
        return None
    found = _classify(text)
    if found is None and text.startswith("9") and len(text) > 3:
        found = _classify(text[1:])  # the optional "9" for an outside line
    return found


def looks_external(dialed: str) -> bool:
    return classify(dialed) is not None
