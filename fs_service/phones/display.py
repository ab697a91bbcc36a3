"""What a phone displays (BOOK-4, guide 7.5): contacts or whole books, in order, and
favourites whose state the phone monitors (BLF).

An entry is a contact, a stored book (personal or shared), the company book (derived from the
extensions, so it has no stored id) or one company extension. Only a company extension can be
a favourite: a BLF key subscribes to a user of this switch, an outside number has no state.
Positions are the order the person chose; two entries on one position are refused (the
guide's "no duplicates in the positions"), so is the same entry twice. Favourites take the
keys no SIP line uses, so there can be no more of them than free keys.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..books.queries import COMPANY, book_contacts as company_book, contacts_by_ids, find_book, visible_books
from ..db import db
from ..errors import ValidationFailed
from ..models import Account, AddressBook, Device, DeviceContact, Extension, User, book_contacts
from .queries import free_keys

KINDS = ("contact", "book", "company", "extension")
_REF_COLUMNS = {"contact": "contact_id", "book": "book_id", "extension": "extension_id"}


@dataclass(frozen=True)
class Entry:
    kind: str                 # one of KINDS
    ref: int | None           # contact, book or extension id; None for the company book
    favourite: bool = False
    position: int = 0


def entries_of(device: Device) -> list[Entry]:
    rows = db.session.scalars(sa.select(DeviceContact).where(DeviceContact.device_id == device.id)
                              .order_by(DeviceContact.position))
    return [_entry(row) for row in rows]


def _entry(row: DeviceContact) -> Entry:
    if row.company_book:
        return Entry("company", None, False, row.position)
    for kind, ref in (("contact", row.contact_id), ("book", row.book_id), ("extension", row.extension_id)):
        if ref is not None:
            return Entry(kind, ref, row.favourite, row.position)
    raise ValueError(f"device_contacts row {row.id} names nothing")


def _field(index: int, name: str) -> str:
    return f"entries.{index}.{name}"


def _check_shape(entries: list[Entry]) -> None:
    positions: dict[int, int] = {}
    seen: dict[tuple, int] = {}
    for index, entry in enumerate(entries):
        if entry.kind not in KINDS:
            raise ValidationFailed.field(_field(index, "kind"), "must be one of: " + ", ".join(KINDS))
        if (entry.ref is None) != (entry.kind == "company"):
            raise ValidationFailed.field(_field(index, "ref"), "required, except for the company book")
        if entry.position in positions:
            raise ValidationFailed.field(_field(index, "position"), f"position {entry.position} is already taken "
                                         f"by entry {positions[entry.position]}", error_id="duplicate_position")
        if (entry.kind, entry.ref) in seen:
            raise ValidationFailed.field(_field(index, "ref"), f"already in the list (entry {seen[(entry.kind, entry.ref)]})",
                                         error_id="duplicate_entry")
        if entry.favourite and entry.kind != "extension":
            raise ValidationFailed.field(_field(index, "favourite"), "only the company's extensions can be monitored",
                                         error_id="favourite_not_extension")
        positions[entry.position], seen[(entry.kind, entry.ref)] = index, index


def _check_visible(actor: User, account: Account, entries: list[Entry]) -> None:
    """Each entry must be something ``actor`` sees: their books, contacts in those books, the
    account's extensions listed in the directory. Anything else reads as *not found*."""
    book_ids = [view.id for view in visible_books(actor, account) if view.id is not None]
    for index, entry in enumerate(entries):
        if entry.kind == "book":
            find_book(actor, entry.ref, account)
        elif entry.kind == "contact":
            found = db.session.scalar(sa.select(book_contacts.c.contact_id).where(
                book_contacts.c.contact_id == entry.ref, book_contacts.c.book_id.in_(book_ids)).limit(1))
            if found is None:
                raise ValidationFailed.field(_field(index, "ref"), "no such contact in your address books")
        elif entry.kind == "extension":
            ext = db.session.get(Extension, entry.ref)
            if ext is None or ext.account_id != account.id or not ext.listed_in_directory:
                raise ValidationFailed.field(_field(index, "ref"), "no such extension in the company book")
        else:
            find_book(actor, COMPANY, account)


def set_display(actor: User, account: Account, device: Device, entries: list[Entry]) -> list[Entry]:
    """Replace the phone's list. The phone shows it after its next provisioning (a reboot)."""
    _check_shape(entries)
    _check_visible(actor, account, entries)
    favourites, keys = sum(e.favourite for e in entries), len(free_keys(device))
    if favourites > keys:
        raise ValidationFailed.field("entries", f"{favourites} favourites, but this phone has {keys} free keys",
                                     error_id="too_many_favourites")
    _replace(device, entries)
    return entries_of(device)


def _replace(device: Device, entries: list[Entry]) -> None:
    db.session.execute(sa.delete(DeviceContact).where(DeviceContact.device_id == device.id))
    for entry in sorted(entries, key=lambda e: e.position):
        row = DeviceContact(device_id=device.id, position=entry.position, favourite=entry.favourite,
                            company_book=entry.kind == "company")
        if entry.kind in _REF_COLUMNS:
            setattr(row, _REF_COLUMNS[entry.kind], entry.ref)
        db.session.add(row)
    db.session.flush()


def copy_display(source: Device, targets: list[Device]) -> int:
    """Give other phones of the same account the source's list (guide: "copy this
    configuration to other phones", confirmed by the caller). Favourites beyond a target's
    free keys are refused, naming the phone; returns the number of phones changed."""
    entries = entries_of(source)
    favourites = sum(e.favourite for e in entries)
    for target in targets:
        if target.account_id != source.account_id:
            raise ValidationFailed.field("targets", "phones of the same account only")
        if favourites > len(free_keys(target)):
            raise ValidationFailed.field("targets", f"{target.name}: {favourites} favourites, "
                                         f"{len(free_keys(target))} free keys", error_id="too_many_favourites")
    changed = [t for t in targets if t.id != source.id]
    for target in changed:
        _replace(target, entries)
    return len(changed)


def describe(account: Account, entries: list[Entry]) -> dict[tuple[str, int | None], str]:
    """What each entry is called on the page: a contact's or colleague's name and number, a
    book's name. Read within the account only."""
    contacts = contacts_by_ids(account.id, [e.ref for e in entries if e.kind == "contact" and e.ref])
    company = {v.extension_id: v for v in company_book(account.id, COMPANY)} \
        if any(e.kind == "extension" for e in entries) else {}
    books = {b.id: b.name for b in db.session.scalars(sa.select(AddressBook).where(
        AddressBook.account_id == account.id, AddressBook.id.in_([e.ref for e in entries if e.kind == "book"])))}
    names: dict[tuple[str, int | None], str] = {}
    for entry in entries:
        view = contacts.get(entry.ref) if entry.kind == "contact" else company.get(entry.ref)
        if entry.kind in ("contact", "extension"):
            names[(entry.kind, entry.ref)] = f"{view.display_name} ({view.phone})" if view else "?"
        elif entry.kind == "book":
            names[(entry.kind, entry.ref)] = books.get(entry.ref, "?")  # "" = a personal book
        else:
            names[(entry.kind, entry.ref)] = account.name
    return names
