"""What a person may see of the address books (BOOK-1, BOOK-3) — the read API.

The phones' display lists (BOOK-4, ``fs_service.phones``) read books and contacts through
:func:`visible_books`, :func:`book_contacts` and :func:`contacts_by_ids`; their signatures stay
stable. Searching a book is :mod:`.search`.

Visibility, decided here once:
- "All contacts" (``ref="all"``): the union of every other book the person sees, read-only;
- "My contacts" (``ref="mine"``): one personal book per user, seen and written by its owner
  only (not even by an admin); stored on first write, so it may have no id yet;
- the company book (``ref="company"``): the account's extensions listed in the directory,
  read live from ``extensions`` at every call (never copied, so always current), read-only;
- shared books (``ref=str(id)``): every admin of the account sees and writes them; a user sees
  those an admin gave them access to (``address_book_access``), read-only. A user created after
  a book sees nothing of it until given access.
Another account's books and contacts never appear: every query filters on the account.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import sqlalchemy as sa

from ..access import is_admin_of
from ..db import db, row_id
from ..errors import NotFound
from ..models import Account, AddressBook, Contact, Extension, User, book_access, book_contacts as book_rows

ALL, MINE, COMPANY = "all", "mine", "company"
BOOK_KINDS = ("all", "personal", "shared", "company")
EXPORT_MAX = 100_000  # contacts in one CSV export (an account's books stay well below)
BookRef = int | str  # a stored book id, or ALL / MINE / COMPANY (a digit string is read as an id)


@dataclass(frozen=True)
class BookView:
    """One book as listed for a person."""
    ref: str            # URL-safe reference: "all", "mine", "company" or the stored id as text
    id: int | None      # address_books.id; None for all/company and a never-written My contacts
    kind: str           # "all" | "personal" | "company" | "shared"
    name: str           # the shared book's name, the account's name for the company book, else ""
    contact_count: int
    writable: bool      # may add, edit and delete its contacts
    manageable: bool    # may rename, delete it and set who sees it (admins, shared books only)


@dataclass(frozen=True)
class ContactView:
    """A contact as shown and provisioned. Company-book entries have ``id=None`` and the
    extension's id (only those can be monitored with BLF)."""
    id: int | None
    extension_id: int | None
    phone: str
    first_name: str
    last_name: str
    email: str | None

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.phone


def account_of(actor: User, account: Account | None = None) -> Account:
    """The account whose books ``actor`` reads: their own, or the one an operator opened."""
    account = account if account is not None else db.session.get(Account, actor.account_id)
    if account is None:
        raise NotFound("account not found")
    return account


def personal_book(actor: User, account: Account) -> AddressBook | None:
    return db.session.scalar(sa.select(AddressBook).where(
        AddressBook.account_id == account.id, AddressBook.kind == "personal",
        AddressBook.owner_user_id == actor.id).order_by(AddressBook.id).limit(1))


def _shared_books(actor: User, account: Account) -> list[AddressBook]:
    query = sa.select(AddressBook).where(AddressBook.account_id == account.id, AddressBook.kind == "shared")
    if not is_admin_of(actor, account):
        query = query.join(book_access, book_access.c.book_id == AddressBook.id).where(
            book_access.c.user_id == actor.id)
    return list(db.session.scalars(query.order_by(AddressBook.name, AddressBook.id)))


def _company_extensions(account_id: int):
    return sa.select(Extension.id).where(Extension.account_id == account_id,
                                         Extension.listed_in_directory.is_(True))


def _counts(book_ids: list[int]) -> dict[int, int]:
    if not book_ids:
        return {}
    rows = db.session.execute(sa.select(book_rows.c.book_id, sa.func.count()).where(
        book_rows.c.book_id.in_(book_ids)).group_by(book_rows.c.book_id))
    return dict(rows.all())


