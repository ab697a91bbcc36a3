"""Writes parked calls from valet events and ``valet_info`` snapshots, one transaction a batch.

Coalesced per (lot, slot) in arrival order into the slot's final occupant and the calls that
left it during the batch: ``leave W, hold X, leave X`` must still delete W's row from an
earlier batch. A "leave" never clears a slot a newer call now holds.

Each row names the node whose mod_valet_parking holds the call: lots live in that switch's
memory, so with several nodes the same lot can hold 701 on each of them at once, and a slot is
keyed by (node, lot, slot). A batch comes from one node and only ever writes that node's rows;
a node's snapshot replaces exactly that node's rows: after a FreeSWITCH restart its lots are
gone and so are its rows, while other nodes' parked calls stay. Every account whose parked
calls changed gets its live version renewed in the same transaction (fs_service.live_versions.touch_domains).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..db import db, utcnow
from ..live_versions import touch_domains
from ..models import Account, ParkedCall
from .lot import ParkHold, ParkLeave, ParkSnapshot

_PARKED = ParkedCall.__table__
_UPDATED = ["account_id", "node", "uuid", "caller_number", "caller_name", "parked_by", "created_at"]


def _accounts(lots: Iterable[str]) -> dict[str, int]:
    lots = sorted(set(lots))
    if not lots:
        return {}
    rows = db.session.execute(sa.select(Account.sip_domain, Account.id).where(Account.sip_domain.in_(lots)))
    return dict(rows.all())


def _write_holds(node: str, holds: list[ParkHold]) -> int:
    accounts = _accounts(h.lot for h in holds)
    now = utcnow()
    rows = [{"account_id": accounts[h.lot], "node": node, "lot": h.lot, "slot": h.slot, "uuid": h.uuid,
             "caller_number": h.caller_number, "caller_name": h.caller_name, "parked_by": h.parked_by,
             "created_at": datetime.fromtimestamp(h.parked_at, timezone.utc) if h.parked_at else now}
            for h in holds if h.lot in accounts]  # a lot that is no account's domain is not ours
    if rows:
        dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(_PARKED)
        db.session.execute(stmt.on_conflict_do_update(
            index_elements=["node", "lot", "slot"], set_={c: stmt.excluded[c] for c in _UPDATED}), rows)
    return len(rows)


def _write(node: str, pending: dict[tuple[str, str], tuple[ParkHold | None, set[str]]]) -> int:
    holds = [hold for hold, _ in pending.values() if hold is not None]
    leaves = [{"n": node, "l": lot, "s": slot, "u": uuid} for (lot, slot), (hold, left) in pending.items()
              if hold is None for uuid in sorted(left)]
    if leaves:
        db.session.execute(sa.delete(_PARKED).where(
            _PARKED.c.node == sa.bindparam("n"), _PARKED.c.lot == sa.bindparam("l"),
            _PARKED.c.slot == sa.bindparam("s"), _PARKED.c.uuid == sa.bindparam("u")), leaves)
    return _write_holds(node, holds) + len(leaves)


def _coalesce(pending: dict, change: ParkHold | ParkLeave) -> None:
    key = (change.lot, change.slot)
    hold, left = pending.get(key, (None, set()))
    if type(change) is ParkHold:
        pending[key] = (change, left)
    elif hold is None or hold.uuid == change.uuid:  # else a newer call holds the slot: keep it
        pending[key] = (None, left | {change.uuid})


def replace_node(node: str, snapshot: ParkSnapshot, touched: set[str]) -> int:
    """Make the node's parked calls exactly the snapshot's holds; adds to ``touched`` the lots
    whose rows went (their accounts' pages must drop them) and the snapshot's lots."""
    gone = db.session.execute(sa.delete(_PARKED).where(_PARKED.c.node == node).returning(_PARKED.c.lot)).all()
    touched.update(lot for lot, in gone)
    touched.update(h.lot for h in snapshot.holds)
    return len(gone) + _write_holds(node, list(snapshot.holds))


def apply_changes(node: str, changes: Sequence[object]) -> int:
    """Apply one node's parking changes in order and commit; returns rows written."""
    written, pending, touched = 0, {}, set()
    try:
        for change in changes:
            if type(change) is ParkSnapshot:
                touched.update(lot for lot, _ in pending)
                written += _write(node, pending) + replace_node(node, change, touched)
                pending = {}
                continue
            if type(change) not in (ParkHold, ParkLeave):
                raise TypeError(f"not a parking change: {change!r}")
            _coalesce(pending, change)
        touched.update(lot for lot, _ in pending)
        written += _write(node, pending)
        touch_domains(touched)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return written
