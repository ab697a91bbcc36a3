"""The fax emails (FAX-6, FAX-7) as kinds of the one mail queue (:mod:`fs_service.mail_queue`).

They are owed in the transaction that decides them -- a job's single transition to sent or
failed (:mod:`.jobs`), a received fax's PDF stored (:mod:`.inbound`) -- as a ``mail_deliveries``
row, so replayed events owe no second email and the queue's claim keeps two workers (or one
restarted mid-send) from sending it twice. The message is built at each try from the fax's row
and its files, read then from the fax storage: nothing large is kept in the queue, and an
attachment is there however long SMTP was down. A fax whose files the retention sweep deleted
before its email left fails that email with a clear answer (``GiveUp``) rather than sending
a received-fax email without its pages; the admins see it on the "Emails" page.
"""
from __future__ import annotations

import logging
from email.message import EmailMessage

import sqlalchemy as sa

from fax.storage import FaxStorage

from .. import mail, mail_queue
from ..db import db, utcnow
from ..models import Account, FaxJob, MailDelivery, PhoneNumber, ReceivedFax, User
from ..models._columns import as_utc
from . import emails, inbound, ladder, queue

log = logging.getLogger("pbx.fax.mail")
PURGED = "fax files deleted by the retention sweep before the email could leave"


def job_mail(job_id: int) -> emails.JobMail | None:
    row = db.session.execute(
        sa.select(FaxJob, User.email, User.language, Account.timezone)
        .join(Account, Account.id == FaxJob.account_id).outerjoin(User, User.id == FaxJob.user_id)
        .where(FaxJob.id == job_id)).first()
    if row is None or not row.email or row[0].state not in ("sent", "failed"):
        return None
    job = row[0]
    return emails.JobMail(job.id, row.email, row.language or "fr", row.timezone, job.state,
                          job.failure_class == ladder.DOCUMENT, job.destination, job.recipient_name, job.subject,
                          job.pages_sent, job.pages_total, job.duration_seconds, job.remote_station_id or "",
                          job.result_text or "", as_utc(job.updated_at))


def received_mail(received_id: int) -> tuple[emails.ReceivedMail, str] | None:
    row = db.session.execute(
        sa.select(ReceivedFax, PhoneNumber.e164, Account.language, Account.timezone)
        .join(Account, Account.id == ReceivedFax.account_id)
        .outerjoin(PhoneNumber, PhoneNumber.id == ReceivedFax.number_id).where(ReceivedFax.id == received_id)).first()
    if row is None or row[0].pdf_path is None:
        return None
    fax, recipients = row[0], tuple(inbound.recipients_of(row[0]))
    if not recipients:
        return None
    data = emails.ReceivedMail(fax.id, recipients, row.language, row.timezone, row.e164 or "", fax.caller_number,
                               fax.remote_station_id or "", fax.pages, as_utc(fax.created_at))
    return data, fax.pdf_path


def _purged(model, row_id: int) -> None:
    if db.session.scalar(sa.select(model.files_purged_at).where(model.id == row_id)) is not None:
        raise mail_queue.GiveUp(PURGED)


def mail_kinds(sender: str, storage: FaxStorage) -> mail_queue.MailKinds:
    """The fax kinds, sent by the fax worker (esl_handlers/fax_worker.py), which has the fax storage."""

    def build_job(delivery: MailDelivery) -> EmailMessage | None:
        _purged(FaxJob, delivery.source_id)
        data = job_mail(delivery.source_id)
        if data is None:  # sender deleted or without an address: nobody to tell
            return None
        cover = queue.cover_path(db.session.scalar(sa.select(FaxJob.pdf_path).where(FaxJob.id == data.job_id)))
        return emails.job_message(sender, data, storage.read(cover))

    def build_received(delivery: MailDelivery) -> EmailMessage | None:
        _purged(ReceivedFax, delivery.source_id)
        found = received_mail(delivery.source_id)
        if found is None:  # the number lost its recipients, or the row is gone
            return None
        data, relative = found
        pdf = storage.read(relative)
        if pdf is None:
            raise mail.MailError(f"received fax PDF not readable: {relative}")  # tried again, then failed
        return emails.received_message(sender, data, pdf)

    def stamp(model, column: str):
        def sent(delivery: MailDelivery) -> None:
            db.session.execute(sa.update(model).where(model.id == delivery.source_id).values({column: utcnow()})
                               .execution_options(synchronize_session=False))
            log.info("fax emailed %s=%s delivery=%s", model.__tablename__, delivery.source_id, delivery.id)
        return sent

    return {emails.JOB_KIND: mail_queue.MailKind(build_job, stamp(FaxJob, "confirmation_sent_at")),
            emails.RECEIVED_KIND: mail_queue.MailKind(build_received, stamp(ReceivedFax, "emailed_at"))}
