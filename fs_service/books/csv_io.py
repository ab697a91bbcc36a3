"""CSV export and import of a book's contacts (BOOK-3).

The file has a header row naming its columns (``phone,first_name,last_name,email``; any order,
``phone`` required, others optional; the French headers ``telephone``/``téléphone``, ``prenom``/
``prénom``, ``nom``, ``courriel`` too) and UTF-8 text (a BOM is accepted; Excel writes one).
Import is all or nothing: every line is checked first, and if any line is bad the errors name
each bad line and field and nothing is stored. A line identical to a contact already in the
target book is skipped (so importing an export back into its own book changes nothing).

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, so the
export writes such a name with a leading ``'`` (shown as text) and the import takes it off again.
"""
from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass

import sqlalchemy as sa

from ..db import db
from ..errors import ValidationFailed
from ..models import Account, Contact, User
from ..models.books import BookEntry
from .contacts import FIELDS, clean_contact, new_contact
from .queries import ContactView
from .rules import writable_book

log = logging.getLogger("pbx.books")
MAX_LINES = 10_000  # each contact is two audited rows: a bigger list is split by the person importing it
MAX_BYTES = 2_000_000  # 10,000 lines of four fields fit well below
MAX_ERRORS = 50     # enough to fix a file; the rest would only repeat
HEADERS = {"phone": "phone", "telephone": "phone", "téléphone": "phone", "first_name": "first_name",
           "prenom": "first_name", "prénom": "first_name", "last_name": "last_name", "nom": "last_name",
           "email": "email", "courriel": "email"}


FORMULA_START = ("=", "+", "-", "@")


def _as_text(cell: str) -> str:
    return f"'{cell}" if cell.startswith(FORMULA_START) else cell


def _from_text(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell


def export_csv(contacts: list[ContactView]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for contact in contacts:
        writer.writerow([contact.phone] + [_as_text(cell) for cell in (contact.first_name, contact.last_name,
                                                                         contact.email or "")])
    return out.getvalue()


@dataclass(frozen=True)
class ImportResult:
    created: int
    skipped: int  # already in the book, unchanged


class ImportRefused(ValidationFailed):
    """Some lines are bad: ``details`` maps ``line N`` to "field: rule" messages."""
    error_id = "csv_invalid"


def _columns(header: list[str]) -> list[str | None]:
    names = [HEADERS.get(cell.strip().lower().lstrip("\ufeff")) for cell in header]
    if "phone" not in names:
        raise ImportRefused("file: the first line must name the columns, with a phone column",
                            {"file": ["the first line must name the columns: phone,first_name,last_name,email"]})
    return names


def parse(text: str) -> list[tuple[int, dict]]:
    """(line number, checked fields) for each data line; every bad line reported at once."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None:
        raise ImportRefused("file: the file is empty", {"file": ["the file is empty"]})
    columns, rows, errors = _columns(header), [], {}
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        line = reader.line_num
        if len(rows) + len(errors) >= MAX_LINES:
            raise ImportRefused("file: too many lines", {"file": [f"at most {MAX_LINES} contacts per file"]})
        values = {name: _from_text(cell.strip()) for name, cell in zip(columns, row) if name}
        try:
            rows.append((line, clean_contact(values)))
        except ValidationFailed as exc:
            if len(errors) < MAX_ERRORS:
                errors[f"line {line}"] = [f"{field}: {'; '.join(msgs)}" for field, msgs in exc.details.items()]
    if errors:
        raise ImportRefused(f"{len(errors)} line(s) refused, nothing imported", errors)
    return rows


def _existing(book_id: int) -> set[tuple]:
    rows = db.session.execute(sa.select(Contact.phone, Contact.first_name, Contact.last_name, Contact.email)
                              .join(BookEntry, BookEntry.contact_id == Contact.id).where(BookEntry.book_id == book_id))
    return {tuple(row) for row in rows}


def import_csv(actor: User, account: Account, book_ref: int | str, text: str) -> ImportResult:
    """Check every line, then create the new contacts in one writable book (caller commits)."""
    book = writable_book(actor, account, book_ref)
    rows = parse(text)
    seen, new = _existing(book.id), []
    for _line, fields in rows:
        key = tuple(fields[name] for name in FIELDS)
        if key not in seen:
            seen.add(key)
            new.append(new_contact(account, fields))
    db.session.add_all(new)
    db.session.flush()
    db.session.add_all(BookEntry(book_id=book.id, contact_id=contact.id) for contact in new)
    db.session.flush()
    log.info("contacts imported account_id=%s book_id=%s created=%s", account.id, book.id, len(new))
    return ImportResult(len(new), len(rows) - len(new))
