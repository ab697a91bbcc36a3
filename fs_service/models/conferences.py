"""Audio conferences, participants and history (CONF-1..7)."""
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
    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254))
    role: Mapped[str] = choice("participant_role", PARTICIPANT_ROLES, default="participant")
    language: Mapped[str] = choice("participant_language", LANGUAGES, default="fr")
    invited_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


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
