"""What a phone's configuration says, as plain data; the web door renders it per model family.

A phone asks for its file by MAC under a per-phone secret (``/provisioning/<secret>/…``): a MAC
is printed on the box and easy to learn, the secret is not. A wrong secret or an unknown MAC
gets the same "not found" (nothing tells whether the MAC exists) and counts as a failure for
the source address; past ``MAX_FAILURES`` in ``WINDOW_SECONDS`` every request from that
address is refused before any lookup, so guessing 256-bit secrets is hopeless and even
probing for MACs is slow. Counted in the database: every web worker enforces the same limit.

Everything comes from the phone's own account: its lines' extensions, and its display list
read through fs_service.books (which filters every read on the account), so another
account's contacts cannot appear whatever a row points to.
"""
from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..accounts.login import count_recent
from ..books.queries import COMPANY, ContactView, book_contacts, contacts_by_ids
from ..db import db, utcnow
from ..errors import NotFound, TooManyAttempts
from ..models import Account, AddressBook, Device, DeviceLine, Extension, ProvisioningFailure
from .display import Entry, entries_of
from .models import PhoneModel, model_of
from .queries import free_keys

log = logging.getLogger("pbx.phones.provisioning")
MAX_FAILURES = 20
WINDOW_SECONDS = 600
ZONEINFO = Path("/usr/share/zoneinfo")


@dataclass(frozen=True)
class SipLine:
    line_key: int
    index: int            # 1-based account number on the phone, in line key order
    user: str
    password: str
    domain: str           # the account's SIP domain (registrar / realm)
    display_name: str
    label: str


@dataclass(frozen=True)
class Blf:
    key: int              # the programmable key it occupies (a key no SIP line uses)
    number: str
    label: str


@dataclass(frozen=True)
class PhoneContact:
    name: str
    first_name: str
    last_name: str
    phone: str


@dataclass(frozen=True)
class RemoteBook:
    ref: str              # "company" or the stored book's id: the last part of its URL
    name: str


@dataclass(frozen=True)
class PhoneConfig:
    mac: str
    model: PhoneModel
    switch_host: str      # where the phone sends SIP (outbound proxy)
    switch_port: int
    timezone: str
    utc_offset_minutes: int   # standard time (what phones without tz names want)
    posix_tz: str             # e.g. EST5EDT,M3.2.0,M11.1.0 ("" if unknown)
    language: str             # fr | en
    lines: list[SipLine]
    configure_books: bool     # False: leave the phone's own directory alone
    contacts: list[PhoneContact]    # in the chosen order (whole books expanded if not remote)
    favourites: list[Blf]
    remote_books: list[RemoteBook]


def _refused(remote_addr: str) -> None:
    since = utcnow() - timedelta(seconds=WINDOW_SECONDS)
    db.session.execute(sa.delete(ProvisioningFailure).where(ProvisioningFailure.created_at < since))
    db.session.add(ProvisioningFailure(remote_addr=remote_addr[:45]))
    db.session.commit()
    log.warning("provisioning refused remote_addr=%s", remote_addr)


def device_for_request(mac: str, secret: str, remote_addr: str) -> Device:
    """The phone whose file is asked for, or NotFound (counted) / TooManyAttempts."""
    if count_recent(ProvisioningFailure, ProvisioningFailure.remote_addr == remote_addr[:45],
                    window_seconds=WINDOW_SECONDS) >= MAX_FAILURES:
        raise TooManyAttempts("too many failed provisioning requests from this address; try again later")
    device = db.session.scalar(sa.select(Device).where(Device.mac == mac.lower()))
    expected = device.secret if device is not None and device.secret else None
    # Compared in constant time, and against a dummy when the MAC is unknown: the answer's
    # timing says nothing about which part was wrong.
    if not hmac.compare_digest((expected or "-" * 43).encode(), secret.encode()) or expected is None:
        _refused(remote_addr)
        raise NotFound("no configuration here")
    return device


def posix_tz(name: str) -> str:
    """The POSIX TZ rule a TZif file ends with (RFC 8536 footer), for phones that take one."""
    try:
        footer = (ZONEINFO / name).read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[-1]
    except OSError:
        return ""
    return footer.decode("ascii", "replace") if footer and not footer.startswith(b"TZif") else ""


