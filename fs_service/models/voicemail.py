"""Mailboxes, messages and greetings (VM-1..6): kept by us, not by mod_voicemail."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db
from ._columns import account_fk, choice, created_at, updated_at

FOLDERS = ("new", "saved")
GREETING_KINDS = ("unavailable", "busy", "temporary", "name")


class Mailbox(db.Model):
    __tablename__ = "mailboxes"
    __table_args__ = (sa.UniqueConstraint("account_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_fk()
    extension_id: Mapped[int | None] = mapped_column(sa.ForeignKey("extensions.id", ondelete="CASCADE"),
                                                     unique=True)
    number: Mapped[str] = mapped_column(sa.String(10))
    name: Mapped[str] = mapped_column(sa.String(80), default="")
    pin: Mapped[str] = mapped_column(sa.String(12))
    max_message_seconds: Mapped[int] = mapped_column(default=180)
    max_messages: Mapped[int] = mapped_column(default=100)
    email: Mapped[str | None] = mapped_column(sa.String(254))
    email_only: Mapped[bool] = mapped_column(default=False)
    key0_treatment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("treatments.id", ondelete="SET NULL"))
    star_treatment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("treatments.id", ondelete="SET NULL"))
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()

    # The ORM must agree with ON DELETE CASCADE: by default it would NULL extension_id on a
    # loaded mailbox instead, leaving an orphan that keeps the number "used" forever.
    extension = relationship("Extension", backref=sa.orm.backref(
        "mailbox", uselist=False, cascade="save-update, merge, delete", passive_deletes=True))


class VoicemailMessage(db.Model):
    __tablename__ = "voicemail_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox_id: Mapped[int] = mapped_column(sa.ForeignKey("mailboxes.id", ondelete="CASCADE"), index=True)
    folder: Mapped[str] = choice("voicemail_folder", FOLDERS, default="new")
    caller_number: Mapped[str] = mapped_column(sa.String(40), default="")
    caller_name: Mapped[str] = mapped_column(sa.String(80), default="")
    duration_seconds: Mapped[int] = mapped_column(default=0)
    audio_path: Mapped[str | None] = mapped_column(sa.String(255), index=True)  # a file is filed once (recovery)
    emailed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # The address current at deposit time (the email itself is a row of mail_deliveries).
    email_to: Mapped[str | None] = mapped_column(sa.String(254))
    # Email-only box: the row and file exist only until SMTP accepts the email (not in the box).
    delete_after_email: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = created_at()


class Greeting(db.Model):
    __tablename__ = "greetings"
    __table_args__ = (sa.UniqueConstraint("mailbox_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox_id: Mapped[int] = mapped_column(sa.ForeignKey("mailboxes.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = choice("greeting_kind", GREETING_KINDS)
    audio_path: Mapped[str] = mapped_column(sa.String(255))
    updated_at: Mapped[datetime] = updated_at()
