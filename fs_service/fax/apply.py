"""Writes the fax changes of one node's ESL lane (esl_handlers/handlers/fax.py), in order.

Runs in the lane's app context (esl_handlers/lanes.py): page progress, try results and
received faxes, one transaction per batch. Each change is idempotent (see :mod:`.jobs` and
:mod:`.inbound`), so a batch retried item by item after a failure, or a replayed stream,
changes nothing twice.
"""
from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa

from ..db import db
from ..models import FaxJob
from . import current_storage, inbound, jobs
from .events import RxResult, TxPage, TxResult


def _existing_jobs(changes: Sequence[object]) -> set[int]:
    """One read per batch, so events of jobs that are not ours (another control plane sharing
    the switch, replays of deleted jobs) cost no write transaction each."""
    ids = {c.job_id for c in changes if isinstance(c, (TxPage, TxResult))}
    return set(db.session.scalars(sa.select(FaxJob.id).where(FaxJob.id.in_(ids)))) if ids else set()


def apply_changes(node: str, changes: Sequence[object]) -> None:
    try:
        known = _existing_jobs(changes)
        received = [c for c in changes if isinstance(c, RxResult)]
        lookups = inbound.BatchLookups(received) if received else None
        storage = current_storage() if received else None
        for change in changes:
            if isinstance(change, TxPage) and change.job_id in known:
                jobs.record_page(change)
            elif isinstance(change, TxResult) and change.job_id in known:
                jobs.record_result(change)
            elif isinstance(change, RxResult):
                inbound.record_received(change, storage, lookups)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
