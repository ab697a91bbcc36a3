"""The fax job queue (FAX-5): a row per fax, claimed safely by any number of workers.

The job row is the queue: ``queued`` (new) or ``retrying`` (waiting for ``next_attempt_at``)
rows are due; a worker *claims* one by switching it to ``sending`` with a conditional UPDATE
(``WHERE id = ? AND state IN ('queued', 'retrying')``): exactly one worker sees rowcount 1, on
SQLite and PostgreSQL alike. On PostgreSQL the candidate SELECT also takes ``FOR UPDATE SKIP
LOCKED`` so concurrent workers pick different rows instead of racing for the same ones. A claim
increments ``attempts`` — the attempt number travels on the channel (``pbx_fax_attempt``) so
results of an older try can never move a newer one. A claimed job whose worker dies stays
``sending`` until the watchdog (:mod:`.watchdog`) reconciles it with FreeSWITCH.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..calls.context import routing_for
from ..db import db, utcnow
from ..models import Account, FaxJob, PhoneNumber
from . import ladder

DUE_STATES = ("queued", "retrying")


@dataclass(frozen=True)
class Claimed:
    """Everything the worker needs to place one try (plain data: it crosses greenlets)."""
    job_id: int
    attempt: int
    rung: int
    destination: str
    gateway: str | None
    sender_e164: str
    company: str
    tiff_relative: str


def create_job(account: Account, user_id: int | None, sender: PhoneNumber, destination: str, *,
               language: str, subject: str, recipient_name: str, stem: str, pages_total: int,
               toll_class: str | None = None) -> FaxJob:
    """A queued fax whose TIFF and PDF are already written at ``<stem>.tif`` / ``.pdf``."""
    job = FaxJob(account_id=account.id, user_id=user_id, sender_number_id=sender.id, destination=destination,
                 toll_class=toll_class, language=language, state="queued", subject=subject[:200], recipient_name=recipient_name[:200],
                 tiff_path=f"{stem}.tif", pdf_path=f"{stem}.pdf", pages_total=pages_total, next_attempt_at=utcnow())
    db.session.add(job)
    db.session.flush()
    return job


def has_due(now: datetime | None = None) -> bool:
    """Cheap "anything to place?" (no lock), so an idle worker does not even reach for a node."""
    return db.session.scalar(sa.select(FaxJob.id).where(
        FaxJob.state.in_(DUE_STATES), sa.or_(FaxJob.next_attempt_at.is_(None),
                                             FaxJob.next_attempt_at <= (now or utcnow()))).limit(1)) is not None


def due_ids(limit: int, now: datetime | None = None) -> list[int]:
    query = (sa.select(FaxJob.id)
             .where(FaxJob.state.in_(DUE_STATES), sa.or_(FaxJob.next_attempt_at.is_(None),
                                                          FaxJob.next_attempt_at <= (now or utcnow())))
             .order_by(FaxJob.next_attempt_at, FaxJob.id).limit(limit))
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=FaxJob)
    return list(db.session.scalars(query))


def claim(job_id: int, node: str | None, now: datetime | None = None) -> bool:
    """Take one due job for this worker; False when another worker took it first."""
    result = db.session.execute(
        sa.update(FaxJob).where(FaxJob.id == job_id, FaxJob.state.in_(DUE_STATES))
        .values(state="sending", attempts=FaxJob.attempts + 1, claimed_at=now or utcnow(), node=node,
                channel_uuid=None, pages_sent=0, next_attempt_at=None)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def claim_due(limit: int, node: str | None = None) -> list[Claimed]:
    """Claim up to ``limit`` due jobs and commit; the plain data to place each of them."""
    try:
        claimed = [job_id for job_id in due_ids(limit) if claim(job_id, node)]
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return [c for c in (claimed_data(job_id) for job_id in claimed) if c is not None]


def cancel(job_id: int) -> bool:
    """``queued`` / ``retrying`` → ``cancelled``, under the very condition :func:`claim` uses:
    whichever of the two UPDATEs commits first wins (on PostgreSQL the second one waits for the
    row lock and then finds the state changed), so a cancelled job is never placed and a
    claimed one is never cancelled. False when the job was not (or no longer) waiting."""
    result = db.session.execute(
        sa.update(FaxJob).where(FaxJob.id == job_id, FaxJob.state.in_(DUE_STATES))
        .values(state="cancelled", next_attempt_at=None, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def claimed_data(job_id: int) -> Claimed | None:
    row = db.session.execute(
        sa.select(FaxJob, PhoneNumber.e164, Account)
        .join(Account, Account.id == FaxJob.account_id)
        .outerjoin(PhoneNumber, PhoneNumber.id == FaxJob.sender_number_id)
        .where(FaxJob.id == job_id)).first()
    if row is None:
        return None
    job, e164, account = row
    return Claimed(job.id, job.attempts, job.ladder_rung, job.destination, routing_for(account).gateway,
                   e164 or "", account.name, job.tiff_path or "")


def originated(job_id: int, attempt: int, uuid: str, node: str | None = None) -> bool:
    """FreeSWITCH answered the originate with the channel's uuid (the far end picked up)."""
    values = {"channel_uuid": uuid[:64]}
    if node:
        values["node"] = node
    done = db.session.execute(sa.update(FaxJob).where(
        FaxJob.id == job_id, FaxJob.attempts == attempt, FaxJob.state == "sending").values(**values)
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return done


def give_back(job_id: int, delay_seconds: float = 30.0) -> None:
    """A claimed job that could not even be handed to FreeSWITCH (no node reachable): due
    again shortly, its attempt given back (nothing was tried; a claim made attempts >= 1)."""
    db.session.execute(sa.update(FaxJob).where(FaxJob.id == job_id, FaxJob.state == "sending").values(
        state="retrying", attempts=FaxJob.attempts - 1,
        next_attempt_at=utcnow() + timedelta(seconds=delay_seconds), claimed_at=None)
        .execution_options(synchronize_session=False))
    db.session.commit()


def rung_label(rung: int) -> str:
    """"T.38, ECM, V.17" style summary of a rung, for logs and the outbox."""
    m = ladder.mode(rung)
    return ", ".join([("T.38" if m.t38 else "audio"), ("ECM" if m.ecm else "no ECM"),
                      ("V.17" if m.v17 else "V.29")])


def cover_path(pdf_path: str | None) -> str | None:
    """The cover page kept beside a job's PDF (``<stem>-cover.pdf``, fs_service/fax/sending.py)."""
    return pdf_path[:-4] + "-cover.pdf" if pdf_path and pdf_path.endswith(".pdf") else None
