"""Changing address books (BOOK-1, BOOK-2): My contacts on first use, shared books created,
renamed, deleted and given to users by the account's admins.

Deleting a shared book deletes the contacts that were in that book only (a contact also in
another book stays, and leaves this one); the phones' display lists lose them at their next
provisioning (their rows cascade; provisioning reads the lists fresh). :func:`deletion_impact`
counts them first so the confirmation can say so.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa

from ..access import require_admin
from ..db import db, row_id
from ..errors import Forbidden, NotFound, ValidationFailed
from ..models import Account, AddressBook, Contact, User
from ..models.books import BookAccess, BookEntry
from .queries import MINE, personal_book

log = logging.getLogger("pbx.books")
NAME_MAX = 80


def ensure_personal_book(actor: User, account: Account) -> AddressBook:
    """The actor's My contacts, created the first time something is written to it."""
    book = personal_book(actor, account)
    if book is None:
        book = AddressBook(account_id=account.id, kind="personal", name="", owner_user_id=actor.id)
        db.session.add(book)
        db.session.flush()
    return book


def writable_book(actor: User, account: Account, ref: int | str) -> AddressBook:
    """A stored book the actor may add contacts to: their My contacts (``"mine"`` or its id) or,
    for an admin, a shared book. All contacts and the company book are read-only."""
    if str(ref) == MINE:
        return ensure_personal_book(actor, account)
    book_id = row_id(ref)
    book = db.session.get(AddressBook, book_id) if book_id is not None else None
    if book is None or book.account_id != account.id:
        raise NotFound("address book not found")
    if book.kind == "personal":
        if book.owner_user_id != actor.id:
            raise NotFound("address book not found")  # private: not even its existence is shown
        return book
    _require_admin_of_shared(actor, account, book)
    return book


def _require_admin_of_shared(actor: User, account: Account, book: AddressBook) -> None:
    try:
        require_admin(actor, account)
    except Forbidden:
        seen = db.session.get(BookAccess, (book.id, actor.id)) is not None
        if not seen:
            raise NotFound("address book not found") from None
        raise Forbidden("only the account administrators change a shared address book") from None


def shared_book(actor: User, account: Account, book_id: int) -> AddressBook:
    """A shared book of the account, for its admins (rename, delete, access)."""
    book = db.session.get(AddressBook, book_id)
    if book is None or book.account_id != account.id or book.kind != "shared":
        raise NotFound("address book not found")
    _require_admin_of_shared(actor, account, book)
    return book


def _clean_name(account: Account, name: str, own_id: int | None) -> str:
    name = (name or "").strip()
    if not 1 <= len(name) <= NAME_MAX:
        raise ValidationFailed.field("name", f"must be 1 to {NAME_MAX} characters")
    same = sa.select(AddressBook.id).where(AddressBook.account_id == account.id, AddressBook.kind == "shared",
                                           sa.func.lower(AddressBook.name) == name.lower())
    if own_id is not None:
        same = same.where(AddressBook.id != own_id)
    if db.session.scalar(same.limit(1)) is not None or name.lower() == account.name.lower():
        raise ValidationFailed.field("name", "another address book already has this name", error_id="duplicate_name")
    return name


def create_shared_book(actor: User, account: Account, name: str, user_ids: list[int] | None = None) -> AddressBook:
    """A new shared book (admins), visible to ``user_ids`` besides the admins."""
    require_admin(actor, account)
    book = AddressBook(account_id=account.id, kind="shared", name=_clean_name(account, name, None))
    db.session.add(book)
    db.session.flush()
    set_access(actor, account, book, user_ids or [])
    log.info("address book created account_id=%s book_id=%s", account.id, book.id)
    return book


def rename_book(actor: User, account: Account, book: AddressBook, name: str) -> AddressBook:
    book.name = _clean_name(account, name, book.id)
    return book


@dataclass(frozen=True)
class DeletionImpact:
    contacts_deleted: int   # contacts in this book only: they go with it
    contacts_kept: int      # also in another book: they stay there


def deletion_impact(book: AddressBook) -> DeletionImpact:
    others = sa.select(BookEntry.contact_id).where(BookEntry.book_id != book.id)
    mine = sa.select(sa.func.count()).select_from(BookEntry).where(BookEntry.book_id == book.id)
    kept = db.session.scalar(mine.where(BookEntry.contact_id.in_(others)))
    return DeletionImpact(db.session.scalar(mine) - kept, kept)


def delete_book(actor: User, account: Account, book: AddressBook) -> DeletionImpact:
    """Delete a shared book and the contacts only it held (see the module docstring)."""
    impact = deletion_impact(book)
    only_here = (sa.select(BookEntry.contact_id).where(BookEntry.book_id == book.id)
                 .where(~BookEntry.contact_id.in_(sa.select(BookEntry.contact_id).where(BookEntry.book_id != book.id))))
    db.session.execute(sa.delete(Contact).where(Contact.account_id == account.id, Contact.id.in_(only_here)),
                       execution_options={"synchronize_session": False})
    db.session.delete(book)
    db.session.flush()
    log.info("address book deleted account_id=%s book_id=%s contacts_deleted=%s", account.id, book.id,
             impact.contacts_deleted)
    return impact


def account_users(account: Account) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.account_id == account.id)
                                   .order_by(User.email)))


def access_user_ids(book: AddressBook) -> set[int]:
    return set(db.session.scalars(sa.select(BookAccess.user_id).where(BookAccess.book_id == book.id)))


def set_access(actor: User, account: Account, book: AddressBook, user_ids: list[int]) -> None:
    """Exactly ``user_ids`` (users of this account) see the shared book from now on; the admins
    always do. A user created later is in no list until an admin ticks them ("select all" ticks
    the users that exist now)."""
    require_admin(actor, account)
    wanted = {int(i) for i in user_ids}
    members = {user.id for user in account_users(account)}
    strangers = wanted - members
    if strangers:
        raise ValidationFailed.field("user_ids", f"not users of this account: {sorted(strangers)}")
    current = access_user_ids(book)
    if current - wanted:
        db.session.execute(sa.delete(BookAccess).where(BookAccess.book_id == book.id,
                                                       BookAccess.user_id.in_(current - wanted)),
                           execution_options={"synchronize_session": False})
    db.session.add_all(BookAccess(book_id=book.id, user_id=user_id) for user_id in sorted(wanted - current))
    db.session.flush()
