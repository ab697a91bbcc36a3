"""Reading the audit log, scoped to who asks, and forgetting it after the retention period."""
from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import Callable

import sqlalchemy as sa

from ..access import account_for, is_operator, require_admin
from ..db import db, utcnow
from ..models import AuditEvent, User
from ..paging import Page, newest_first

log = logging.getLogger("pbx.audit")
PAGE_SIZE = 50
PURGE_BATCH = 5000


def events(actor: User, account_id: int | None = None, *, object_type: str | None = None,
           action: str | None = None, before_id: int | None = None, limit: int = PAGE_SIZE) -> Page:
    """One page of the log. An account's admins read their account's events only; operators
    read every account's, and with no account named, everything (commands and changes that
    belong to no account included). Plain users read nothing."""
    query = sa.select(AuditEvent)
    if account_id is not None:
        require_admin(actor, account_for(actor, account_id))
        query = query.where(AuditEvent.account_id == account_id)
    elif not is_operator(actor):
        require_admin(actor, account_for(actor, actor.account_id or 0))
        query = query.where(AuditEvent.account_id == actor.account_id)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if action:
        query = query.where(AuditEvent.action == action)
    return newest_first(query, AuditEvent.id, before_id, limit)


def purge_expired(days: int, now: datetime | None = None, batch: int = PURGE_BATCH) -> int:
    """Delete events older than ``days`` (0 keeps everything), in batches so a first sweep over a
    large log never holds one long transaction; the caller's session commits each batch."""
    if days <= 0:
        return 0
    cutoff = (now or utcnow()) - timedelta(days=days)
    removed = 0
    while True:
        ids = list(db.session.scalars(sa.select(AuditEvent.id).where(AuditEvent.created_at < cutoff)
                                      .order_by(AuditEvent.id).limit(batch)))
        if not ids:
            return removed
        db.session.execute(sa.delete(AuditEvent).where(AuditEvent.id.in_(ids)))
        db.session.commit()
        removed += len(ids)


PURGE_INTERVAL_SECONDS = 3600


def run_purge_loop(app, sleep: Callable[[float], None] = time.sleep) -> None:
    """Once an hour, forget what is older than ``PBX_AUDIT_RETENTION_DAYS``. Several processes
    may run it: deleting the same old rows twice is harmless."""
    while True:
        try:
            with app.app_context():
                removed = purge_expired(app.config["PBX"].audit_retention_days)
            if removed:
                log.info("audit events purged count=%d", removed)
        except Exception:
            log.exception("audit purge failed")
        sleep(PURGE_INTERVAL_SECONDS)
