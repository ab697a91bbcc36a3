"""What an operator's monitoring asks one control-plane process: does its database answer, are
the FreeSWITCH nodes followed, is anything owed to them, is the fax queue moving.

Counts and node names only, no tenant data and no secret, so a load balancer or a monitoring
probe may ask without credentials. The web keeps working while FreeSWITCH is down (pages show
the node down, saves are owed and retried), so a node down, commands owed or faxes overdue make
the answer *degraded*; only a database that does not answer makes it *down*.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Iterable

import sqlalchemy as sa

from .db import db, utcnow
from .fax.queue import DUE_STATES
from .models import FaxJob, PendingFsCommand
from .status.queries import NodeHealth, node_health

# A fax due this long ago and still waiting means no fax worker is taking jobs (it claims due
# jobs every few seconds; a try itself lasts minutes but is then "sending", not due).
FAX_OVERDUE = timedelta(minutes=10)
OK, DEGRADED, DOWN = "ok", "degraded", "down"


@dataclass(frozen=True)
class Health:
    database: bool
    nodes: list[NodeHealth] = field(default_factory=list)
    owed_commands: dict[str, int] = field(default_factory=dict)  # per node, only nodes that are owed
    faxes_waiting: int = 0  # queued or waiting for a retry
    faxes_overdue: int = 0  # of those, due for more than FAX_OVERDUE

    @property
    def status(self) -> str:
        if not self.database:
            return DOWN
        if any(not n.up for n in self.nodes) or self.owed_commands or self.faxes_overdue:
            return DEGRADED
        return OK


def check(node_names: Iterable[str], probe_seconds: float, now: datetime | None = None) -> Health:
    """One read of each part; a database error of any kind is the answer, never an exception."""
    now = now or utcnow()
    try:
        nodes = node_health(node_names, probe_seconds, now)
        owed = dict(db.session.execute(sa.select(PendingFsCommand.node, sa.func.count())
                                       .group_by(PendingFsCommand.node)).all())
        due = sa.func.coalesce(FaxJob.next_attempt_at, FaxJob.created_at)
        waiting, overdue = db.session.execute(
            sa.select(sa.func.count(), sa.func.count().filter(due < now - FAX_OVERDUE))
            .where(FaxJob.state.in_(DUE_STATES))).one()
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return Health(database=False)
    return Health(True, nodes, owed, waiting, overdue)
