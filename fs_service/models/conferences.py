"""Audio conferences, participants and history (CONF-1..7).

A room has generic codes per role (``access_code`` for participants, ``admin_code``) and each
invited participant a code of their own carrying their role, all unique within the room
(fs_service/conferences/codes.py). An *attendance* is one caller's stay: created when the entry
dialogue accepts a code (keyed by the channel uuid, so the ESL ``add-member`` event that follows
says who joined), joined/left times filled from ``conference::maintenance`` events.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from ._columns import LANGUAGES, account_fk, choice, created_at

CONFERENCE_KINDS = ("permanent", "single_use")
PARTICIPANT_ROLES = ("admin", "participant")


class Conference(db.Model):
    __tablename__ = "conferences"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_fk()
    owner_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = choice("conference_kind", CONFERENCE_KINDS, default="permanent")
    title: Mapped[str] = mapped_column(sa.String(120))
    language: Mapped[str] = choice("conference_language", LANGUAGES, default="fr")
    room_number: Mapped[str] = mapped_column(sa.String(4), unique=True)
    access_code: Mapped[str] = mapped_column(sa.String(4))
    admin_code: Mapped[str] = mapped_column(sa.String(4))
    starts_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    duration_minutes: Mapped[int] = mapped_column(default=180)
    timezone: Mapped[str] = mapped_column(sa.String(64), default="America/Toronto")
    record_audio: Mapped[bool] = mapped_column(default=False)
    email_report: Mapped[bool] = mapped_column(default=False)
    announce_members: Mapped[bool] = mapped_column(default=False)
    web_broadcast: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at()


class ConferenceParticipant(db.Model):
    __tablename__ = "conference_participants"
    __table_args__ = (sa.UniqueConstraint("conference_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254))
    role: Mapped[str] = choice("participant_role", PARTICIPANT_ROLES, default="participant")
    language: Mapped[str] = choice("participant_language", LANGUAGES, default="fr")
    invited_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    code: Mapped[str | None] = mapped_column(sa.String(4))


class ConferenceSession(db.Model):
    """One occurrence of a conference that had participants (CONF-7 history)."""

    __tablename__ = "conference_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    max_members: Mapped[int] = mapped_column(default=0)
    recording_path: Mapped[str | None] = mapped_column(sa.String(255))
    report_path: Mapped[str | None] = mapped_column(sa.String(255))
    node: Mapped[str | None] = mapped_column(sa.String(64))  # the FreeSWITCH hosting it (commands go there)
    fs_unique_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)  # Conference-Unique-ID


class ConferenceAttendance(db.Model):
    """One caller's stay in a room; ``joined_at`` empty: accepted by the entry but never joined."""

    __tablename__ = "conference_attendances"
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("conference_sessions.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("conference_participants.id", ondelete="SET NULL"))
    uuid: Mapped[str] = mapped_column(sa.String(64), index=True)
    role: Mapped[str] = choice("attendance_role", PARTICIPANT_ROLES, default="participant")
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    caller_number: Mapped[str] = mapped_column(sa.String(64), default="")
    member_id: Mapped[int | None] = mapped_column()
    joined_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    left_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    talking: Mapped[bool] = mapped_column(default=False)
    muted: Mapped[bool] = mapped_column(default=False)
    held: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at()


class ConferenceEntryFailure(db.Model):
    """A wrong code typed for a room: counted per room to stop guessing in bulk (CONF-3)."""

    __tablename__ = "conference_entry_failures"
    __table_args__ = (sa.Index("ix_conference_entry_failures_room_at", "conference_id", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conferences.id", ondelete="CASCADE"))
    caller: Mapped[str] = mapped_column(sa.String(64), default="")
    created_at: Mapped[datetime] = created_at()
