"""North American dialing rules: what a dialed string means and which toll class it is in.

A number's class never depends on the form it is dialed in (issue 13): ``NXXNXXXXXX``,
``1NXXNXXXXXX`` and ``+1NXXNXXXXXX`` (each optionally after the ``9`` "outside line" prefix)
all name the same 10-digit NANP number, and that number is
- **toll free** when its area code is one of the 8XX toll-free codes;
- **local** when its area code is local to the account: the area code of one of the account's
  own numbers (DIDs), or an overlay of one (``514``/``438``/``263`` serve the same territory;
  :func:`local_areas`) — an account with no number has no local area;
- **long distance** otherwise.
Other forms:
- ``011…`` / ``+…`` (not +1), 7–15 digits  → international
- ``911`` (also ``9911``)                  → emergency, always allowed, never anonymous
- ``211 311 511 611 711 811``              → public services, always allowed
- ``411`` (billed directory assistance)    → long distance
Anything else is not a valid external number. What goes to the carrier: NANP numbers as
11 digits (``1NXXNXXXXXX``) whatever the form dialed, international as ``011`` + the number,
services as dialed. Calls (calls.outbound, with ``AccountRouting.local_areas``), forward
and follow-me targets (extensions.settings_rules) and faxes (fax.destinations) all classify here.

Local is decided per area code, not per exchange: a neighbouring area code that is a local call
from some exchanges (``450`` around Montréal) counts as long distance.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

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
NO_LOCAL_AREA: frozenset[str] = frozenset()

# Canadian area codes sharing one territory (overlays): a number in one is local to an account
# with a number in any other of its group. Some overlays span two territories (587 in 403 and
# 780, 778 in 604 and 250): they appear in both groups.
_OVERLAY_GROUPS = (
    {"514", "438", "263"}, {"450", "579", "354"}, {"418", "581", "367"}, {"819", "873", "468"},
    {"416", "647", "437", "942"}, {"905", "289", "365", "742"}, {"613", "343", "753"},
    {"519", "226", "548", "382"}, {"705", "249", "683"}, {"204", "431", "584"}, {"306", "639", "474"},
    {"403", "587", "825", "368"}, {"780", "587", "825", "368"}, {"604", "778", "236", "672"},
    {"250", "778", "236", "672", "257"}, {"506", "428"}, {"902", "782"}, {"709", "879"},
)
_OVERLAYS: dict[str, frozenset[str]] = {
    area: frozenset().union(*(group for group in _OVERLAY_GROUPS if area in group))
    for group in _OVERLAY_GROUPS for area in group}


@dataclass(frozen=True)
class Dialed:
    toll_class: str
    carrier_number: str  # what the gateway is asked to dial

    @property
    def display(self) -> str:
        return self.carrier_number


def nanp_number(digits: str) -> str | None:
    """The 10-digit NANP number named by ``NXXNXXXXXX``, ``1NXXNXXXXXX`` or ``+1NXXNXXXXXX``."""
    if digits.startswith("+1"):
        digits = digits[1:]
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    return digits if _NANP.match(digits) else None


def local_areas(numbers: Iterable[str | None]) -> frozenset[str]:
    """The area codes local to an account whose own numbers (E.164 or NANP digits) are these."""
    areas: set[str] = set()
    for number in numbers:
        ten = nanp_number(number or "")
        if ten is not None:
            areas |= _OVERLAYS.get(ten[:3], {ten[:3]})
    return frozenset(areas)


def _nanp(ten: str, local: frozenset[str]) -> Dialed:
    if ten[:3] in _TOLL_FREE_AREAS:
        return Dialed(TOLL_FREE, "1" + ten)
    return Dialed(LOCAL if ten[:3] in local else LONG_DISTANCE, "1" + ten)


def _classify(digits: str, local: frozenset[str]) -> Dialed | None:
    if digits == "911":
        return Dialed(EMERGENCY, "911")
    if digits in _FREE_SERVICES:
        return Dialed(SERVICE, digits)
    if digits == "411":
        return Dialed(LONG_DISTANCE, digits)
    ten = nanp_number(digits)
    if ten is not None:
        return _nanp(ten, local)
    if digits.startswith("011") and 7 <= len(digits) - 3 <= 15 and digits[3] != "1":
        return Dialed(INTERNATIONAL, digits)
    return None


def classify(dialed: str, local: frozenset[str] = NO_LOCAL_AREA) -> Dialed | None:
    """The meaning of an external dial string, or None when it is not a number we can place.

    ``local``: the account's local area codes (:func:`local_areas`); without them no NANP
    number is local (the safe side: long distance obeys the extension's toll class)."""
    text = dialed.strip()
    if text.startswith("+"):
        rest = text[1:]
        if not rest.isdigit():
            return None
        return _classify(rest if rest.startswith("1") else "011" + rest, local)
    if not text.isdigit():
        return None
    found = _classify(text, local)
    if found is None and text.startswith("9") and len(text) > 3:
        found = _classify(text[1:], local)  # the optional "9" for an outside line
    return found


def looks_external(dialed: str) -> bool:
    return classify(dialed) is not None
