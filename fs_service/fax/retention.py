"""How long fax files are kept: ``PBX_FAX_RETENTION_DAYS`` (default 90; 0 = forever).

The spec sets no retention; faxes are personal data and TIFFs add up, so files are deleted
once a fax is over and older than the limit, counted from when the fax was **created**
(submitted, or received) — the date the outbox and the inbox show:
- sent faxes in a final state (``sent``, ``failed``, ``cancelled``, ``unknown``): the TIFF, the PDF and the
  cover page; a fax still on its way is never touched, whatever its age;
- received faxes: the TIFF rxfax wrote, the PDF and its preview (converted or not).
The **rows stay** (the history: who, when, pages, result) with ``files_purged_at`` set; the
pages can no longer be downloaded or sent again, and an email still owed is dropped (its
attachment is gone). The fax worker runs :func:`purge_expired` every hour (esl_handlers/fax_worker.py);
several workers may sweep at once: deleting a missing file and setting the mark are harmless
twice, and the mark is set only ``WHERE files_purged_at IS NULL``.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from fax.storage import FaxStorage

from ..db import db, utcnow
from ..errors import PbxError
from ..models import FaxJob, ReceivedFax
from .queue import cover_path

log = logging.getLogger("pbx.fax.retention")
FINAL_STATES = ("sent", "failed", "cancelled", "unknown")  # unknown: nothing more happens by itself
BATCH = 200


@dataclass(frozen=True)
class Purged:
    jobs: int = 0
    received: int = 0


def cutoff(days: int, now: datetime | None = None) -> datetime | None:
    """Faxes created before this moment lose their files; None when retention is off."""
    return (now or utcnow()) - timedelta(days=days) if days > 0 else None


def purge_expired(storage: FaxStorage, days: int, now: datetime | None = None, batch: int = BATCH) -> Purged:
    """Delete the files of every expired fax (up to ``batch`` rows of each kind) and commit."""
    limit = cutoff(days, now)
    if limit is None:
        return Purged()
    moment = now or utcnow()
    jobs = _purge(FaxJob, _job_files, [FaxJob.state.in_(FINAL_STATES), FaxJob.created_at < limit], storage, moment,
                  batch)
    received = _purge(ReceivedFax, _received_files(storage), [ReceivedFax.created_at < limit], storage, moment, batch)
    if jobs or received:
        log.info("fax files purged jobs=%s received=%s older_than_days=%s", jobs, received, days)
    return Purged(jobs, received)


def _purge(model, files_of, conditions: list, storage: FaxStorage, now: datetime, batch: int) -> int:
    rows = db.session.scalars(sa.select(model).where(model.files_purged_at.is_(None), *conditions)
                              .order_by(model.id).limit(batch)).all()
    try:
        for row in rows:
            for relative in files_of(row):
                storage.remove(relative)
            db.session.execute(sa.update(model).where(model.id == row.id, model.files_purged_at.is_(None))
                               .values(files_purged_at=now)
                               .execution_options(synchronize_session=False))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return len(rows)


def _job_files(job: FaxJob) -> list[str | None]:
    return [job.tiff_path, job.pdf_path, cover_path(job.pdf_path)]


def _received_files(storage: FaxStorage):
    def files(row: ReceivedFax) -> list[str | None]:
        preview = storage.thumbnail_of(row.pdf_path) if row.pdf_path else None
        return [row.tiff_path, row.pdf_path, preview]
    return files


class FilesPurged(PbxError):
    """The row is history only: its pages were deleted at the end of the retention period."""
    status = 410
    error_id = "fax_files_purged"


def require_files(row: FaxJob | ReceivedFax) -> None:
    if row.files_purged_at is not None:
        raise FilesPurged("the pages of this fax were deleted at the end of the retention period")
