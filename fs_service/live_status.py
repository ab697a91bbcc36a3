"""One account's live view (STAT-1, STAT-2, PARK-2): extension states, parked calls and whether
FreeSWITCH is reachable, read together for the status page, its push stream and the REST API.

A node is shown up only if its listener says connected *and* saw it recently: the listener
refreshes ``last_seen_at`` at every probe, so a ``pbx esl`` process that died without marking
its node down (its row still says connected) shows down after ``STALE_PROBES`` probe intervals.

:func:`live_version` is the cheap question a push stream asks every tick ("may anything shown
have changed?"): one query of one row, built from the account's live token (renewed by the
status stores with every write, status_versions), its directory token (renewed when an
extension, user or softphone changes, directory_versions) and the configured nodes' health.
The one thing that changes with time alone, a registration passing its ``expires_at``, is
covered by ``LiveStatus.expires_next``.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Iterable

import sqlalchemy as sa

from .db import db, utcnow
from .models import Account, CallVersion, NodeStatus
from .models._columns import as_utc
from .models.live import LiveVersion
from .parking import ParkedCallView, parked_calls
from .status import AVAILABLE, DISCONNECTED, IN_CALL, ExtensionState, extension_states, next_expiry

STALE_PROBES = 3


@dataclass(frozen=True)
class NodeHealth:
    name: str
    up: bool
    since: datetime | None  # when it last went up or down
    error: str | None  # why it is down, as the listener recorded it ("" when only stale)


@dataclass(frozen=True)
class LiveStatus:
    extensions: list[ExtensionState]
    parked: list[ParkedCallView]
    nodes: list[NodeHealth]
    expires_next: datetime | None = None  # first registration to expire: the view changes then

    @property
    def nodes_down(self) -> list[NodeHealth]:
        return [n for n in self.nodes if not n.up]

    def counts(self) -> dict[str, int]:
        found = {AVAILABLE: 0, IN_CALL: 0, DISCONNECTED: 0}
        for ext in self.extensions:
            found[ext.state] += 1
        return found

    def fingerprint(self) -> str:
        """Changes exactly when something shown changes. A parked call's duration is shown
        from its start time (the browser ticks it), so time passing alone changes nothing."""
        parked = [(p.slot, p.node, p.caller_number, p.caller_name, p.parked_by, p.parked_at.isoformat())
                  for p in self.parked]
        nodes = [(n.name, n.up) for n in self.nodes]
        data = json.dumps([[asdict(e) for e in self.extensions], parked, nodes], default=str)
        return hashlib.sha1(data.encode()).hexdigest()


def node_health(names: Iterable[str], probe_seconds: float, now: datetime | None = None) -> list[NodeHealth]:
    """Health of the configured nodes, in the given order; a node never recorded is down."""
    names = list(names)
    now = now or utcnow()
    rows = {r.name: r for r in db.session.scalars(sa.select(NodeStatus).where(NodeStatus.name.in_(names)))}
    horizon = now - timedelta(seconds=STALE_PROBES * probe_seconds)
    found = []
    for name in names:
        row = rows.get(name)
        if row is None:
            found.append(NodeHealth(name, False, None, "never connected"))
            continue
        seen = as_utc(row.last_seen_at or row.last_change_at)
        fresh = seen is not None and seen >= horizon
        error = None if row.connected and fresh else (row.last_error or "")
        found.append(NodeHealth(name, bool(row.connected and fresh), as_utc(row.last_change_at), error))
    return found


def live_status(account: Account, node_names: Iterable[str], probe_seconds: float, *,
                state: str | None = None, search: str = "", sort: str = "number",
                now: datetime | None = None) -> LiveStatus:
    """Raises ValidationFailed (state / sort named) like status.extension_states."""
    now = now or utcnow()
    return LiveStatus(extension_states(account, state=state, search=search, sort=sort, now=now),
                      parked_calls(account, now), node_health(node_names, probe_seconds, now),
                      next_expiry(account, now))


def live_version(account_id: int, node_names: Iterable[str], probe_seconds: float,
                 now: datetime | None = None) -> tuple | None:
    """A value that changes whenever :func:`live_status` may show something new (same rule for
    node health as :func:`node_health`), None when the account is gone. Nodes count by how many
    are up and their last up/down change, so a node that went stale or flipped changes it."""
    names, now = list(node_names), now or utcnow()
    horizon = now - timedelta(seconds=STALE_PROBES * probe_seconds)
    seen = sa.func.coalesce(NodeStatus.last_seen_at, NodeStatus.last_change_at)
    up = (sa.select(sa.func.count()).select_from(NodeStatus)
          .where(NodeStatus.name.in_(names), NodeStatus.connected.is_(True), seen >= horizon))
    changed = sa.select(sa.func.max(NodeStatus.last_change_at)).where(NodeStatus.name.in_(names))
    query = (sa.select(LiveVersion.token, CallVersion.directory_token, up.scalar_subquery(),
                       changed.scalar_subquery())
             .select_from(Account)
             .outerjoin(LiveVersion, LiveVersion.account_id == Account.id)
             .outerjoin(CallVersion, CallVersion.account_id == Account.id)
             .where(Account.id == account_id))
    row = db.session.execute(query).first()
    return None if row is None else tuple(row)
