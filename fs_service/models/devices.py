"""Desk phones, their line keys and the address books they display (DEV, BOOK)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from ._columns import account_fk, created_at

BOOK_KINDS = ("personal", "shared")


class Device(db.Model):
    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_fk()
    mac: Mapped[str] = mapped_column(sa.String(12), unique=True)  # 12 lowercase hex digits
    name: Mapped[str] = mapped_column(sa.String(80))
    model: Mapped[str | None] = mapped_column(sa.String(40))
    timezone: Mapped[str] = mapped_column(sa.String(64), default="America/Toronto")
    reboot_pending: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at()


class DeviceLine(db.Model):
    __tablename__ = "device_lines"
    __table_args__ = (sa.UniqueConstraint("device_id", "line_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(sa.ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    extension_id: Mapped[int] = mapped_column(sa.ForeignKey("extensions.id", ondelete="CASCADE"), index=True)
    line_key: Mapped[int] = mapped_column(sa.SmallInteger)


class AddressBook(db.Model):
    """A personal book (owner set) or a shared book; the company book is derived, not stored."""

    __tablename__ = "address_books"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_fk()
    kind: Mapped[str] = mapped_column(sa.Enum(*BOOK_KINDS, name="book_kind", native_enum=False,
                                              create_constraint=True, length=24))
    name: Mapped[str] = mapped_column(sa.String(80))
    owner_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = created_at()


book_access = sa.Table(
    "address_book_access", db.Model.metadata,
    sa.Column("book_id", sa.ForeignKey("address_books.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)

book_contacts = sa.Table(
    "address_book_contacts", db.Model.metadata,
    sa.Column("book_id", sa.ForeignKey("address_books.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("contact_id", sa.ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
)


class Contact(db.Model):
    __tablename__ = "contacts"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_fk()
    phone: Mapped[str] = mapped_column(sa.String(20))
    first_name: Mapped[str] = mapped_column(sa.String(80), default="")
    last_name: Mapped[str] = mapped_column(sa.String(80), default="")
    email: Mapped[str | None] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = created_at()


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
