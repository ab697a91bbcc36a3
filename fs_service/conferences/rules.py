"""Rules of a conference that need no database: when a room may be joined, when it must end.

CONF-1: a single-use room is joinable from :data:`EARLY_JOIN` before its start until its
planned end plus :data:`GRACE`; a permanent room always. CONF-5: no conference lasts more than
:data:`MAX_DURATION` (mod_conference has no such setting: the ESL side schedules the cut,
NOTES §4), with a warning prompt :data:`WARNING_BEFORE` the end.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EARLY_JOIN = timedelta(minutes=10)
GRACE = timedelta(minutes=15)
MAX_DURATION = timedelta(hours=3)
WARNING_BEFORE = timedelta(minutes=5)
DURATION_RANGE = (15, 180)  # minutes a single-use room may be planned for
OPEN, TOO_EARLY, ENDED = "open", "too_early", "ended"


@dataclass(frozen=True)
class RoomTimes:
    """What the window rules need of a room (a row or a test's plain values)."""
    kind: str
    starts_at: datetime | None
    duration_minutes: int


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def planned_end(room: RoomTimes) -> datetime | None:
    """Single-use: start + duration + grace (callers still in are then cut); permanent: None."""
    if room.kind != "single_use" or room.starts_at is None:
        return None
    return _utc(room.starts_at) + timedelta(minutes=room.duration_minutes) + GRACE


def entry_state(room: RoomTimes, now: datetime) -> str:
    """OPEN, TOO_EARLY (more than 10 min before the start) or ENDED (after the planned end)."""
    if room.kind != "single_use" or room.starts_at is None:
        return OPEN
    if now < _utc(room.starts_at) - EARLY_JOIN:
        return TOO_EARLY
    end = planned_end(room)
    return ENDED if end is not None and now >= end else OPEN


def seconds_left(room: RoomTimes, session_started: datetime, now: datetime) -> int:
    """Seconds until this occurrence must end: 3 h after it started, or the planned end of a
    single-use room if sooner (never below 0)."""
    end = _utc(session_started) + MAX_DURATION
    planned = planned_end(room)
    if planned is not None:
        end = min(end, planned)
    return max(0, int((end - now).total_seconds()))


def wall_clock(value: datetime, zone_name: str) -> datetime:
    """A stored (UTC) time as read in the room's time zone: how the admin typed the start, and
    how the pages show it back."""
    return _utc(value).astimezone(zone(zone_name) or timezone.utc)


def zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def duration_problem(kind: str, minutes: int) -> str | None:
    if kind == "single_use" and not DURATION_RANGE[0] <= minutes <= DURATION_RANGE[1]:
        return f"must be from {DURATION_RANGE[0]} to {DURATION_RANGE[1]} minutes (3 hours at most)"
    return None
