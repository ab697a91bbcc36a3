"""Reads on the call set-up path, without an ORM session.

xml_curl answers sit in front of every REGISTER and call set-up (NOTES §9.13), and for a
cached answer SQLAlchemy's session and statement machinery cost more than the query. On SQLite
the read goes to one detached DB-API connection per engine: sqlite3 calls never yield to the
gevent hub, so two requests cannot interleave on it, and outside a transaction each SELECT
sees the latest commit (WAL).

Elsewhere (PostgreSQL) the read goes through a companion engine of the app's engine, in
autocommit and without pre-ping: one network round trip per read, where the app's pool would
add a ``SELECT 1`` on checkout and a ``ROLLBACK`` on return. A connection that died meanwhile
(a restarted server) fails that read, is invalidated, and the read is tried once more on a
fresh connection, so callers never see it.
"""
from __future__ import annotations

import weakref
from collections import namedtuple
from typing import Any

import sqlalchemy as sa

from .caches import Cache
from .db import connect_args, db

_READERS: "weakref.WeakKeyDictionary[sa.Engine, Any]" = weakref.WeakKeyDictionary()
_COMPANIONS: "weakref.WeakKeyDictionary[sa.Engine, sa.Engine]" = weakref.WeakKeyDictionary()
# Keyed by the statement itself (module-level, built once: the key holds it, so it stays its own)
# and the dialect's name; a few dozen statements in all.
_COMPILED: Cache[tuple[sa.Select, str], tuple[str, tuple, dict[str, Any], Any]] = Cache("fastread.statements", 512)


def _reader(engine: sa.Engine):
    reader = _READERS.get(engine)
    if reader is None:
        proxied = engine.raw_connection()
        proxied.detach()  # ours for good: never returned to (or reset by) the pool
        reader = _READERS[engine] = proxied.dbapi_connection
    return reader


def _companion(engine: sa.Engine) -> sa.Engine:
    found = _COMPANIONS.get(engine)
    if found is None:
        found = _COMPANIONS[engine] = sa.create_engine(engine.url, isolation_level="AUTOCOMMIT",
                                                       pool_pre_ping=False, pool_size=5, max_overflow=20,
                                                       connect_args=connect_args(engine.url))
        sa.event.listen(engine, "engine_disposed", lambda _engine: found.dispose())  # closed together
    return found


def _pooled_read(engine: sa.Engine, statement: sa.Select, params: dict[str, Any], many: bool):
    companion = _companion(engine)

    def read():
        with companion.connect() as conn:
            result = conn.execute(statement, params)
            return result.all() if many else result.first()

    try:
        return read()
    except sa.exc.DBAPIError as error:
        if not error.connection_invalidated:
            raise
    return read()  # the pool dropped the dead connection: once more


def _row_maker(statement: sa.Select, dialect):
    """Rows as SQLAlchemy would type them (SQLite stores booleans as 0/1, dates and times as
    text): each column's own result processor (SQLAlchemy's compiled ones), only where it has one."""
    names = tuple(column.key for column in statement.selected_columns)
    row_type = namedtuple("Row", names)
    processors = [column.type._cached_result_processor(dialect, None) for column in statement.selected_columns]
    if not any(processors):
        return lambda found: row_type._make(found)
    pairs = tuple(enumerate(processors))
    return lambda found: row_type._make([p(found[i]) if p is not None and found[i] is not None else found[i]
                                         for i, p in pairs])


def _compiled(statement: sa.Select, dialect) -> tuple[str, tuple, dict[str, Any], Any]:
    """SQL text, (bind name, its type's bind processor) in order, values of the statement's own
    literals (e.g. a LIMIT), and the function that turns a DB-API tuple into a typed row."""
    key = (statement, dialect.name)
    found = _COMPILED.lookup(key)
    if found is not None:
        return found
    compiled = statement.compile(dialect=dialect)
    order = tuple((name, compiled.binds[name].type._cached_bind_processor(dialect))
                  for name in compiled.positiontup or ())
    return _COMPILED.put(key, (compiled.string, order, dict(compiled.params), _row_maker(statement, dialect)))


def _raw(engine: sa.Engine, statement: sa.Select, params: dict[str, Any]):
    sql, order, literals, make_row = _compiled(statement, engine.dialect)
    values = []
    for name, process in order:  # a date becomes the text SQLite compares, as SQLAlchemy binds it
        value = params[name] if name in params else literals[name]
        values.append(process(value) if process is not None and value is not None else value)
    return _reader(engine).execute(sql, values), make_row


def fetch_one(statement: sa.Select, params: dict[str, Any]):
    """The first row of a module-level ``statement`` (built once, with bind parameters)."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return _pooled_read(engine, statement, params, many=False)
    cursor, make_row = _raw(engine, statement, params)
    found = cursor.fetchone()
    return make_row(found) if found is not None else None


def fetch_all(statement: sa.Select, params: dict[str, Any]) -> list:
    """Every row of a module-level ``statement``, typed as :func:`fetch_one`'s."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return _pooled_read(engine, statement, params, many=True)
    cursor, make_row = _raw(engine, statement, params)
    return [make_row(found) for found in cursor.fetchall()]
