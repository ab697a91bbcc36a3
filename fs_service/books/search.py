"""Searching a book (BOOK-3: "search matches any field"), fast at 50,000 contacts.

Stored contacts: one ``LIKE '%…%'`` on the folded ``search_text`` column, read from the index
(account_id, search_text) alone (0018_address_books), then a primary-key probe of the book
entries for the matches only (``EXISTS``, not ``IN (…)``: materialising every entry of the
books cost more than the search itself). Measured in tests/integration/test_books_search_speed.py
and README "Address books". The company book (a few hundred extensions at most) is filtered in
memory and comes after the stored contacts in "All contacts".
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..db import db
from ..models import Account, Contact, User
from ..models.books import BookEntry
from .queries import (ALL, COMPANY, BookView, ContactView, account_of, company_contacts, contact_views,
                      visible_stored_ids)
from .text import query_forms, search_text


@dataclass(frozen=True)
class ContactPage:
    contacts: list[ContactView]
    total: int


def search(actor: User, book: BookView, text: str = "", *, limit: int = 100, offset: int = 0,
           account: Account | None = None) -> ContactPage:
    """A page of a visible book's contacts (from :func:`queries.find_book`) whose phone, names or
    email contain ``text`` (case and accents ignored; "514 907-3400" finds 5149073400), stored
    ones by last name, then the company's extensions by number."""
    account = account_of(actor, account)
    forms = query_forms(text)
    company = company_contacts(account.id) if book.kind in (COMPANY, ALL) else []
    company_total = len(company)
    if forms:
        company = [view for view in company if any(form in _folded(view) for form in forms)]
    if book.kind == COMPANY:
        return ContactPage(company[offset:offset + limit], len(company))
    book_ids = visible_stored_ids(actor, account) if book.kind == ALL else [book.id] if book.id else []
    # No search: the book's own count is the total (one scan saved on the biggest case).
    known = None if forms else book.contact_count - company_total
    rows, stored_total = _stored_page(book_ids, account.id, forms, limit, offset, known)
    room = max(0, limit - len(rows))
    tail_start = max(0, offset - stored_total)
    return ContactPage(rows + company[tail_start:tail_start + room], stored_total + len(company))


def _folded(view: ContactView) -> str:
    return search_text(view.phone, view.first_name, view.last_name, view.email)


def _stored_page(book_ids: list[int], account_id: int, forms: list[str], limit: int, offset: int,
                 known_total: int | None) -> tuple[list[ContactView], int]:
    if not book_ids:
        return [], 0
    in_books = sa.exists().where(BookEntry.contact_id == Contact.id, BookEntry.book_id.in_(book_ids))
    where = [Contact.account_id == account_id, in_books]
    if forms:
        where.append(sa.or_(*(Contact.search_text.contains(form, autoescape=True) for form in forms)))
    total = known_total if known_total is not None else db.session.scalar(
        sa.select(sa.func.count()).select_from(Contact).where(*where))
    rows = db.session.scalars(sa.select(Contact).where(*where)
                              .order_by(Contact.last_name, Contact.first_name, Contact.id).limit(limit).offset(offset))
    return contact_views(rows), total
