"""Applies live status changes to the database in batches (one transaction per batch).

The listener hands over every change of one node in arrival order. A batch is coalesced in
memory first -- the last change per registration call-id / channel uuid wins -- then written
with one executemany per kind: a node with thousands of phones refreshing and calls starting
costs a few statements per batch, not one transaction per event. Every write is an absolute
"set this key" or "delete this key", so re-applying a suffix of events after a snapshot (see
listener resync) converges to the same state.

Every account whose rows a batch wrote gets its live version renewed once, at the end of the
batch and in the same transaction (:func:`fs_service.live_versions.touch_domains`): its domain is known from the change for
an upsert, and comes back from the row (RETURNING) for a delete or a state update, which are
keyed by call-id / uuid only. Channel states are therefore updated with one statement per
state value (two at most), not one per channel.

"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..db import db, utcnow
from ..live_versions import touch_domains
from ..models import ActiveChannel, NodeStatus, Registration
from ..phones.reboot import release_after_calls
from .events import ChannelDown, ChannelState, ChannelUp, RegistrationDown, RegistrationUp, StatusSnapshot

_REG = Registration.__table__
_CHAN = ActiveChannel.__table__
_GONE = object()  # marks a key to delete


_REG_UPDATED = ["sip_user", "sip_domain", "contact", "user_agent", "network_ip", "expires_at"]
_CHAN_UPDATED = ["node", "sip_user", "sip_domain", "state", "caller_number", "destination"]
_STATEMENTS: dict[str, dict[str, object]] = {}


def _upsert(dialect, table: sa.Table, keys: list[str], updated: list[str]):
    stmt = dialect.insert(table)
    return stmt.on_conflict_do_update(index_elements=keys, set_={c: stmt.excluded[c] for c in updated})


def statements() -> dict[str, object]:
    """The batch statements for the session's dialect, built once (building an upsert costs
    ~0.5 ms, as much as writing a hundred rows)."""
    name = db.session.get_bind().dialect.name
    found = _STATEMENTS.get(name)
    if found is None:
        dialect = postgresql if name == "postgresql" else sqlite
        found = _STATEMENTS[name] = {
            "reg_upsert": _upsert(dialect, _REG, ["node", "call_id"], _REG_UPDATED),
            "chan_upsert": _upsert(dialect, _CHAN, ["uuid"], _CHAN_UPDATED),
            "reg_delete": sa.delete(_REG).where(
                _REG.c.node == sa.bindparam("n"), _REG.c.call_id.in_(sa.bindparam("ids", expanding=True))
            ).returning(_REG.c.sip_domain),
            "chan_delete": sa.delete(_CHAN).where(
                _CHAN.c.uuid.in_(sa.bindparam("ids", expanding=True))).returning(_CHAN.c.sip_domain),
            "chan_state": sa.update(_CHAN).where(_CHAN.c.uuid.in_(sa.bindparam("ids", expanding=True))).values(
                state=sa.bindparam("s")).returning(_CHAN.c.sip_domain),
            "reg_clear": sa.delete(_REG).where(_REG.c.node == sa.bindparam("n")).returning(_REG.c.sip_domain),
            "chan_clear": sa.delete(_CHAN).where(_CHAN.c.node == sa.bindparam("n")).returning(_CHAN.c.sip_domain),
        }
    return found


def _utc(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, timezone.utc)


def _reg_row(node: str, r: RegistrationUp, now) -> dict:
    return {"node": node, "call_id": r.call_id, "sip_user": r.sip_user, "sip_domain": r.sip_domain,
            "contact": r.contact, "user_agent": r.user_agent, "network_ip": r.network_ip,
            "expires_at": _utc(r.expires), "created_at": now}


def _chan_row(node: str, c: ChannelUp, now) -> dict:
    return {"uuid": c.uuid, "node": node, "sip_user": c.sip_user, "sip_domain": c.sip_domain,
            "state": c.state, "caller_number": c.caller_number, "destination": c.destination,
            "created_at": _utc(c.created) or now}


class _Pending:
    """Changes of one batch, coalesced per key in arrival order.

    A channel created and hung up within the same batch writes nothing: CHANNEL_CREATE is a
    channel's first event and resync snapshots are ordered exactly (resync.py), so no row for
    it can exist yet.
    """

    def __init__(self) -> None:
        self.regs: dict[str, object] = {}
        self.chans: dict[str, object] = {}
        self.born: set[str] = set()

    def add(self, change: object) -> None:
        kind = type(change)
        if kind is ChannelState:
            current = self.chans.get(change.uuid)
            if type(current) is ChannelUp:
                self.chans[change.uuid] = current._replace(state=change.state)
            elif current is not _GONE:
                self.chans[change.uuid] = change
        elif kind is ChannelUp:
            self.chans[change.uuid] = change
            self.born.add(change.uuid)
        elif kind is ChannelDown:
            if change.uuid in self.born:
                self.chans.pop(change.uuid, None)
            else:
                self.chans[change.uuid] = _GONE
        elif kind is RegistrationUp:
            self.regs[change.call_id] = change
        elif kind is RegistrationDown:
            self.regs[change.call_id] = _GONE
        else:
            raise TypeError(f"not a status change: {change!r}")

    def write(self, node: str, touched: set) -> int:
        """Write the batch; adds to ``touched`` the SIP domains of every row written."""
        now, run, sql = utcnow(), db.session.execute, statements()
        gone_regs = [k for k, v in self.regs.items() if v is _GONE]
        regs = [_reg_row(node, v, now) for v in self.regs.values() if v is not _GONE]
        gone = [k for k, v in self.chans.items() if v is _GONE]
        ups = [_chan_row(node, v, now) for v in self.chans.values() if type(v) is ChannelUp]
        states: dict[str, list[str]] = {}
        for v in self.chans.values():
            if type(v) is ChannelState:
                states.setdefault(v.state, []).append(v.uuid)
        if gone_regs:
            touched.update(run(sql["reg_delete"], {"n": node, "ids": gone_regs}).scalars())
        if regs:
            run(sql["reg_upsert"], regs)
            touched.update(r["sip_domain"] for r in regs)
        if gone:
            touched.update(run(sql["chan_delete"], {"ids": gone}).scalars())
        if ups:
            run(sql["chan_upsert"], ups)
            touched.update(r["sip_domain"] for r in ups)
        for state, uuids in states.items():
            touched.update(run(sql["chan_state"], {"ids": uuids, "s": state}).scalars())
        return len(gone_regs) + len(regs) + len(gone) + len(ups) + sum(map(len, states.values()))


def replace_node(node: str, snapshot: StatusSnapshot, touched: set) -> int:
    """Make the node's rows exactly the snapshot's parts (other nodes' rows are untouched);
    adds to ``touched`` the domains of the rows removed and written."""
    now, run, sql, written = utcnow(), db.session.execute, statements(), 0
    if snapshot.registrations is not None:
        touched.update(run(sql["reg_clear"], {"n": node}).scalars())
        rows = {r.call_id: _reg_row(node, r, now) for r in snapshot.registrations}
        if rows:
            run(sql["reg_upsert"], list(rows.values()))
        touched.update(r["sip_domain"] for r in rows.values())
        written += len(rows)
    if snapshot.channels is not None:
        touched.update(run(sql["chan_clear"], {"n": node}).scalars())
        rows = {c.uuid: _chan_row(node, c, now) for c in snapshot.channels}
        if rows:
            run(sql["chan_upsert"], list(rows.values()))
        touched.update(r["sip_domain"] for r in rows.values())
        written += len(rows)
    return written


def apply_changes(node: str, changes: Sequence[object]) -> int:
    """Apply one node's changes in order and commit; returns the number of rows written."""
    written, pending, touched = 0, _Pending(), set()
    try:
        for change in changes:
            if type(change) is StatusSnapshot:
                written += pending.write(node, touched) + replace_node(node, change, touched)
                pending = _Pending()
            else:
                pending.add(change)
        written += pending.write(node, touched)
        touch_domains(touched)
        release_after_calls(touched)  # phone reboots that waited for a call to end (guide 7.5)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return written


def mark_node(node: str, connected: bool, error: str | None = None) -> None:
    """Record that a node is reachable or not (the web shows "down" from this row)."""
    row = db.session.get(NodeStatus, node) or NodeStatus(name=node, connected=not connected)
    now = utcnow()
    if row.connected != connected:
        row.last_change_at = now
    if connected:
        row.last_seen_at = now
    row.connected = connected
    row.last_error = None if connected else ((error or "")[:255] or None)
    db.session.add(row)
    db.session.commit()


def touch_node(node: str) -> None:
    """The node answered a probe just now (one UPDATE; the row exists once marked up)."""
    db.session.execute(sa.update(NodeStatus).where(NodeStatus.name == node).values(last_seen_at=utcnow()))
    db.session.commit()


def node_states(names: Iterable[str] | None = None) -> dict[str, bool]:
    """{node name: connected} as last recorded; a node never seen is absent."""
    query = sa.select(NodeStatus.name, NodeStatus.connected)
    if names is not None:
        query = query.where(NodeStatus.name.in_(list(names)))
    return dict(db.session.execute(query).all())
