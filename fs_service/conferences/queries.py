"""What the phone entry asks of the database (entry.py's :class:`RoomBook`).

The dialplan request that runs the entry has no commit of its own (xml_curl only reads), so
the two writes here — a wrong code counted, a caller let in — commit themselves: a counter
that rolled back would let guessing go on unlimited.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..db import db
from ..models import Account, Conference, ConferenceAttendance, ConferenceEntryFailure, ConferenceParticipant
from ..models._columns import as_utc
from . import names
from .entry_model import Admission, RoomEntry


def fs_name(room_number: str, domain: str) -> str:
    """The mod_conference room name: ``<room number>-<sip domain>`` (readable in ``conference
    list``; the room number is unique, so is the name)."""
    return f"{room_number}-{domain}"


def room_domain(room: Conference) -> str:
    return db.session.get(Account, room.account_id).sip_domain


def _entry(room: Conference, domain: str) -> RoomEntry:
    return RoomEntry(id=room.id, number=room.room_number, name=fs_name(room.room_number, domain), kind=room.kind,
                     starts_at=as_utc(room.starts_at), duration_minutes=room.duration_minutes,
                     language=room.language, announce=room.announce_members)


def expect(room_id: int, uuid: str, admission: Admission, caller_number: str) -> None:
    """Remember who channel ``uuid`` is (the caller commits): the ``add-member`` event that
    follows names only the uuid."""
    db.session.add(ConferenceAttendance(conference_id=room_id, uuid=uuid, role=admission.role,
                                        participant_id=admission.participant_id,
                                        name=admission.name[:120], caller_number=caller_number[:64]))


class DbRoomBook:
    """Rooms of one account (its id and SIP domain), read and written through the session."""

    def __init__(self, account_id: int, domain: str) -> None:
        self.account_id, self.domain = account_id, domain

    def room_by_number(self, number: str) -> RoomEntry | None:
        room = db.session.scalar(sa.select(Conference).where(Conference.room_number == number,
                                                             Conference.account_id == self.account_id))
        return _entry(room, self.domain) if room is not None else None

    def room_by_id(self, room_id: int) -> RoomEntry | None:
        room = db.session.get(Conference, room_id)
        return _entry(room, self.domain) if room is not None and room.account_id == self.account_id else None

    def admission(self, room_id: int, code: str) -> Admission | None:
        room = db.session.get(Conference, room_id)
        if room is None or not code:
            return None
        if code == room.admin_code:
            return Admission("admin")
        if code == room.access_code:
            return Admission("participant")
        person = db.session.scalar(sa.select(ConferenceParticipant).where(
            ConferenceParticipant.conference_id == room_id, ConferenceParticipant.code == code))
        return Admission(person.role, person.id, person.name) if person is not None else None

    def failures_since(self, room_id: int, since: datetime) -> int:
        return db.session.scalar(sa.select(sa.func.count()).where(
            ConferenceEntryFailure.conference_id == room_id, ConferenceEntryFailure.created_at >= since))

    def record_failure(self, room_id: int, caller: str) -> None:
        db.session.add(ConferenceEntryFailure(conference_id=room_id, caller=caller[:64]))
        db.session.commit()

    def let_in(self, room_id: int, uuid: str, admission: Admission, caller_number: str) -> None:
        expect(room_id, uuid, admission, caller_number)
        db.session.commit()

    def name_file(self, uuid: str) -> str:
        return names.name_file(self.domain, uuid)
