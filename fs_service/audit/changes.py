"""Changes made by people, recorded at flush time from SQLAlchemy's own change tracking.

A door marks a session with the person acting (:func:`act_as`: the web door does it when it
knows the user, the CLI for its commands). From then on each flush of that session writes, in
the same transaction, one ``audit_events`` row per created, updated or deleted object: a change
that rolls back leaves no trace, and one that commits cannot miss its row. Bulk ``UPDATE`` and
``DELETE`` statements run through the session (``session.execute(sa.delete(...))``) bypass the
flush, so they are caught as they execute: the rows they touch are read before (and, for an
update, after) and logged the same way. Sessions nobody marked
(the ESL listener, xml_curl, the fax worker) write nothing here: machines' bookkeeping is not a
person's change.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.interfaces import MANYTOONE
from sqlalchemy.orm.state import InstanceState

from ..db import utcnow
from ..models import AuditEvent
from .values import plain

_KEY = "pbx_audit_actor"

# Tables that are state kept by machines (registrations, live calls, throttles, queues, cache
# versions) or the log itself: written on a person's behalf at times, never a change of theirs.
UNAUDITED_TABLES = frozenset({
    "audit_events", "login_attempts", "password_reset_requests", "password_reset_tokens",
    "recovery_codes", "node_status", "registrations", "active_channels", "parked_calls",
    "live_versions", "pending_fs_commands", "call_versions", "conference_sessions",
    "conference_attendances", "conference_entry_failures",
})
# Bookkeeping columns that change along with real ones (timestamps, cache version tokens, the
# last one-time-code step): an update touching only these is not shown.
BOOKKEEPING_COLUMNS = frozenset({
    "created_at", "updated_at", "last_used_at", "totp_last_step", "rules_token", "blacklist_token",
    "routing_token", "directory_token",
})


@dataclass(frozen=True)
class Actor:
    """Who is acting: a person (``user_id``), or a CLI/system source without one."""
    user_id: int | None
    email: str
    account_id: int | None
    source: str  # ui | api | cli | system
    remote_addr: str = ""


def act_as(session: Session, actor: Actor | None) -> None:
    """From now on, changes flushed by ``session`` are ``actor``'s (None: stop recording)."""
    session.info[_KEY] = actor


def acting(session: Session) -> Actor | None:
    return session.info.get(_KEY)


def _identity(state: InstanceState) -> str:
    return "/".join(str(part) for part in (state.identity or ()))[:64]


def _account_of(session: Session, state: InstanceState, actor: Actor) -> int | None:
    """The account the object belongs to: its own ``account_id``, or its parent's (one many-to-one
    step, e.g. a menu key → its menu), or else the acting person's account."""
    if state.mapper.local_table.name == "accounts":
        return state.identity[0] if state.identity else None
    own = state.dict.get("account_id")
    if own is not None:
        return own
    for rel in state.mapper.relationships:
        if rel.direction is not MANYTOONE:
            continue
        keys = [state.dict.get(local.key) for local, _ in rel.local_remote_pairs]
        if None in keys or not hasattr(rel.mapper.class_, "account_id"):
            continue
        with session.no_autoflush:
            parent = session.get(rel.mapper.class_, keys[0] if len(keys) == 1 else tuple(keys))
        if parent is not None and parent.account_id is not None:
            return parent.account_id
    return actor.account_id


def _columns(state: InstanceState, action: str) -> dict[str, list]:
    changes: dict[str, list] = {}
    for column in state.mapper.column_attrs:
        key = column.key
        if action == "update":
            if key in BOOKKEEPING_COLUMNS:
                continue
            history = state.attrs[key].history
            if not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before == after:
                continue
        elif action == "create":
            before, after = None, state.dict.get(key)
            if after is None:
                continue
        else:
            before, after = state.dict.get(key), None
        changes[key] = [plain(key, before), plain(key, after)]
    return changes


def _event(actor: Actor, now, account_id: int | None, action: str, table: str, object_id: str,
           changes: dict) -> dict:
    return {"created_at": now, "account_id": account_id, "actor_id": actor.user_id,
            "actor_email": actor.email[:254], "source": actor.source, "action": action, "object_type": table,
            "object_id": object_id[:64], "changes": changes, "remote_addr": actor.remote_addr[:45]}


def _rows(session: Session, actor: Actor) -> list[dict]:
    now, rows = utcnow(), []
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            state = sa.inspect(obj)
            table = state.mapper.local_table.name
            if table in UNAUDITED_TABLES:
                continue
            changes = _columns(state, action)
            if action == "update" and not changes:
                continue
            rows.append(_event(actor, now, _account_of(session, state, actor), action, table, _identity(state),
                               changes))
    return rows


@event.listens_for(Session, "after_flush")
def _record(session: Session, _flush_context) -> None:
    """After the flush (primary keys known, history still the pre-flush one), in its transaction."""
    actor = acting(session)
    if actor is None:
        return
    rows = _rows(session, actor)
    if rows:
        session.connection().execute(sa.insert(AuditEvent.__table__), rows)


def _bulk_rows(session: Session, table: sa.Table, where) -> dict[tuple, dict]:
    query = sa.select(table) if where is None else sa.select(table).where(where)
    keys = [column.name for column in table.primary_key.columns]
    found = session.connection().execute(query).mappings()  # Core: plain rows, no ORM event
    return {tuple(row[k] for k in keys): dict(row) for row in found}


def _with_keys(table: sa.Table, keys: list[tuple]):
    columns = list(table.primary_key.columns)
    if len(columns) == 1:
        return columns[0].in_([key[0] for key in keys])
    return sa.tuple_(*columns).in_(keys)


@event.listens_for(Session, "do_orm_execute")
def _record_bulk(state: ORMExecuteState):
    """A bulk UPDATE or DELETE of an audited table by a person: the rows it touches, before →
    after, logged like the flushed changes above."""
    actor = acting(state.session)
    if actor is None or not (state.is_update or state.is_delete):
        return None
    name = getattr(state.statement.table, "name", None)
    if name is None or name in UNAUDITED_TABLES or name not in AuditEvent.metadata.tables:
        return None
    table = AuditEvent.metadata.tables[name]  # the plain table: the statement's is ORM-annotated
    where = state.statement.whereclause
    before = _bulk_rows(state.session, table, where)
    result = state.invoke_statement()
    if not before:
        return result
    after = {} if state.is_delete else _bulk_rows(state.session, table, _with_keys(table, list(before)))
    now, rows = utcnow(), []
    for key, old in before.items():
        new = after.get(key, {})
        if state.is_delete:
            action, changes = "delete", {c: [plain(c, v), None] for c, v in old.items() if v is not None}
        else:
            action = "update"
            changes = {c: [plain(c, old[c]), plain(c, new.get(c))] for c in old
                       if c not in BOOKKEEPING_COLUMNS and old[c] != new.get(c)}
            if not changes:
                continue
        rows.append(_event(actor, now, old.get("account_id", actor.account_id), action, table.name,
                           "/".join(str(k) for k in key), changes))
    if rows:
        state.session.connection().execute(sa.insert(AuditEvent.__table__), rows)
    return result
