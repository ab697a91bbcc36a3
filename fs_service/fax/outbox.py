"""The outbox (FAX-5): who sees which fax, its live progress, and "send again".

Admins see every fax of the account, a user the faxes they sent; anything else is "not found"
(fs_service.access). Resending makes a **new** job from the same pages (files copied), so each
row keeps its own history and outcome, and the new one starts at the top of the ladder.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from fax.storage import FaxStorage

from ..db import db
from ..errors import Conflict, NotFound
from ..models import Account, FaxJob, PhoneNumber, User
from ..models._columns import as_utc
from . import queue, rights

ACTIVE = ("queued", "sending", "retrying")


def _visible(account: Account, user: User):
    query = sa.select(FaxJob).where(FaxJob.account_id == account.id)
    return query if rights.can_read_all(user, account) else query.where(FaxJob.user_id == user.id)


def list_jobs(account: Account, user: User, limit: int = 200) -> list[FaxJob]:
    return list(db.session.scalars(_visible(account, user).order_by(FaxJob.created_at.desc(), FaxJob.id.desc())
                                   .limit(limit)))


def get_job(account: Account, user: User, job_id: int) -> FaxJob:
    job = db.session.scalar(_visible(account, user).where(FaxJob.id == job_id))
    if job is None:
        raise NotFound("fax not found")
    return job


def progress(job: FaxJob) -> dict:
    """What the live outbox shows of one job (plain JSON-able data)."""
    when: datetime | None = as_utc(job.next_attempt_at)
    return {"id": job.id, "state": job.state, "pages_sent": job.pages_sent, "pages_total": job.pages_total,
            "attempts": job.attempts, "ladder_rung": job.ladder_rung, "mode": queue.rung_label(job.ladder_rung),
            "result_code": job.result_code, "result_text": job.result_text, "failure_class": job.failure_class,
            "next_attempt_at": when.isoformat() if when and job.state == "retrying" else None}


def resend(account: Account, user: User, job: FaxJob, storage: FaxStorage) -> FaxJob:
    """Queue the same pages again (flushed; the caller commits)."""
    rights.require_sender(user, account)
    if job.state in ACTIVE:
        raise Conflict("this fax is still being sent", error_id="fax_still_active")
    sender = db.session.get(PhoneNumber, job.sender_number_id) if job.sender_number_id else None
    if sender is None or not sender.is_fax or sender.account_id != account.id:
        raise Conflict("the sender fax number of this fax is no longer a fax number", error_id="fax_sender_gone")
    stem = storage.new_outbound(account.id)
    files = ((".tif", job.tiff_path), (".pdf", job.pdf_path), ("-cover.pdf", queue.cover_path(job.pdf_path)))
    for suffix, source in files:
        data = storage.read(source)
        if data is None and suffix != "-cover.pdf":
            raise Conflict("the pages of this fax are no longer stored", error_id="fax_files_gone")
        if data is not None:
            storage.write(stem + suffix, data)
    return queue.create_job(account, user.id, sender, job.destination, language=job.language, subject=job.subject,
                            recipient_name=job.recipient_name, stem=stem, pages_total=job.pages_total)
