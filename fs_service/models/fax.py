"""Outbound fax jobs with their state machine, and received faxes (FAX-1..7)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from ._columns import LANGUAGES, account_fk, choice, created_at, updated_at

# 0008_fax_retention: "cancelled" (by the sender or an admin while queued or retrying)
# 0013_fax_outcomes: "unknown" (a try ended while nobody listened and no record of it came:
# pages may have been delivered, so it is not retried; fs_service/fax/jobs.py await_record)
FAX_STATES = ("queued", "sending", "retrying", "sent", "failed", "cancelled", "unknown")


class FaxJob(db.Model):
    __tablename__ = "fax_jobs"
    # The worker's "what is due" query: queued/retrying jobs by next attempt time.
    __table_args__ = (sa.Index("ix_fax_jobs_state_next_attempt_at", "state", "next_attempt_at"),)
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
    # 0005_fax: what the outbox shows, where the call runs, retries that burn no rung (its email queue
    # columns moved to mail_deliveries in 0016_one_mail_queue)
    subject: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    recipient_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    node: Mapped[str | None] = mapped_column(sa.String(64))
    line_retries: Mapped[int] = mapped_column(default=0, server_default="0")
    failure_class: Mapped[str | None] = mapped_column(sa.String(16))
    duration_seconds: Mapped[int | None] = mapped_column()
    # 0008_fax_retention: the files (TIFF, PDF, cover) were deleted by the retention sweep; the row stays
    files_purged_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # 0008_fax_retention: the destination's class when submitted (local, long_distance…; callplan.dialing),
    # since ``destination`` is the carrier's 11 digits for local and long distance alike
    toll_class: Mapped[str | None] = mapped_column(sa.String(16))
    # 0013_fax_outcomes: the try ended unheard; its record (mod_xml_cdr) is awaited until then,
    # after which the job is "unknown" (fs_service/fax/jobs.py await_record)
    outcome_due_by: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # 0013_fax_outcomes: who reported the last try's outcome: event (ESL), cdr (the switch's
    # record, posted or replayed), originate (the bgapi reply), watchdog (no report: unknown)
    outcome_source: Mapped[str | None] = mapped_column(sa.String(16))
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
    pdf_path: Mapped[str | None] = mapped_column(sa.String(255))  # None until the TIFF is converted
    emailed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # 0005_fax: one row per rxfax call (events may be replayed), the TIFF rxfax wrote
    channel_uuid: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    tiff_path: Mapped[str | None] = mapped_column(sa.String(255))
    result_text: Mapped[str | None] = mapped_column(sa.String(255))
    error: Mapped[str | None] = mapped_column(sa.String(255))
    files_purged_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))  # 0008_fax_retention
    created_at: Mapped[datetime] = created_at()
