"""Reconcile faxes stuck in ``sending`` with what FreeSWITCH really runs (DESIGN: no fax stuck
in "sending" forever).

A job stays ``sending`` while its try is in flight; only an event or the originate reply ends
it. When the worker dies while waiting for the originate, or FreeSWITCH restarts mid-fax, or
the listener was down when the result came, nothing will: the watchdog asks each node for its
live channels (``show channels``, as the status resync does) and decides per job:

- its channel (``channel_uuid``) is live → still sending, leave it;
- no uuid yet, but a live channel runs ``txfax`` on its TIFF → the originate reply was lost:
  adopt that channel;
- no uuid yet and claimed less than :data:`ORIGINATE_GRACE` ago → the far end may still be
  ringing, leave it;
- anything else (channel gone, FreeSWITCH restarted) → the try ended *unheard*. It is not
  retried: the far end may hold the pages (the issue-16 fax was delivered while the control
  plane was down, then sent again). Its outcome is awaited from the switch's record
  (mod_xml_cdr, :mod:`.outcomes`) until ``PBX_FAX_OUTCOME_WAIT_SECONDS``, then the job is
  ``unknown`` (:func:`.jobs.await_record`);
- a node that cannot be asked is skipped, unless the claim is older than :data:`GIVE_UP_AFTER`
  (then the same wait for a record).
The decision is pure (:func:`verdict`); the worker supplies the channel lists.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..db import db, utcnow
from ..models import FaxJob
from ..models._columns import as_utc
from . import jobs

ORIGINATE_GRACE = timedelta(seconds=150)  # ring time (60 s) + answer + the BACKGROUND_JOB, with margin
OUTCOME_WAIT = timedelta(minutes=30)  # the default of PBX_FAX_OUTCOME_WAIT_SECONDS
GIVE_UP_AFTER = timedelta(hours=2)
KEEP, ADOPT, LOST = "keep", "adopt", "lost"


@dataclass(frozen=True)
class Sending:
    job_id: int
    attempt: int
    node: str | None
    channel_uuid: str | None
    tiff_relative: str | None
    claimed_at: datetime | None


@dataclass(frozen=True)
class LiveChannels:
    """One node's answer to ``show channels``: uuids, and uuid → application data of txfax legs."""
    uuids: frozenset[str]
    txfax: dict[str, str]


def sending_jobs(older_than: timedelta = timedelta(seconds=30), now: datetime | None = None) -> list[Sending]:
    """Jobs in ``sending`` long enough that a reconciliation makes sense."""
    cutoff = (now or utcnow()) - older_than
    rows = db.session.execute(sa.select(FaxJob.id, FaxJob.attempts, FaxJob.node, FaxJob.channel_uuid,
                                        FaxJob.tiff_path, FaxJob.claimed_at)
                              .where(FaxJob.state == "sending", sa.or_(FaxJob.claimed_at.is_(None),
                                                                       FaxJob.claimed_at <= cutoff)))
    return [Sending(r.id, r.attempts, r.node, r.channel_uuid, r.tiff_path, as_utc(r.claimed_at)) for r in rows]


def verdict(job: Sending, live: LiveChannels | None, fs_tiff: str | None, now: datetime) -> tuple[str, str | None]:
    """(KEEP | ADOPT | LOST, the uuid to adopt). ``live`` None = the node could not be asked."""
    age = now - job.claimed_at if job.claimed_at else GIVE_UP_AFTER
    if live is None:
        return (LOST, None) if age >= GIVE_UP_AFTER else (KEEP, None)
    if job.channel_uuid:
        return (KEEP, None) if job.channel_uuid in live.uuids else (LOST, None)
    if fs_tiff:
        for uuid, data in live.txfax.items():
            if data.strip() == fs_tiff:
                return ADOPT, uuid
    return (KEEP, None) if age < ORIGINATE_GRACE else (LOST, None)


def live_from_rows(rows: list[dict]) -> LiveChannels:
    """``show channels as json`` rows → the live uuids and the txfax legs' files."""
    uuids = frozenset(str(r.get("uuid")) for r in rows if r.get("uuid"))
    txfax = {str(r["uuid"]): str(r.get("application_data") or "") for r in rows
             if r.get("uuid") and r.get("application") == "txfax"}
    return LiveChannels(uuids, txfax)


def reconcile(job: Sending, decision: str, uuid: str | None, wait: timedelta = OUTCOME_WAIT,
              now: datetime | None = None) -> str | None:
    """Apply one verdict; what changed ("sending" adopted, "awaiting", "unknown"), else None."""
    if decision == ADOPT and uuid:
        jobs_adopted = db.session.execute(sa.update(FaxJob).where(
            FaxJob.id == job.job_id, FaxJob.state == "sending", FaxJob.attempts == job.attempt)
            .values(channel_uuid=uuid).execution_options(synchronize_session=False)).rowcount
        db.session.commit()
        return "sending" if jobs_adopted else None
    if decision == LOST:
        state = jobs.await_record(job.job_id, job.attempt, wait, now)
        db.session.commit()
        return state
    return None
