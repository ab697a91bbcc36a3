"""Address books and their contacts (BOOK): personal and shared books; the company book is
derived from the account's extensions, not stored."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db
from ._columns import account_fk, created_at

BOOK_KINDS = ("personal", "shared")


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


class BookAccess(db.Model):
    """One user allowed to see one shared book. Mapped (not only a table) so each grant is
    written as an object and so audited like any change (fs_service/audit/changes.py)."""

    __table__ = book_access
    book = relationship(AddressBook)


class BookEntry(db.Model):
    """One contact in one book (audited like :class:`BookAccess`)."""

    __table__ = book_contacts
    book = relationship(AddressBook)


class Contact(db.Model):
    """A stored contact; it lives in one or more books (``address_book_contacts``)."""

    __tablename__ = "contacts"
    # 0018_address_books: the search reads this index alone for an account (fs_service/books/search.py);
    # it starts with account_id, so it serves the foreign key too (the plain index is dropped).
    __table_args__ = (sa.Index("ix_contacts_account_id_search_text", "account_id", "search_text"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_fk(index=False)
    phone: Mapped[str] = mapped_column(sa.String(20))
    first_name: Mapped[str] = mapped_column(sa.String(80), default="")
    last_name: Mapped[str] = mapped_column(sa.String(80), default="")
    email: Mapped[str | None] = mapped_column(sa.String(254))
    # 0018_address_books: every field folded (lowercase, no accents) — fs_service/books/text.py
    search_text: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    created_at: Mapped[datetime] = created_at()
