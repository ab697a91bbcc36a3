"""The waiting room and the history from ``conference::maintenance`` events (CONF-4, CONF-5, CONF-7).

mod_conference's ``wait-mod`` only holds callers until the *first* moderator joins, and a
moderator leaving changes nothing (NOTES §4, §9.11). So we keep the room's state ourselves and
answer with room commands, sent to the node hosting the room (``hold`` / ``unhold`` work):

- a participant joins while no admin is there → ``hold <id>`` (wait-mod already plays music to
  the first ones, but no longer holds anyone once an admin came and went; the hold flag also
  shows in ``conference list`` and in the widget);
- the first admin joins while others wait → ``unhold all``;
- the last admin leaves while others stay → ``hold all`` (back to the waiting room);
- a member joins / leaves a room that announces them, others being there → their recorded name
  (names.py) then "has joined" / "has left" is played to the room (``conference <room> play``, queued in order);
- the room is created → the cut is scheduled on the switch itself (``sched_api``, grouped by the
  room's unique id so it dies with it): 3 h after the start or the single-use planned end, a
  warning :data:`rules.WARNING_BEFORE` earlier; recording starts when the room asks for it, and
  a second one feeds the web broadcast of a room that has it (broadcast.py).

Rows: one :class:`ConferenceSession` per occurrence (created with the room, so only occurrences
someone joined exist), one attendance per caller (the entry created it by channel uuid).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Mapping, Sequence

import sqlalchemy as sa

from ..audio_storage import discard_after_commit
from ..db import db
from ..models import Conference, ConferenceAttendance, ConferenceSession
from . import broadcast, names, rules
from .entry_model import EXPECTED_VARIABLE
from .queries import room_domain
from .report_mail import queue_report

SUBCLASS = "conference::maintenance"
_ACTIONS = frozenset({"conference-create", "conference-destroy", "add-member", "del-member", "start-talking",
                      "stop-talking", "mute-member", "unmute-member", "hold-member", "unhold-member",
                      "start-recording"})
_FLAGS = {"start-talking": ("talking", True), "stop-talking": ("talking", False),
          "mute-member": ("muted", True), "unmute-member": ("muted", False),
          "hold-member": ("held", True), "unhold-member": ("held", False)}


@dataclass(frozen=True)
class RoomEvent:
    action: str
    name: str  # Conference-Name: "<room number>-<domain>"
    room_uid: str  # Conference-Unique-ID
    member_id: int | None = None
    moderator: bool = False
    uuid: str = ""
    caller_number: str = ""
    caller_name: str = ""
    path: str = ""


@dataclass(frozen=True)
class RoomCommand:
    """What to ask the node hosting ``name``: hold / unhold (member id or "all"), record,
    play a file to the room, schedule the cut (``seconds``, ``group``) or drop the schedule
    (sched_del ``group``)."""
    verb: str  # hold | unhold | record | play | schedule_hangup | schedule_play | unschedule
    name: str
    target: str = ""
    seconds: int = 0
    group: str = ""


@dataclass(frozen=True)
class LegEnded:
    """A channel the room expected hung up (CHANNEL_HANGUP_COMPLETE): if it never joined, the
    called participant did not answer, or the caller left before entering (while saying
    their name, say)."""
    uuid: str
    cause: str = ""


def leg_ended(event: Mapping[str, str]) -> LegEnded | None:
    if event.get(f"variable_{EXPECTED_VARIABLE}") != "true" or not event.get("Unique-ID"):
        return None  # not a conference leg: no lookup for the other calls of the switch
    return LegEnded(event["Unique-ID"], event.get("Hangup-Cause") or "")


def maintenance(event: Mapping[str, str]) -> RoomEvent | None:
    """An ESL ``conference::maintenance`` event as plain data; None for actions we ignore."""
    action = event.get("Action") or ""
    if action not in _ACTIONS:
        return None
    member = event.get("Member-ID") or ""
    return RoomEvent(action, event.get("Conference-Name") or "", event.get("Conference-Unique-ID") or "",
                     int(member) if member.isdigit() else None, event.get("Member-Type") == "moderator",
                     event.get("Unique-ID") or "", event.get("Caller-Caller-ID-Number") or "",
                     event.get("Caller-Caller-ID-Name") or "", event.get("Path") or "")


def _room(name: str) -> Conference | None:
    number, dash, _ = name.partition("-")
    if not dash or not number.isdigit():
        return None  # not one of ours (a room name we never planned)
    return db.session.scalar(sa.select(Conference).where(Conference.room_number == number))


def _open_sessions(room_uids: set[str]) -> dict[str, ConferenceSession]:
    """The running occurrences a batch of events is about, read with one query: most rooms
    on a switch may not be ours, and talk events come many a second."""
    if not room_uids:
        return {}
    found = db.session.scalars(sa.select(ConferenceSession).where(
        ConferenceSession.fs_unique_id.in_(room_uids), ConferenceSession.ended_at.is_(None)))
    return {session.fs_unique_id: session for session in found}


def _present(session: ConferenceSession) -> list[ConferenceAttendance]:
    return list(db.session.scalars(sa.select(ConferenceAttendance).where(
        ConferenceAttendance.session_id == session.id, ConferenceAttendance.joined_at.is_not(None),
        ConferenceAttendance.left_at.is_(None))))


def _created(node: str, event: RoomEvent, now: datetime, recording_path: Callable[[Conference, int], str],
             running: dict[str, ConferenceSession]) -> list[RoomCommand]:
    room = _room(event.name)
    if room is None:
        return []
    session = ConferenceSession(conference_id=room.id, started_at=now, node=node, fs_unique_id=event.room_uid)
    running[event.room_uid] = session
    db.session.add(session)
    db.session.flush()
    left = rules.seconds_left(room, now, now)
    group = f"conf-{event.room_uid}"
    commands = [RoomCommand("schedule_hangup", event.name, seconds=left, group=group)]
    warn = left - int(rules.WARNING_BEFORE.total_seconds())
    if warn > 0:
        commands.append(RoomCommand("schedule_play", event.name, "pbx/conf-ending-soon.wav", warn, group))
    if room.record_audio:
        session.recording_path = recording_path(room, session.id)
        commands.append(RoomCommand("record", event.name, session.recording_path))
    if broadcast.broadcasts(room):  # a second recording, the one the web broadcast streams
        commands.append(RoomCommand("record", event.name, broadcast.live_file(event.name.partition("-")[2],
                                                                              session.id)))
    return commands


def _attendance(session: ConferenceSession, event: RoomEvent) -> ConferenceAttendance:
    """The row the entry made for this channel, or one from the event (a caller we did not
    plan, e.g. sent into the room by hand: its role is what the switch says)."""
    row = db.session.scalar(sa.select(ConferenceAttendance).where(
        ConferenceAttendance.uuid == event.uuid, ConferenceAttendance.conference_id == session.conference_id,
        ConferenceAttendance.joined_at.is_(None)).order_by(ConferenceAttendance.id.desc()).limit(1))
    if row is None:
        row = ConferenceAttendance(conference_id=session.conference_id, uuid=event.uuid,
                                   role="admin" if event.moderator else "participant")
        db.session.add(row)
    if not row.name:
        row.name = event.caller_name[:120]
    row.caller_number = row.caller_number or event.caller_number[:64]
    return row


def _announce(session: ConferenceSession, event: RoomEvent, prompt: str) -> list[RoomCommand]:
    """The member's recorded name then ``prompt``, played to the room when it announces them
    (read at each event: the option can be toggled while the room runs); nothing for a caller
    who recorded no name (silent, or sent into the room without our entry)."""
    if not db.session.get(Conference, session.conference_id).announce_members:
        return []
    recorded = names.recorded_name(event.name.partition("-")[2], event.uuid)
    if recorded is None:
        return []
    return [RoomCommand("play", event.name, recorded), RoomCommand("play", event.name, f"pbx/{prompt}.wav")]


def _joined(session: ConferenceSession, event: RoomEvent, now: datetime) -> list[RoomCommand]:
    commands = _waiting_room(session, event, now)
    return commands + (_announce(session, event, "conf-joined") if len(_present(session)) > 1 else [])


def _waiting_room(session: ConferenceSession, event: RoomEvent, now: datetime) -> list[RoomCommand]:
    row = _attendance(session, event)
    row.session_id, row.member_id, row.joined_at = session.id, event.member_id, now
    db.session.flush()
    present = _present(session)
    session.max_members = max(session.max_members, len(present))
    others = [a for a in present if a is not row]
    admins_there = any(a.role == "admin" for a in others)
    if row.role == "admin" and others and not admins_there:
        return [RoomCommand("unhold", event.name, "all")]  # harmless for those wait-mod held
    if row.role != "admin" and not admins_there:
        return [RoomCommand("hold", event.name, str(event.member_id))]
    return []


def _left(session: ConferenceSession, event: RoomEvent, now: datetime) -> list[RoomCommand]:
    row = db.session.scalar(sa.select(ConferenceAttendance).where(
        ConferenceAttendance.session_id == session.id, ConferenceAttendance.member_id == event.member_id,
        ConferenceAttendance.left_at.is_(None)))
    if row is None:
        return []
    row.left_at = now
    remaining = [a for a in _present(session) if a is not row]
    announced = _announce(session, event, "conf-left") if remaining else []
    if row.role == "admin" and remaining and not any(a.role == "admin" for a in remaining):
        return [RoomCommand("hold", event.name, "all"), *announced]
    return announced


def _flag(session: ConferenceSession, event: RoomEvent) -> None:
    name, value = _FLAGS[event.action]
    db.session.execute(sa.update(ConferenceAttendance).where(
        ConferenceAttendance.session_id == session.id, ConferenceAttendance.member_id == event.member_id,
        ConferenceAttendance.left_at.is_(None)).values({name: value}))


def _ended(session: ConferenceSession, event: RoomEvent, now: datetime) -> list[RoomCommand]:
    session.ended_at = now
    db.session.execute(sa.update(ConferenceAttendance).where(
        ConferenceAttendance.session_id == session.id, ConferenceAttendance.left_at.is_(None),
        ConferenceAttendance.joined_at.is_not(None)).values(left_at=now))
    queue_report(session, db.session.get(Conference, session.conference_id))
    _forget_names(session, event)
    if broadcast.broadcasts(db.session.get(Conference, session.conference_id)):
        # Listeners still streaming keep reading their open file; new ones get a 404.
        discard_after_commit(db.session, broadcast.live_file(event.name.partition("-")[2], session.id))
    return [RoomCommand("unschedule", event.name, group=f"conf-{event.room_uid}")]


def _forget_names(session: ConferenceSession, event: RoomEvent) -> None:
    """The recorded names of the occurrence are deleted with it (once committed)."""
    domain = event.name.partition("-")[2]
    for uuid in db.session.scalars(sa.select(ConferenceAttendance.uuid).where(
            ConferenceAttendance.session_id == session.id)):
        if names.valid(domain, uuid):
            discard_after_commit(db.session, names.name_file(domain, uuid))


def _never_joined(event: LegEnded, now: datetime) -> None:
    """Close the attendance of a leg that hung up before joining (``left_at`` without
    ``joined_at``: the widget says "no answer" for a called participant), and delete the name
    it may have recorded -- no occurrence will ever own that file."""
    row = db.session.scalar(sa.select(ConferenceAttendance).where(
        ConferenceAttendance.uuid == event.uuid, ConferenceAttendance.joined_at.is_(None),
        ConferenceAttendance.left_at.is_(None)))
    if row is None:
        return
    row.left_at = now
    domain = room_domain(db.session.get(Conference, row.conference_id))
    if names.valid(domain, event.uuid):
        discard_after_commit(db.session, names.name_file(domain, event.uuid))


def _one(node: str, event: RoomEvent | LegEnded, now: datetime, recording_path,
         running: dict[str, ConferenceSession]) -> list[RoomCommand]:
    if isinstance(event, LegEnded):
        _never_joined(event, now)
        return []
    if event.action == "conference-create":
        return _created(node, event, now, recording_path, running)
    session = running.get(event.room_uid)
    if session is None:
        return []
    db.session.flush()
    if event.action == "add-member":
        return _joined(session, event, now)
    if event.action == "del-member":
        return _left(session, event, now)
    if event.action == "conference-destroy":
        running.pop(event.room_uid, None)
        return _ended(session, event, now)
    if event.action == "start-recording" and event.path and not broadcast.is_live_file(event.path):
        session.recording_path = event.path[:255]
    elif event.action in _FLAGS:
        _flag(session, event)
    return []


def apply_changes(node: str, events: Sequence[RoomEvent | LegEnded], recording_path: Callable[[Conference, int], str],
                  now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> list[RoomCommand]:
    """Apply one node's room events in order and commit; returns the commands for that node."""
    commands: list[RoomCommand] = []
    try:
        running = _open_sessions({e.room_uid for e in events
                                  if isinstance(e, RoomEvent) and e.action != "conference-create"})
        for event in events:
            commands += _one(node, event, now(), recording_path, running)
            db.session.flush()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return commands
