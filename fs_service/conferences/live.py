"""The control widget's data and commands (CONF-6): who is in a room now (name, role, talking,
muted, held — kept by events.py from the switch's events) and mute / unmute / kick of one of
them, sent to the node hosting the room (esl_handlers.conference_control)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa

from ..db import db
from ..errors import Conflict, NotFound
from ..models import Conference, ConferenceAttendance, ConferenceSession
from .queries import fs_name, room_domain
from .rooms import list_participants

ACTIONS = ("mute", "unmute", "kick")


@dataclass(frozen=True)
class MemberCommand:
    node: str
    name: str  # mod_conference room
    member_id: int
    action: str  # mute | unmute | kick
    domain: str


def _open_session(room: Conference) -> ConferenceSession | None:
    return db.session.scalar(sa.select(ConferenceSession).where(
        ConferenceSession.conference_id == room.id, ConferenceSession.ended_at.is_(None))
        .order_by(ConferenceSession.id.desc()).limit(1))


def members(room: Conference) -> list[ConferenceAttendance]:
    """Who is connected now (empty when the room is not running)."""
    session = _open_session(room)
    if session is None:
        return []
    return list(db.session.scalars(sa.select(ConferenceAttendance).where(
        ConferenceAttendance.session_id == session.id, ConferenceAttendance.joined_at.is_not(None),
        ConferenceAttendance.left_at.is_(None)).order_by(ConferenceAttendance.joined_at)))


@dataclass(frozen=True)
class Connected:
    """One connected person as the widget shows them (plain values: outlives the session)."""
    id: int
    participant_id: int | None
    name: str
    caller_number: str
    role: str
    talking: bool
    muted: bool


@dataclass(frozen=True)
class Invited:
    id: int
    name: str
    email: str
    role: str
    language: str
    invited: bool
    connected: bool
    call: str = ""  # "" | "calling" (let in or called, not in the room yet) | "no_answer" (hung up before joining)


@dataclass(frozen=True)
class RoomView:
    """The widget's content: who is connected, and the invited people with a connected mark.
    ``fingerprint`` changes exactly when what the widget shows does (the stream's event id)."""
    members: tuple[Connected, ...]
    invited: tuple[Invited, ...]
    expires_next = None  # nothing in it changes by itself (the status stream's contract)

    def fingerprint(self) -> str:
        return hashlib.sha1(repr((self.members, self.invited)).encode()).hexdigest()[:16]


def _calls(room: Conference) -> dict[int, str]:
    """Invited participant id -> how their latest call stands when it never reached the room:
    "calling" (ringing, or saying their name) or "no_answer" (hung up first: events.leg_ended)."""
    latest = (sa.select(sa.func.max(ConferenceAttendance.id)).where(
        ConferenceAttendance.conference_id == room.id, ConferenceAttendance.participant_id.is_not(None))
        .group_by(ConferenceAttendance.participant_id))
    rows = db.session.execute(sa.select(ConferenceAttendance.participant_id, ConferenceAttendance.left_at).where(
        ConferenceAttendance.id.in_(latest), ConferenceAttendance.joined_at.is_(None)))
    return {pid: "no_answer" if left_at is not None else "calling" for pid, left_at in rows}


def room_view(room: Conference) -> RoomView:
    connected = [Connected(m.id, m.participant_id, m.name or "", m.caller_number or "", m.role, bool(m.talking),
                           bool(m.muted)) for m in members(room)]
    present = {m.participant_id for m in connected}
    calls = _calls(room)
    invited = [Invited(p.id, p.name, p.email, p.role, p.language, p.invited_at is not None, p.id in present,
                       calls.get(p.id, "")) for p in list_participants(room)]
    return RoomView(tuple(connected), tuple(invited))


def member_command(room: Conference, attendance_id: int, action: str) -> MemberCommand:
    session = _open_session(room)
    row = db.session.get(ConferenceAttendance, attendance_id)
    if session is None or row is None or row.session_id != session.id or row.left_at is not None:
        raise NotFound("participant not connected")
    if row.member_id is None or not session.node:
        raise Conflict("participant not yet in the room")
    domain = room_domain(room)
    return MemberCommand(session.node, fs_name(room.room_number, domain), row.member_id, action, domain)


@dataclass(frozen=True)
class RunningRoom:
    """A room with an occurrence in progress, and where: what a live option change acts on."""
    node: str
    name: str
    domain: str
    session_id: int


def running(room: Conference) -> RunningRoom | None:
    session = _open_session(room)
    if session is None or not session.node:
        return None
    domain = room_domain(room)
    return RunningRoom(session.node, fs_name(room.room_number, domain), domain, session.id)


def recording_started(session_id: int, path: str) -> None:
    """The occurrence now records into ``path`` (turned on while it runs); the caller commits."""
    session = db.session.get(ConferenceSession, session_id)
    if session is not None:
        session.recording_path = path
