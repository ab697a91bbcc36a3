"""Sub-dialogues every IVR needs, used with ``yield from`` so a dialogue reads top-down.

``choice = yield from menu(files, "12*")`` instead of a command and an event check each time.
"""
from __future__ import annotations

import re
from typing import Generator, Iterable

from .commands import Command, GetDigits, Play
from .events import Digits, Event, PlaybackDone

Sub = Generator[Command, Event, str]
NO_TERMINATOR = "none"  # no DTMF digit is in "none", whatever the FreeSWITCH version does with it


def play(files: Iterable[str], keys: str = "") -> Sub:
    """Play; returns the key (of ``keys``) that interrupted it, or ""."""
    event = yield Play(tuple(files), keys)
    return event.digit if isinstance(event, PlaybackDone) else ""


def ask(files: Iterable[str], min_digits: int = 1, max_digits: int = 1, *, timeout_ms: int = 5000,
        terminators: str = "#", regex: str = r"\d+", tries: int = 1, invalid_file: str = "") -> Sub:
    """Prompt and collect digits; returns them, or "" when nothing valid came."""
    event = yield GetDigits(tuple(files), min_digits, max_digits, timeout_ms, terminators, regex, tries,
                            invalid_file)
    return event.value if isinstance(event, Digits) else ""


def key_regex(keys: str) -> str:
    """A regex accepting exactly one of ``keys`` (``*`` and ``#`` included)."""
    return "^[" + "".join(re.escape(k) for k in keys) + "]$"


def menu(files: Iterable[str], keys: str, *, tries: int = 3, invalid_file: str = "",
         timeout_ms: int = 5000) -> Sub:
    """One key among ``keys``; FreeSWITCH replays the prompt (after ``invalid_file``) on a wrong
    key or silence, up to ``tries`` times. Returns "" when the caller never chose."""
    return (yield from ask(files, 1, 1, timeout_ms=timeout_ms, terminators=NO_TERMINATOR,
                           regex=key_regex(keys), tries=tries, invalid_file=invalid_file))
