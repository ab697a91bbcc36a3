"""Received faxes (FAX-7): one row per rxfax call, converted to PDF, listed in the inbox, emailed.

Two steps, so nothing slow runs in the ESL lane and nothing is lost:
1. :func:`record_received` (the lane, from ``spandsp::rxfaxresult`` or the hang-up fallback)
   stores the row with the TIFF rxfax wrote — once per channel uuid, so a replayed event
   adds nothing;
2. :func:`convert_pending` (the fax worker) turns the TIFF into a PDF whose pages have their
   true size (fax/received.py), then owes the email to the number's recipients. A TIFF not
   yet visible (shared folder lag) is retried; one that cannot be read is kept with an error.
A fax that ended with an error but delivered pages is kept: half a fax beats none.
"""
from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa

from fax.received import first_page_thumbnail, received_tiff_to_pdf
from fax.storage import FaxStorage

from .. import mail_queue
from ..access import owned
from ..db import db, utcnow
from ..errors import ValidationFailed
from ..models import Account, PhoneNumber, ReceivedFax
from ..models._columns import as_utc
from ..numbering import nanp_e164
from . import emails
from .events import RxResult
from .rights import parse_recipients

log = logging.getLogger("pbx.fax.inbound")
MISSING_FILE_PATIENCE = timedelta(minutes=10)


class BatchLookups:
    """What the received faxes of one lane batch need from the database, read in two queries
    for the whole batch (one replay check and one number lookup each cost ~150 µs a fax)."""

    def __init__(self, changes: list[RxResult]) -> None:
        uuids = {c.uuid for c in changes if c.uuid}
        self.stored: set[str] = set(db.session.scalars(
            sa.select(ReceivedFax.channel_uuid).where(ReceivedFax.channel_uuid.in_(uuids)))) if uuids else set()
        ids = {c.number_id for c in changes if c.number_id}
        e164s = {e for c in changes if (e := nanp_e164(c.dialed))}
        numbers = db.session.scalars(sa.select(PhoneNumber).where(
            sa.or_(PhoneNumber.id.in_(ids), PhoneNumber.e164.in_(e164s)))).all() if ids or e164s else []
        self.by_id = {n.id: n for n in numbers}
        self.by_e164 = {n.e164: n for n in numbers}

    def number_for(self, change: RxResult) -> PhoneNumber | None:
        """The number our ReceiveFax step marked, else the one dialed (older dialplans)."""
        number = self.by_id.get(change.number_id) if change.number_id else None
        return number or self.by_e164.get(nanp_e164(change.dialed) or "")


def record_received(change: RxResult, storage: FaxStorage, known: BatchLookups) -> int | None:
    """The new row's id; None when nothing was received, it is not ours, or it is a replay."""
    if change.pages <= 0:
        log.info("rxfax ended without a page uuid=%s code=%s text=%r", change.uuid, change.code, change.text)
        return None
    if change.uuid and change.uuid in known.stored:
        return None
    number = known.number_for(change)
    relative = storage.relative_from_fs(change.fs_path)
    if number is None or relative is None:
        log.error("received fax not stored uuid=%s dialed=%s path=%s: %s", change.uuid, change.dialed,
                  change.fs_path, "unknown number" if number is None else "file outside the fax storage")
        return None
    row = ReceivedFax(account_id=number.account_id, number_id=number.id, caller_number=change.caller_number,
                      remote_station_id=change.remote_station_id or None, pages=change.pages,
                      channel_uuid=change.uuid or None, tiff_path=relative,
                      result_text=None if change.success else (change.text or None))
    db.session.add(row)
    db.session.flush()
    if change.uuid:
        known.stored.add(change.uuid)  # the result event and the hang-up fallback of one call
    log.info("fax received id=%s number=%s pages=%s", row.id, number.e164, change.pages)
    return row.id


def pending_ids(limit: int = 20) -> list[int]:
    return list(db.session.scalars(sa.select(ReceivedFax.id).where(
        ReceivedFax.pdf_path.is_(None), ReceivedFax.error.is_(None), ReceivedFax.tiff_path.is_not(None),
        ReceivedFax.files_purged_at.is_(None))
        .order_by(ReceivedFax.id).limit(limit)))


def convert_one(received_id: int, storage: FaxStorage) -> bool:
    """TIFF → stored PDF for one row and commit; True when the PDF is now there."""
    row = db.session.get(ReceivedFax, received_id)
    if row is None or row.pdf_path is not None or row.error is not None:
        return False
    tiff = storage.local(row.tiff_path)
    if not tiff.exists():
        if utcnow() - as_utc(row.created_at) > MISSING_FILE_PATIENCE:
            row.error = f"received TIFF not found: {row.tiff_path}"[:255]
            log.error("received fax id=%s: %s", row.id, row.error)
            db.session.commit()
        return False
    try:
        document = received_tiff_to_pdf(tiff)
    except Exception as exc:  # a broken TIFF must not block the queue; keep the file for a human
        row.error = f"received TIFF unreadable: {exc}"[:255]
        log.error("received fax id=%s: %s", row.id, row.error)
        db.session.commit()
        return False
    relative = storage.inbound_pdf(row.account_id, row.id)
    storage.write(relative, document.pdf)
    storage.write(storage.thumbnail_of(relative), first_page_thumbnail(tiff))
    row.pdf_path, row.pages = relative, document.page_count
    recipients = recipients_of(row)
    if recipients:  # owed with the PDF, in the same commit (the PDF itself is read when it leaves)
        mail_queue.enqueue(emails.RECEIVED_KIND, ", ".join(recipients), account_id=row.account_id, source_id=row.id)
    db.session.commit()
    return True


def recipients_of(row: ReceivedFax) -> list[str]:
    emails = db.session.scalar(sa.select(PhoneNumber.fax_inbound_emails).where(PhoneNumber.id == row.number_id))
    try:
        return parse_recipients(emails)
    except ValidationFailed:  # saved before the rules existed: deliver to the plausible ones only
        return [e.strip() for e in (emails or "").replace(";", ",").split(",") if "@" in e]


def list_received(account: Account, limit: int = 200) -> list[ReceivedFax]:
    return list(db.session.scalars(sa.select(ReceivedFax).where(ReceivedFax.account_id == account.id)
                                   .order_by(ReceivedFax.created_at.desc(), ReceivedFax.id.desc()).limit(limit)))


def get_received(account: Account, received_id: int) -> ReceivedFax:
    return owned(account, ReceivedFax, received_id, "fax not found")
