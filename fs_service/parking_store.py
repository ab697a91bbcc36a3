"""Writes parked calls from valet events and ``valet_info`` snapshots, one transaction a batch.

Coalesced per (lot, slot) in arrival order into the slot's final occupant and the calls that
left it during the batch: ``leave W, hold X, leave X`` must still delete W's row from an
earlier batch. A "leave" never clears a slot a newer call now holds.

``parked_calls`` has no node column (requested), so a node's snapshot replaces: the rows of the
lots that node reported, and rows whose call is no longer alive on it nor on any other node
(after a FreeSWITCH restart its lots are gone from memory, so they are not even listed).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from .db import db, utcnow
from .models import Account, ActiveChannel, ParkedCall
from .parking import ParkHold, ParkLeave, ParkSnapshot

_PARKED = ParkedCall.__table__
_UPDATED = ["account_id", "uuid", "caller_number", "caller_name", "parked_by", "created_at"]


def _accounts(lots: Iterable[str]) -> dict[str, int]:
    lots = sorted(set(lots))
    if not lots:
        return {}
    rows = db.session.execute(sa.select(Account.sip_domain, Account.id).where(Account.sip_domain.in_(lots)))
    return dict(rows.all())


def _write_holds(holds: list[ParkHold]) -> int:
    accounts = _accounts(h.lot for h in holds)
    now = utcnow()
    rows = [{"account_id": accounts[h.lot], "lot": h.lot, "slot": h.slot, "uuid": h.uuid,
             "caller_number": h.caller_number, "caller_name": h.caller_name, "parked_by": h.parked_by,
             "created_at": datetime.fromtimestamp(h.parked_at, timezone.utc) if h.parked_at else now}
            for h in holds if h.lot in accounts]  # a lot that is no account's domain is not ours
    if rows:
        dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(_PARKED)
        db.session.execute(stmt.on_conflict_do_update(
            index_elements=["lot", "slot"], set_={c: stmt.excluded[c] for c in _UPDATED}), rows)
    return len(rows)


def _write(pending: dict[tuple[str, str], tuple[ParkHold | None, set[str]]]) -> int:
    holds = [hold for hold, _ in pending.values() if hold is not None]
    leaves = [{"l": lot, "s": slot, "u": uuid} for (lot, slot), (hold, left) in pending.items()
              if hold is None for uuid in sorted(left)]
    if leaves:
        db.session.execute(sa.delete(_PARKED).where(
            _PARKED.c.lot == sa.bindparam("l"), _PARKED.c.slot == sa.bindparam("s"),
            _PARKED.c.uuid == sa.bindparam("u")), leaves)
    return _write_holds(holds) + len(leaves)


def _coalesce(pending: dict, change: ParkHold | ParkLeave) -> None:
    key = (change.lot, change.slot)
    hold, left = pending.get(key, (None, set()))
    if type(change) is ParkHold:
        pending[key] = (change, left)
    elif hold is None or hold.uuid == change.uuid:  # else a newer call holds the slot: keep it
        pending[key] = (None, left | {change.uuid})


def replace_node(node: str, snapshot: ParkSnapshot) -> int:
    rows = db.session.execute(sa.select(ParkedCall.id, ParkedCall.lot, ParkedCall.uuid)).all()
    elsewhere = set(db.session.scalars(sa.select(ActiveChannel.uuid).where(
        ActiveChannel.node != node, ActiveChannel.uuid.in_([r.uuid for r in rows]))))
    lots = set(snapshot.lots)
    stale = [r.id for r in rows
             if r.lot in lots or (r.uuid not in snapshot.live_uuids and r.uuid not in elsewhere)]
    if stale:
        db.session.execute(sa.delete(_PARKED).where(_PARKED.c.id.in_(stale)))
    return len(stale) + _write_holds(list(snapshot.holds))


def apply_changes(node: str, changes: Sequence[object]) -> int:
    """Apply one node's parking changes in order and commit; returns rows written."""
    written, pending = 0, {}
    try:
        for change in changes:
            if type(change) is ParkSnapshot:
                written += _write(pending) + replace_node(node, change)
                pending = {}
                continue
            if type(change) not in (ParkHold, ParkLeave):
                raise TypeError(f"not a parking change: {change!r}")
            _coalesce(pending, change)
        written += _write(pending)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return written
