"""Ended conferences (CONF-7): occurrences someone joined, with each caller's join and leave
times; the audio recording kept :data:`RECORDING_DAYS` days, then deleted by :func:`expire_recordings`
(the row stays: the history outlives the audio).

An occurrence exists only once a caller joined (events.py creates it with the room), so "a room
nobody joined does not appear" holds by construction; the query still asks for one joined caller
(an occurrence whose only member never got past mod_conference's join is not history).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import sqlalchemy as sa

from ..db import db
from ..errors import NotFound
from ..models import Account, Conference, ConferenceAttendance, ConferenceSession
from ..models._columns import as_utc
from . import rules

log = logging.getLogger("pbx.conferences")
RECORDING_DAYS = 7
RECORDING_KEPT = timedelta(days=RECORDING_DAYS)


@dataclass(frozen=True)
class Attendee:
    name: str
    caller_number: str
    role: str
    joined_at: datetime
    left_at: datetime | None


@dataclass(frozen=True)
class Occurrence:
    id: int
    room_id: int
    title: str
    room_number: str
    started_at: datetime
    ended_at: datetime
    recording_path: str | None
    recording_expires_at: datetime
    attendees: tuple[Attendee, ...]
    timezone: str  # the room's: pages show times as the admin planned them, not in UTC

    @property
    def duration_seconds(self) -> int:
        return int((self.ended_at - self.started_at).total_seconds())

    def local(self, value: datetime | None) -> datetime | None:
        """``value`` (UTC) on the room's wall clock."""
        return rules.wall_clock(value, self.timezone) if value is not None else None


def _joined():
    return sa.select(ConferenceAttendance.session_id).where(ConferenceAttendance.joined_at.is_not(None))


def _attendees(session_id: int) -> tuple[Attendee, ...]:
    rows = db.session.scalars(sa.select(ConferenceAttendance).where(
        ConferenceAttendance.session_id == session_id, ConferenceAttendance.joined_at.is_not(None))
        .order_by(ConferenceAttendance.joined_at, ConferenceAttendance.id))
    return tuple(Attendee(r.name or r.caller_number, r.caller_number, r.role, as_utc(r.joined_at), as_utc(r.left_at))
                 for r in rows)


def _occurrence(session: ConferenceSession, room: Conference) -> Occurrence:
    ended = as_utc(session.ended_at)
    return Occurrence(session.id, room.id, room.title, room.room_number, as_utc(session.started_at), ended,
                      session.recording_path, ended + RECORDING_KEPT, _attendees(session.id), room.timezone)


def ended(account: Account, room_id: int | None = None) -> list[Occurrence]:
    """The account's ended occurrences that had participants, newest first (one room's with ``room_id``)."""
    query = (sa.select(ConferenceSession, Conference).join(Conference, Conference.id == ConferenceSession.conference_id)
             .where(Conference.account_id == account.id, ConferenceSession.ended_at.is_not(None),
                    ConferenceSession.id.in_(_joined()))
             .order_by(ConferenceSession.started_at.desc(), ConferenceSession.id.desc()))
    if room_id is not None:
        query = query.where(Conference.id == room_id)
    return [_occurrence(session, room) for session, room in db.session.execute(query).all()]


def occurrence(account: Account | None, session_id: int) -> Occurrence:
    """One ended occurrence of ``account`` (None: the report email, which has no tenant view)."""
    query = (sa.select(ConferenceSession, Conference).join(Conference, Conference.id == ConferenceSession.conference_id)
             .where(ConferenceSession.id == session_id, ConferenceSession.ended_at.is_not(None),
                    ConferenceSession.id.in_(_joined())))
    if account is not None:
        query = query.where(Conference.account_id == account.id)
    found = db.session.execute(query).first()
    if found is None:
        raise NotFound("conference history not found")
    return _occurrence(*found)


def expire_recordings(local_path: Callable[[str], Path | None], now: datetime | None = None) -> int:
    """Delete the recordings of occurrences that ended more than 7 days ago (files and paths);
    returns how many. ``local_path`` maps FreeSWITCH's path to this host's (voicemail Storage)."""
    cutoff = (now or datetime.now(timezone.utc)) - RECORDING_KEPT
    sessions = db.session.scalars(sa.select(ConferenceSession).where(
        ConferenceSession.ended_at < cutoff, ConferenceSession.recording_path.is_not(None))).all()
    for session in sessions:
        path = local_path(session.recording_path)
        if path is not None:
            path.unlink(missing_ok=True)
        session.recording_path = None
    db.session.commit()
    if sessions:
        log.info("conference recordings expired count=%d", len(sessions))
    return len(sessions)


def recording_file(account: Account, found: Occurrence, local_path: Callable[[str], Path | None]) -> Path:
    """The recording on this host, only from the account's own conference folder and only
    while it is kept; else NotFound."""
    path = local_path(found.recording_path) if found.recording_path else None
    if path is None or path.parent.parts[-2:] != (account.sip_domain, "conferences") or not path.is_file():
        raise NotFound("no recording (none made, or deleted after 7 days)")
    return path


def run_retention_loop(app, local_path: Callable[[str], Path | None], sleep: Callable[[float], None],
                       interval: float = 3600.0) -> None:
    """Hourly, delete the recordings past 7 days (``pbx run``). Several processes may run it:
    deleting the same file twice is harmless."""
    while True:
        try:
            with app.app_context():
                expire_recordings(local_path)
        except Exception:
            log.exception("conference recording retention failed")
        sleep(interval)
