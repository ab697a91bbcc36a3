"""Plain data the phone entry works with (no database): a room as the entry sees it, and who a
code lets in."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Set on a channel the room expects (let in by the entry, or called out): its hangup event
# then closes an attendance that never joined (events.leg_ended) -- other calls are not looked up.
EXPECTED_VARIABLE = "pbx_conf_expected"


@dataclass(frozen=True)
class RoomEntry:
    id: int
    number: str
    name: str  # mod_conference room name (queries.fs_name)
    kind: str
    starts_at: datetime | None
    duration_minutes: int
    language: str
    announce: bool = False  # record the caller's name on entry (names.py)


@dataclass(frozen=True)
class Admission:
    role: str  # admin | participant
    participant_id: int | None = None
    name: str = ""
