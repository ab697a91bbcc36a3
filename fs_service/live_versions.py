"""Saved = live for the status page: a per-account token renewed whenever its live state changes.

The status stores (fs_service.status.store, fs_service.park.events) apply batches of thousands
of events; at the end of each batch, in the same transaction, they renew the token of every
account whose registrations, channels or parked calls the batch wrote, with one statement for
the whole batch. An open status page then reads one small row per tick (fs_service.status.queries.live_version)
and re-reads the full view only when it changed: an idle page costs one indexed query per tick.

Accounts are found by SIP domain, the key every live row carries (a lot is the domain too).
The upsert takes the rows in account order, so two listeners renewing overlapping accounts on
PostgreSQL lock them in the same order and cannot deadlock.
"""
from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from .db import db
from .models import Account
from .models.live import LiveVersion
from .models.numbers import new_token

_TOUCH_STATEMENTS: dict[str, object] = {}


def _touch_statement():
    name = db.session.get_bind().dialect.name
    found = _TOUCH_STATEMENTS.get(name)
    if found is None:
        dialect = postgresql if name == "postgresql" else sqlite
        accounts = (sa.select(Account.id, sa.bindparam("token", type_=sa.String))
                    .where(Account.sip_domain.in_(sa.bindparam("domains", expanding=True)))
                    .order_by(Account.id))
        stmt = dialect.insert(LiveVersion.__table__).from_select(["account_id", "token"], accounts)
        found = _TOUCH_STATEMENTS[name] = stmt.on_conflict_do_update(index_elements=["account_id"],
                                                               set_={"token": stmt.excluded.token})
    return found


def touch_domains(domains: Iterable[str | None]) -> None:
    """Renew the live token of the accounts with these SIP domains (in the caller's
    transaction); unknown domains and None (a leg mapped to no account) are ignored."""
    found = sorted({d for d in domains if d})
    if found:
        db.session.execute(_touch_statement(), {"token": new_token(), "domains": found})
