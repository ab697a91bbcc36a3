"""Contacts (BOOK-3): add to one book or several at once, edit, delete from every book.

Who may write a contact: one sees it (it is in a book one sees) and, if any book holding it is
shared, one is an admin of the account (guide 7.4: "only administrators modify the contacts of
shared books"); a user writes the contacts of their own My contacts. Deleting a contact removes
it from every book and, at their next provisioning, from the phones that listed it.

The rules of each field are checked here (:func:`clean_contact`), so the forms, the API and the
CSV import refuse the same input with the same words; ``schema/books.py`` states them too.
"""
from __future__ import annotations

import logging
import re

import sqlalchemy as sa

from ..access import is_admin_of, owned
from ..db import db
from ..errors import Forbidden, NotFound, ValidationFailed
from ..models import Account, AddressBook, Contact, User
from ..models.books import BookEntry
from .queries import visible_books
from .rules import writable_book
from .text import CONTROL, PHONE, PHONE_ERROR, search_text

log = logging.getLogger("pbx.books")
FIELDS = ("phone", "first_name", "last_name", "email")
NAME_MAX, EMAIL_MAX = 80, 254
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def clean_contact(values: dict) -> dict:
    """The four fields, trimmed and checked; the first bad one is a ValidationFailed naming it.
    A contact needs a phone and at least a first or a last name."""
    out = {name: str(values.get(name) or "").strip() for name in FIELDS}
    if not PHONE.match(out["phone"]):
        raise ValidationFailed.field("phone", PHONE_ERROR, error_id="digits_only")
    for name in ("first_name", "last_name"):
        if len(out[name]) > NAME_MAX:
            raise ValidationFailed.field(name, f"at most {NAME_MAX} characters")
        if CONTROL.search(out[name]):
            raise ValidationFailed.field(name, "must not contain control characters")
    if not (out["first_name"] or out["last_name"]):
        raise ValidationFailed.field("last_name", "give a first name or a last name")
    if out["email"] and (len(out["email"]) > EMAIL_MAX or not EMAIL.match(out["email"])):
        raise ValidationFailed.field("email", "not a valid email address")
    out["email"] = out["email"] or None
    return out


def _books_of(contact_id: int) -> list[AddressBook]:
    return list(db.session.scalars(sa.select(AddressBook).join(BookEntry, BookEntry.book_id == AddressBook.id)
                                   .where(BookEntry.contact_id == contact_id)))


def book_ids_of(contact: Contact) -> list[int]:
    return [book.id for book in _books_of(contact.id)]


def add_to_books(actor: User, account: Account, contact: Contact, book_refs: list) -> list[AddressBook]:
    """Put ``contact`` in every book named (each must be writable by the actor)."""
    if not book_refs:
        raise ValidationFailed.field("books", "choose at least one address book")
    books = {book.id: book for book in (writable_book(actor, account, ref) for ref in book_refs)}
    present = set(book_ids_of(contact)) if contact.id else set()
    db.session.add_all(BookEntry(book_id=book_id, contact_id=contact.id) for book_id in sorted(books)
                       if book_id not in present)
    return list(books.values())


def create_contact(actor: User, account: Account, values: dict, book_refs: list) -> Contact:
    """A new contact in one or several books at once (``"mine"`` or stored book ids)."""
    contact = new_contact(account, clean_contact(values))
    db.session.add(contact)
    db.session.flush()
    books = add_to_books(actor, account, contact, book_refs)
    db.session.flush()
    log.info("contact created account_id=%s contact_id=%s books=%s", account.id, contact.id,
             ",".join(str(book.id) for book in books))
    return contact


def new_contact(account: Account, fields: dict) -> Contact:
    """A contact row from checked fields (:func:`clean_contact`), its search column filled."""
    return Contact(account_id=account.id, search_text=search_text(**_searchable(fields)), **fields)


def _searchable(fields: dict) -> dict:
    return {name: fields[name] for name in FIELDS}


def _visible_ids(actor: User, account: Account) -> set[int]:
    return {view.id for view in visible_books(actor, account) if view.id is not None}


def get_contact(actor: User, account: Account, contact_id: int, *, write: bool = False) -> Contact:
    """A contact in a book the actor sees (else *not found*); with ``write``, one they may change."""
    contact = owned(account, Contact, contact_id, "contact not found")
    books = _books_of(contact.id)
    if not {book.id for book in books} & _visible_ids(actor, account):
        raise NotFound("contact not found")
    if write and any(book.kind == "shared" for book in books) and not is_admin_of(actor, account):
        raise Forbidden("only the account administrators change the contacts of a shared address book")
    return contact


def update_contact(actor: User, account: Account, contact: Contact, changes: dict) -> Contact:
    """Change the fields given (the contact was fetched with ``write=True``)."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationFailed.field(sorted(unknown)[0], "this field cannot be changed")
    fields = clean_contact({name: getattr(contact, name) for name in FIELDS} | changes)
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.search_text = search_text(**_searchable(fields))
    return contact


def delete_contact(actor: User, account: Account, contact: Contact) -> None:
    """Out of every book (and, at their next provisioning, every phone's list)."""
    db.session.delete(contact)
    db.session.flush()
    log.info("contact deleted account_id=%s contact_id=%s", account.id, contact.id)
