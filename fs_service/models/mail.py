"""Every email the PBX sends, one row each: the queue and what admins see of it (issue 16.3)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from ._columns import account_fk, choice, created_at

MAIL_STATES = ("queued", "sent", "failed")


class MailDelivery(db.Model):
    """One email: queued (``next_try_at`` = when it is due, pushed forward while a sender holds
    it), sent, or failed (the SMTP server refused it for good, or too many tries). ``source_id``
    is the row the email is about (voicemail message, reset request, user): the sender builds
    the message from it at each try. ``account_id`` is empty for mails of no account (a reset
    request not yet matched to a login, an operator's invitation): operators only see those."""

    __tablename__ = "mail_deliveries"
    __table_args__ = (sa.Index("ix_mail_deliveries_state_next_try_at", "state", "next_try_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = account_fk(nullable=True)
    # the sender's registry names the kinds (fs_service.mail_queue.MailKind): a new one needs no migration
    kind: Mapped[str] = mapped_column(sa.String(32))
    source_id: Mapped[int | None] = mapped_column()
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(255), default="", server_default="")
    state: Mapped[str] = choice("mail_state", MAIL_STATES, default="queued")
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_try_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_answer: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = created_at()
    sent_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
