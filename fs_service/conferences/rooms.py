"""Creating, changing and deleting rooms and their invited participants (CONF-1..3).

Shape (types, lengths) is checked by schema/conferences.py; here the rules that need the room
as a whole: a single-use room has a start, a known time zone and lasts 15 min–3 h; web
broadcast never on a permanent room (anyone with the link may listen); codes unique per room.
"""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from ..access import owned
from ..db import db
from ..errors import NotFound, ValidationFailed
from ..models import Account, Conference, ConferenceParticipant, User
from . import codes, rules

ROOM_FIELDS = ("kind", "title", "language", "starts_at", "duration_minutes", "timezone", "record_audio",
               "email_report", "announce_members", "web_broadcast")
PARTICIPANT_FIELDS = ("name", "email", "role", "language")


def list_rooms(account: Account) -> list[Conference]:
    return list(db.session.scalars(sa.select(Conference).where(Conference.account_id == account.id)
                                   .order_by(Conference.id)))


def get_room(account: Account, room_id: int) -> Conference:
    return owned(account, Conference, room_id, "conference not found")


def _room_number_taken(number: str) -> bool:
    return db.session.scalar(sa.select(sa.func.count()).where(Conference.room_number == number)) > 0


def _check(room: Conference) -> None:
    if room.kind == "single_use":
        if room.starts_at is None:
            raise ValidationFailed.field("starts_at", "required for a single-use conference")
        if rules.zone(room.timezone) is None:
            raise ValidationFailed.field("timezone", "unknown time zone")
    problem = rules.duration_problem(room.kind, room.duration_minutes)
    if problem:
        raise ValidationFailed.field("duration_minutes", problem)
    if room.kind == "permanent" and room.web_broadcast:
        raise ValidationFailed.field("web_broadcast", "not allowed for a permanent conference")


def _local_start(values: dict) -> datetime | None:
    """A start without a UTC offset is a wall-clock time in the room's time zone; stored in UTC
    (SQLite keeps no offset)."""
    start, zone = values.get("starts_at"), rules.zone(values.get("timezone") or "")
    if start is not None and start.tzinfo is None and zone is not None:
        start = start.replace(tzinfo=zone)
    return start.astimezone(timezone.utc) if start is not None and start.tzinfo is not None else start


def _room_fields(values: dict) -> dict:
    fields = {name: values[name] for name in ROOM_FIELDS if name in values}
    if "starts_at" in fields:
        fields["starts_at"] = _local_start(values)
    if fields.get("kind") != "single_use":
        fields.update(starts_at=None, duration_minutes=rules.DURATION_RANGE[1])
    return fields


def check_room(values: dict) -> None:
    """The rules ``create_room`` applies, without creating anything: the creation wizard checks
    its "general information" step before asking for the participants."""
    _check(Conference(**_room_fields(values)))


def create_room(account: Account, owner: User | None, values: dict, add_me: bool = False) -> Conference:
    """A room with a fresh room number and generic codes; ``add_me``: the owner is invited as
    an admin (their own code)."""
    fields = _room_fields(values)
    access = codes.random_code()
    room = Conference(account_id=account.id, owner_user_id=owner.id if owner else None,
                      room_number=codes.new_room_number(_room_number_taken),
                      access_code=access, admin_code=codes.new_code({access}), **fields)
    _check(room)
    db.session.add(room)
    db.session.flush()
    if add_me and owner is not None:
        name = f"{owner.first_name} {owner.last_name}".strip() or owner.email
        add_participant(room, {"name": name, "email": owner.email, "role": "admin", "language": owner.language})
    return room


def update_room(room: Conference, changes: dict) -> Conference:
    if "kind" in changes and changes["kind"] != room.kind:
        raise ValidationFailed.field("kind", "cannot change; create a new conference")
    for name in ROOM_FIELDS:
        if name in changes:
            setattr(room, name, changes[name])
    if "starts_at" in changes:
        room.starts_at = _local_start({"starts_at": changes["starts_at"], "timezone": room.timezone})
    _check(room)
    db.session.flush()
    return room


def delete_room(room: Conference) -> None:
    db.session.delete(room)
    db.session.flush()


def room_codes(room: Conference) -> set[str]:
    own = db.session.scalars(sa.select(ConferenceParticipant.code).where(
        ConferenceParticipant.conference_id == room.id))
    return {room.access_code, room.admin_code, *(c for c in own if c)}


def list_participants(room: Conference) -> list[ConferenceParticipant]:
    return list(db.session.scalars(sa.select(ConferenceParticipant).where(
        ConferenceParticipant.conference_id == room.id).order_by(ConferenceParticipant.id)))


def get_participant(room: Conference, participant_id: int) -> ConferenceParticipant:
    found = db.session.get(ConferenceParticipant, participant_id)
    if found is None or found.conference_id != room.id:
        raise NotFound("participant not found")
    return found


def add_participant(room: Conference, values: dict) -> ConferenceParticipant:
    """An invited person with a code of their own carrying ``role``."""
    fields = {name: values[name] for name in PARTICIPANT_FIELDS if name in values}
    participant = ConferenceParticipant(conference_id=room.id, code=codes.new_code(room_codes(room)), **fields)
    db.session.add(participant)
    db.session.flush()
    return participant


def remove_participant(participant: ConferenceParticipant) -> None:
    db.session.delete(participant)
    db.session.flush()
