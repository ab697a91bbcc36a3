"""The outbox (FAX-5): who sees which fax, its live progress, and "send again".

Admins see every fax of the account, a user the faxes they sent; anything else is "not found"
(fs_service.access). Resending makes a **new** job from the same pages (files copied), so each
row keeps its own history and outcome, and the new one starts at the top of the ladder; the
destination's toll class is checked again against the sender's rights of today.

Cancelling (the sender or an admin) stops a fax that is waiting (``queued`` or ``retrying``);
one being sent cannot be stopped (the call is up: 409 ``fax_sending``), a finished one neither.
A cancelled fax sends no email and keeps its files until the retention sweep (:mod:`.retention`).
If an earlier try turns out to have gone through after all (a late ``txfaxresult``), the job
is marked sent anyway: it tells what the recipient got (fs_service.fax.jobs).
"""
from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa

from fax.storage import FaxStorage

from ..calls.context import account_local_areas
from ..calls.dialing import classify
from ..db import db
from ..errors import Conflict, NotFound
from ..models import Account, FaxJob, PhoneNumber, User
from ..models._columns import as_utc
from . import queue, rights
from .destinations import require_toll_class
from .retention import require_files

log = logging.getLogger("pbx.fax.outbox")

ACTIVE = ("queued", "sending", "retrying")
CANCELLABLE = queue.DUE_STATES


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
            "next_attempt_at": when.isoformat() if when and job.state == "retrying" else None,
            "awaiting_outcome": job.state == "sending" and job.outcome_due_by is not None,
            "cancellable": job.state in CANCELLABLE, "files_purged": job.files_purged_at is not None}


def resend(account: Account, user: User, job: FaxJob, storage: FaxStorage) -> FaxJob:
    """Queue the same pages again (flushed; the caller commits)."""
    rights.require_sender(user, account)
    require_files(job)
    if job.state in ACTIVE:
        raise Conflict("this fax is still being sent", error_id="fax_still_active")
    sender = db.session.get(PhoneNumber, job.sender_number_id) if job.sender_number_id else None
    if sender is None or not sender.is_fax or sender.account_id != account.id:
        raise Conflict("the sender fax number of this fax is no longer a fax number", error_id="fax_sender_gone")
    # Read again from the carrier's digits: a number's class no longer depends on the form typed
    # (issue 13), and the account's local area may have changed since (its numbers).
    dialed = classify(job.destination, account_local_areas(account.id))
    toll_class = dialed.toll_class if dialed else job.toll_class
    require_toll_class(account, user, toll_class or "")
    stem = storage.new_outbound(account.id)
    files = ((".tif", job.tiff_path), (".pdf", job.pdf_path), ("-cover.pdf", queue.cover_path(job.pdf_path)))
    for suffix, source in files:
        data = storage.read(source)
        if data is None and suffix != "-cover.pdf":
            raise Conflict("the pages of this fax are no longer stored", error_id="fax_files_gone")
        if data is not None:
            storage.write(stem + suffix, data)
    return queue.create_job(account, user.id, sender, job.destination, language=job.language, subject=job.subject,
                            recipient_name=job.recipient_name, stem=stem, pages_total=job.pages_total,
                            toll_class=toll_class)


def cancel(account: Account, user: User, job: FaxJob) -> FaxJob:
    """Cancel a waiting fax (flushed; the caller commits). ``job`` comes from :func:`get_job`,
    so it is already one the actor may see: their own, or any of the account for an admin."""
    if job.account_id != account.id or (job.user_id != user.id and not rights.can_read_all(user, account)):
        raise NotFound("fax not found")
    done = queue.cancel(job.id)
    db.session.refresh(job)
    if not done and job.state == "sending":
        raise Conflict("this fax is being sent right now and can no longer be cancelled", error_id="fax_sending")
    if not done:
        raise Conflict("this fax is finished and can no longer be cancelled", error_id="fax_not_cancellable")
    log.info("fax cancelled job=%s account=%s by user=%s", job.id, account.id, user.id)
    return job
