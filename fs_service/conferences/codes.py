"""Room numbers and access codes (CONF-3): four digits each, drawn with ``secrets``.

A room number is unique across the platform (dial-in numbers may be shared by accounts); a code
is unique within its room (generic participant and admin codes and each invited participant's
own), so a code alone says who joined and with which role. Guessing is limited by the entry's
attempt counters (entry.py), not by the size of the space.
"""
from __future__ import annotations

import secrets
from typing import Callable, Iterable

DIGITS = 4
_ROOM_TRIES = 200


def random_code() -> str:
    return f"{secrets.randbelow(10 ** DIGITS):0{DIGITS}d}"


def new_room_number(taken: Callable[[str], bool]) -> str:
    """A free room number (1000–9999: no leading 0, which some phones strip); ``taken`` asks
    the database."""
    for _ in range(_ROOM_TRIES):
        number = str(1000 + secrets.randbelow(9000))
        if not taken(number):
            return number
    raise RuntimeError("no free conference room number")


def new_code(used: Iterable[str]) -> str:
    """A code of the room that none of ``used`` already is."""
    used = set(used)
    if len(used) >= 10 ** DIGITS:
        raise RuntimeError("every code of the room is used")
    while True:
        code = random_code()
        if code not in used:
            return code
