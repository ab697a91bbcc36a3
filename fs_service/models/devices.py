"""Desk phones, their line keys and what each displays (DEV, BOOK-4)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from ._columns import account_fk, created_at


class Device(db.Model):
    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_fk()
    mac: Mapped[str] = mapped_column(sa.String(12), unique=True)  # 12 lowercase hex digits
    name: Mapped[str] = mapped_column(sa.String(80))
    model: Mapped[str | None] = mapped_column(sa.String(40))
    timezone: Mapped[str] = mapped_column(sa.String(64), default="America/Toronto")
    # Set when a reboot was asked while one of the phone's extensions was in a call; the
    # status batch that ends the call sends it (fs_service.phones.reboot). Indexed: that
    # batch looks only at the phones waiting.
    reboot_pending: Mapped[bool] = mapped_column(default=False, index=True)
    # Part of the provisioning URL: knowing a MAC (printed on the box) is not enough to read the
    # SIP passwords. Null only for rows older than 0019 until their first save.
    secret: Mapped[str | None] = mapped_column(sa.String(43))
    # "Configure address books on the phone" (guide 7.5): off, the phone's own directory is left alone.
    configure_books: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = created_at()


class DeviceLine(db.Model):
    __tablename__ = "device_lines"
    __table_args__ = (sa.UniqueConstraint("device_id", "line_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    extension_id: Mapped[int] = mapped_column(sa.ForeignKey("extensions.id", ondelete="CASCADE"), index=True)
    line_key: Mapped[int] = mapped_column(sa.SmallInteger)


class DeviceContact(db.Model):
    """One entry of a phone's display list: a contact, a whole book, or a monitored extension (BLF)."""

    __tablename__ = "device_contacts"
    __table_args__ = (sa.UniqueConstraint("device_id", "position"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(sa.SmallInteger)
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id", ondelete="CASCADE"))
    book_id: Mapped[int | None] = mapped_column(sa.ForeignKey("address_books.id", ondelete="CASCADE"))
    extension_id: Mapped[int | None] = mapped_column(sa.ForeignKey("extensions.id", ondelete="CASCADE"))
    favourite: Mapped[bool] = mapped_column(default=False)
    # The company book is derived from the extensions, never stored: it has no book_id to point at.
    company_book: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class ProvisioningFailure(db.Model):
    """A provisioning request with an unknown MAC or a wrong secret. Counted per source address
    in the database (every web worker enforces the same limit) to stop secret guessing."""

    __tablename__ = "provisioning_failures"
    __table_args__ = (sa.Index("ix_provisioning_failures_source_time", "remote_addr", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    remote_addr: Mapped[str] = mapped_column(sa.String(45))
    created_at: Mapped[datetime] = created_at()