def _offset_minutes(name: str) -> int:
    january = datetime(utcnow().year, 1, 15, tzinfo=timezone.utc).astimezone(ZoneInfo(name))
    offset = january.utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


def _lines(device: Device, account: Account) -> tuple[list[SipLine], str]:
    rows = db.session.execute(sa.select(DeviceLine.line_key, Extension)
                              .join(Extension, Extension.id == DeviceLine.extension_id)
                              .where(DeviceLine.device_id == device.id, Extension.account_id == account.id)
                              .order_by(DeviceLine.line_key)).all()
    lines = [SipLine(key, index, ext.number, ext.sip_password, account.sip_domain,
                     ext.caller_id_name or ext.number, ext.number)
             for index, (key, ext) in enumerate(rows, start=1)]
    return lines, (rows[0][1].language if rows else account.language)


def _contact(view: ContactView) -> PhoneContact:
    return PhoneContact(view.display_name, view.first_name, view.last_name, view.phone)


def _book_name(account: Account, entry: Entry) -> str | None:
    """The name a remote book shows on the phone; None for a book no longer in the account."""
    if entry.kind == "company":
        return account.name
    book = db.session.get(AddressBook, entry.ref)
    if book is None or book.account_id != account.id:
        return None
    return book.name or "Contacts"  # a personal book has no name of its own


def _company_views(account: Account, entries: list[Entry]) -> dict[int, ContactView]:
    if not any(entry.kind == "extension" for entry in entries):
        return {}
    return {view.extension_id: view for view in book_contacts(account.id, COMPANY) if view.extension_id}


@dataclass
class _Display:
    contacts: list[PhoneContact]
    watched: list[ContactView]
    remote: list[RemoteBook]


def _display(device: Device, account: Account, model: PhoneModel) -> _Display:
    entries = entries_of(device)
    stored = contacts_by_ids(account.id, [e.ref for e in entries if e.kind == "contact" and e.ref is not None])
    company = _company_views(account, entries)
    shown = _Display([], [], [])
    for entry in entries:
        if entry.kind == "contact" and entry.ref in stored:
            shown.contacts.append(_contact(stored[entry.ref]))
        elif entry.kind == "extension" and entry.ref in company:
            shown.contacts.append(_contact(company[entry.ref]))
            if entry.favourite:
                shown.watched.append(company[entry.ref])
        elif entry.kind in ("book", "company"):
            _whole_book(account, model, entry, shown)
    return shown


def _whole_book(account: Account, model: PhoneModel, entry: Entry, shown: _Display) -> None:
    name = _book_name(account, entry)
    if name is None:
        return
    ref = COMPANY if entry.kind == "company" else str(entry.ref)
    if model.remote_books:
        shown.remote.append(RemoteBook(ref, name))
    else:
        shown.contacts.extend(_contact(view) for view in book_contacts(account.id, ref))


def build_config(device: Device, switch_host: str, switch_port: int) -> PhoneConfig:
    """The data of one phone's configuration; NotFound while no model is chosen (the phone
    cannot be told anything useful)."""
    model = model_of(device.model)
    if model is None:
        raise NotFound("no configuration here")
    account = db.session.get(Account, device.account_id)
    lines, language = _lines(device, account)
    shown = _display(device, account, model) if device.configure_books else _Display([], [], [])
    favourites = [Blf(key, view.phone, view.display_name)
                  for key, view in zip(free_keys(device), shown.watched)]
    if len(favourites) < len(shown.watched):
        log.warning("phone favourites beyond its free keys dropped device=%d dropped=%d", device.id,
                    len(shown.watched) - len(favourites))
    return PhoneConfig(device.mac, model, switch_host, switch_port, device.timezone, _offset_minutes(device.timezone),
                       posix_tz(device.timezone), language, lines, device.configure_books, shown.contacts,
                       favourites, shown.remote)


def remote_book(device: Device, ref: str) -> list[PhoneContact]:
    """A whole book the phone's list holds, for the phone to fetch; any other is not found."""
    account = db.session.get(Account, device.account_id)
    for entry in entries_of(device) if device.configure_books else []:
        entry_ref = COMPANY if entry.kind == "company" else str(entry.ref)
        if entry.kind in ("book", "company") and entry_ref == ref and _book_name(account, entry) is not None:
            return [_contact(view) for view in book_contacts(account.id, ref)]
    raise NotFound("no such phone book")
