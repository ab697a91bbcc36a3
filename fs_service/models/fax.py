"""Outbound fax jobs with their state machine, and received faxes (FAX-1..7)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from ._columns import LANGUAGES, account_fk, choice, created_at, updated_at

FAX_STATES = ("queued", "sending", "retrying", "sent", "failed")


class FaxJob(db.Model):
    __tablename__ = "fax_jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_fk()
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    sender_number_id: Mapped[int | None] = mapped_column(sa.ForeignKey("phone_numbers.id", ondelete="SET NULL"))
    destination: Mapped[str] = mapped_column(sa.String(32))
    language: Mapped[str] = choice("fax_language", LANGUAGES, default="fr")
    state: Mapped[str] = choice("fax_state", FAX_STATES, default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    ladder_rung: Mapped[int] = mapped_column(default=0)
    pages_total: Mapped[int] = mapped_column(default=0)
    pages_sent: Mapped[int] = mapped_column(default=0)
    result_code: Mapped[int | None] = mapped_column()
    result_text: Mapped[str | None] = mapped_column(sa.String(255))
    remote_station_id: Mapped[str | None] = mapped_column(sa.String(40))
    tiff_path: Mapped[str | None] = mapped_column(sa.String(255))
    pdf_path: Mapped[str | None] = mapped_column(sa.String(255))
    channel_uuid: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    next_attempt_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    confirmation_sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class ReceivedFax(db.Model):
    __tablename__ = "received_faxes"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_fk()
    number_id: Mapped[int | None] = mapped_column(sa.ForeignKey("phone_numbers.id", ondelete="SET NULL"))
    caller_number: Mapped[str] = mapped_column(sa.String(40), default="")
    remote_station_id: Mapped[str | None] = mapped_column(sa.String(40))
    pages: Mapped[int] = mapped_column(default=0)
    pdf_path: Mapped[str] = mapped_column(sa.String(255))
    emailed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at()
