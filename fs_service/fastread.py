"""Single-row reads on the call set-up path, without an ORM session.

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

from .db import db

_READERS: "weakref.WeakKeyDictionary[sa.Engine, Any]" = weakref.WeakKeyDictionary()
_COMPANIONS: "weakref.WeakKeyDictionary[sa.Engine, sa.Engine]" = weakref.WeakKeyDictionary()
_COMPILED: dict[tuple[int, str], tuple[str, tuple[str, ...], dict[str, Any], type]] = {}


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
                                                       pool_pre_ping=False, pool_size=5, max_overflow=20)
        sa.event.listen(engine, "engine_disposed", lambda _engine: found.dispose())  # closed together
    return found


def _pooled_read(engine: sa.Engine, statement: sa.Select, params: dict[str, Any]):
    companion = _companion(engine)
    try:
        with companion.connect() as conn:
            return conn.execute(statement, params).first()
    except sa.exc.DBAPIError as error:
        if not error.connection_invalidated:
            raise
    with companion.connect() as conn:  # the pool dropped the dead connection: once more
        return conn.execute(statement, params).first()


def _compiled(statement: sa.Select, dialect) -> tuple[str, tuple[str, ...], dict[str, Any], type]:
    """SQL text, bind names in order, values of the statement's own literals (e.g. a LIMIT)."""
    key = (id(statement), dialect.name)
    if key not in _COMPILED:
        compiled = statement.compile(dialect=dialect)
        names = tuple(column.key for column in statement.selected_columns)
        _COMPILED[key] = (compiled.string, tuple(compiled.positiontup or ()), dict(compiled.params),
                          namedtuple("Row", names))
    return _COMPILED[key]


def fetch_one(statement: sa.Select, params: dict[str, Any]):
    """The first row of a module-level ``statement`` (built once, with bind parameters)."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return _pooled_read(engine, statement, params)
    sql, order, literals, row_type = _compiled(statement, engine.dialect)
    values = [params[name] if name in params else literals[name] for name in order]
    found = _reader(engine).execute(sql, values).fetchone()
    return row_type(*found) if found is not None else None
