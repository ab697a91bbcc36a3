"""Delivering the owed fax emails (FAX-6, FAX-7): the rows are the queue, as for voicemail.

A row owes an email while ``email_due_at`` is set (fax_jobs: confirmation or alert, set by the
transition that finished the job; received_faxes: set once the PDF exists). Each send first
*claims* the row by pushing ``email_due_at`` forward (:func:`fs_service.mail.claim_due`, a
conditional UPDATE), so two workers never send the same email; success clears it and stamps the sent time, failure
retries with a backoff of 1, 2, 4… minutes capped at an hour. Because only a job's single
transition to sent/failed sets ``email_due_at``, replayed events never owe a second email.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa

from fax.storage import FaxStorage

from .. import mail
from ..db import db, utcnow
from ..models import Account, FaxJob, PhoneNumber, ReceivedFax, User
from ..models._columns import as_utc
from . import emails, inbound, ladder, queue

log = logging.getLogger("pbx.fax.mail")


def _due(model, limit: int) -> list[int]:
    return list(db.session.scalars(sa.select(model.id).where(
        model.email_due_at.is_not(None), model.email_due_at <= utcnow()).order_by(model.email_due_at).limit(limit)))


def _record(model, row_id: int, error: str | None, sent_column: str) -> None:
    row = db.session.get(model, row_id)
    if row is None:
        return
    if error is None:
        row.email_due_at = None
        setattr(row, sent_column, utcnow())
    else:
        row.email_attempts += 1
        row.email_due_at = utcnow() + mail.backoff(row.email_attempts)
        log.warning("fax email failed %s=%s attempts=%d error=%s", model.__tablename__, row_id,
                    row.email_attempts, error)
    db.session.commit()


def _void(model, row_id: int) -> None:
    """Nobody to tell (sender deleted, no recipient left): the debt is dropped, nothing stamped."""
    db.session.execute(sa.update(model).where(model.id == row_id).values(email_due_at=None)
                       .execution_options(synchronize_session=False))
    db.session.commit()


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


def _send(settings, message) -> str | None:
    try:
        mail.send(settings, message)
    except mail.MailError as exc:
        return str(exc)[:255] or "SMTP error"
    return None


def send_job_email(settings, storage: FaxStorage, job_id: int) -> bool:
    if not mail.claim_due(FaxJob, job_id):
        return False
    data = job_mail(job_id)
    cover_relative = queue.cover_path(db.session.scalar(sa.select(FaxJob.pdf_path).where(FaxJob.id == job_id)))
    db.session.commit()  # end the read transaction before talking SMTP
    if data is None:
        _void(FaxJob, job_id)
        return False
    cover = storage.read(cover_relative)
    error = _send(settings, emails.job_message(settings.mail_from, data, cover))
    _record(FaxJob, job_id, error, "confirmation_sent_at")
    return error is None


def send_received_email(settings, storage: FaxStorage, received_id: int) -> bool:
    if not mail.claim_due(ReceivedFax, received_id):
        return False
    found = received_mail(received_id)
    db.session.commit()
    if found is None:
        _void(ReceivedFax, received_id)
        return False
    data, relative = found
    pdf = storage.read(relative)
    error = "received PDF not readable" if pdf is None else _send(
        settings, emails.received_message(settings.mail_from, data, pdf))
    _record(ReceivedFax, received_id, error, "emailed_at")
    return error is None


def send_due(settings, storage: FaxStorage, limit: int = 50) -> int:
    """One pass over every owed fax email; how many were accepted by SMTP."""
    sent = sum(send_job_email(settings, storage, i) for i in _due(FaxJob, limit))
    return sent + sum(send_received_email(settings, storage, i) for i in _due(ReceivedFax, limit))
