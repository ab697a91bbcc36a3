"""The planner's clock: business hours are decided at "now", which tests replace.

Plans never read the system time themselves; they ask :func:`now`, so a test can freeze the
instant (``set_clock(lambda: fixed)``) instead of sleeping or depending on the real time.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

Clock = Callable[[], datetime]


def _system() -> datetime:
    return datetime.now(timezone.utc)


_clock: Clock = _system


def now() -> datetime:
    return _clock()


def set_clock(clock: Clock | None) -> None:
    """Replace the clock (tests, benchmarks); None restores the system clock."""
    global _clock
    _clock = clock or _system
