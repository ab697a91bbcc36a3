"""Writes the fax changes of one node's ESL lane (esl_handlers/handlers/fax.py), in order.

Runs in the lane's app context (esl_handlers/lanes.py): page progress, try results and
received faxes, one transaction per batch. Each change is idempotent (see :mod:`.jobs` and
:mod:`.inbound`), so a batch retried item by item after a failure, or a replayed stream,
changes nothing twice.
"""
from __future__ import annotations

from typing import Sequence

from fax.storage import current_storage

from ..db import db
from . import inbound, jobs
from .events import RxResult, TxPage, TxResult


def apply_changes(node: str, changes: Sequence[object]) -> None:
    storage = None
    try:
        for change in changes:
            if isinstance(change, TxPage):
                jobs.record_page(change)
            elif isinstance(change, TxResult):
                jobs.record_result(change)
            elif isinstance(change, RxResult):
                storage = storage or current_storage()
                inbound.record_received(change, storage)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
