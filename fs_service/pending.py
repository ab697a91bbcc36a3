"""FreeSWITCH side effects owed to a node that was unreachable: stored, then retried in order.

Kept in the database so a restart of the control plane does not forget that a node still
caches a stale user.
"""
from __future__ import annotations

import sqlalchemy as sa

from . import outbox
from .db import db
from .models import PendingFsCommand


def store(node: str, intents: list[outbox.Intent], error: str) -> None:
    for intent in intents:
        data = outbox.intent_to_dict(intent)
        db.session.add(PendingFsCommand(node=node, kind=data["kind"], payload=data, last_error=error[:255]))
    db.session.commit()


def owed(node: str, limit: int = 200) -> list[tuple[int, outbox.Intent]]:
    rows = db.session.scalars(sa.select(PendingFsCommand).where(PendingFsCommand.node == node)
                              .order_by(PendingFsCommand.id).limit(limit))
    return [(row.id, outbox.intent_from_dict(row.payload)) for row in rows]


def delivered(ids: list[int]) -> None:
    if ids:
        db.session.execute(sa.delete(PendingFsCommand).where(PendingFsCommand.id.in_(ids)))
        db.session.commit()


def failed_again(ids: list[int], error: str) -> None:
    if ids:
        db.session.execute(sa.update(PendingFsCommand).where(PendingFsCommand.id.in_(ids)).values(
            attempts=PendingFsCommand.attempts + 1, last_error=error[:255]))
        db.session.commit()