def visible_books(actor: User, account: Account | None = None) -> list[BookView]:
    """The books ``actor`` sees, in the guide's order: All contacts, My contacts, the shared
    books by name, the company book. ``account`` is needed for an operator only."""
    account = account_of(actor, account)
    mine, shared = personal_book(actor, account), _shared_books(actor, account)
    admin = is_admin_of(actor, account)
    counts = _counts([book.id for book in shared] + ([mine.id] if mine else []))
    company = db.session.scalar(sa.select(sa.func.count()).select_from(_company_extensions(account.id).subquery()))
    stored_ids = [book.id for book in shared] + ([mine.id] if mine else [])
    union = _union_count(stored_ids) + company
    views = [BookView(ALL, None, "all", "", union, False, False),
             BookView(MINE, mine.id if mine else None, "personal", "", counts.get(mine.id, 0) if mine else 0,
                      True, False)]
    views += [BookView(str(book.id), book.id, "shared", book.name, counts.get(book.id, 0), admin, admin)
              for book in shared]
    return views + [BookView(COMPANY, None, "company", account.name, company, False, False)]


def _union_count(book_ids: list[int]) -> int:
    if not book_ids:
        return 0
    return db.session.scalar(sa.select(sa.func.count(sa.distinct(book_rows.c.contact_id))).where(
        book_rows.c.book_id.in_(book_ids)))


def find_book(actor: User, ref: BookRef, account: Account | None = None) -> BookView:
    """One book ``actor`` sees, by reference; any other (another user's, another account's, a
    shared book without access) is *not found*."""
    wanted = str(ref)
    for view in visible_books(actor, account):
        if view.ref == wanted or (view.id is not None and str(view.id) == wanted):
            return view
    raise NotFound("address book not found")


def contact_views(rows) -> list[ContactView]:
    """Stored contact rows as views."""
    return [ContactView(row.id, None, row.phone, row.first_name, row.last_name, row.email) for row in rows]


def _extension_names(row) -> tuple[str, str]:
    """The assigned user's names, else the extension's caller ID name as the first name."""
    if row.first_name or row.last_name:
        return row.first_name or "", row.last_name or ""
    return row.caller_id_name or "", ""


def _company_contacts(account_id: int) -> list[ContactView]:
    rows = db.session.execute(
        sa.select(Extension.id, Extension.number, Extension.caller_id_name, User.first_name, User.last_name,
                  User.email)
        .outerjoin(User, User.id == Extension.user_id)
        .where(Extension.account_id == account_id, Extension.listed_in_directory.is_(True)))
    views = [ContactView(None, row.id, row.number, *_extension_names(row), row.email) for row in rows]
    return sorted(views, key=lambda view: (len(view.phone), view.phone))


def book_contacts(account_id: int, book_ref: BookRef) -> list[ContactView]:
    """Every contact of one book of the account, with no access check (the caller has done it,
    e.g. a phone's list saved by someone allowed). ``book_ref`` is a stored book id (personal
    or shared) or ``"company"`` (the listed extensions, read now: always current). Stored
    contacts come by last name, first name; a book of another account gives ``[]``."""
    if str(book_ref) == COMPANY:
        return _company_contacts(account_id)
    book_id = row_id(book_ref)
    if book_id is None:
        raise NotFound("address book not found")
    query = (sa.select(Contact).join(book_rows, book_rows.c.contact_id == Contact.id)
             .where(book_rows.c.book_id == book_id, Contact.account_id == account_id))
    return contact_views(db.session.scalars(query.order_by(Contact.last_name, Contact.first_name, Contact.id)))


def contacts_by_ids(account_id: int, ids: Iterable[int]) -> dict[int, ContactView]:
    """The stored contacts of the account among ``ids``, by id; ids of deleted contacts or of
    another account are simply absent (a phone list drops them at its next provisioning)."""
    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return {}
    rows = db.session.scalars(sa.select(Contact).where(Contact.account_id == account_id, Contact.id.in_(wanted)))
    return {view.id: view for view in contact_views(rows)}


def visible_stored_ids(actor: User, account: Account) -> list[int]:
    """Ids of the stored books ``actor`` sees (My contacts and shared ones), without counting."""
    mine = personal_book(actor, account)
    return [book.id for book in _shared_books(actor, account)] + ([mine.id] if mine else [])


def company_contacts(account_id: int) -> list[ContactView]:
    """The company book: the account's extensions listed in the directory, by number."""
    return _company_contacts(account_id)
