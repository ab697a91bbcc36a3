"""Saved = live for cached SIP users: any change to what a directory document shows renews the
account's ``directory_token`` in the same transaction.

Each process may then keep rendered directory documents keyed by (domain, user) and the token:
one small indexed read per request tells it whether a cached copy is still exact, so a change
committed by any process is served by every process on the very next request. The watched
models are those a directory document is built from; ORM changes are seen automatically (bulk
SQL that bypasses the ORM on these tables must call :func:`touch` itself).
"""
from __future__ import annotations

import weakref

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from .db import db
from .models import Account, CallVersion, Extension, PhoneNumber, Softphone, User
from .models.numbers import new_token

WATCHED = (Account, User, Extension, Softphone, PhoneNumber)
_TOKEN_SQL = ("SELECT v.directory_token FROM call_versions v JOIN accounts a ON a.id = v.account_id "
              "WHERE a.sip_domain = {}")
_PLACEHOLDER = {"qmark": "?", "numeric": ":1", "named": ":domain", "format": "%s", "pyformat": "%(domain)s"}


def touch(session: Session, account_id: int) -> None:
    version = session.get(CallVersion, account_id)
    if version is None:
        session.add(CallVersion(account_id=account_id))  # every token fresh
    else:
        version.directory_token = new_token()


def _account_id(obj) -> int | None:
    return obj.id if isinstance(obj, Account) else getattr(obj, "account_id", None)


@event.listens_for(Session, "before_flush")
def _renew_tokens(session: Session, _context, _instances) -> None:
    changed = {_account_id(obj) for obj in (*session.new, *session.dirty, *session.deleted)
               if isinstance(obj, WATCHED)}
    gone = {obj.id for obj in session.deleted if isinstance(obj, Account)}  # its tokens go with it
    for account_id in sorted(a for a in changed - gone if a is not None):
        if session.get(Account, account_id) is not None:
            touch(session, account_id)


# SQLite only: one detached DB-API connection per engine, reused for token reads. sqlite3 calls
# never yield to the gevent hub, so two requests cannot interleave on it, and outside a
# transaction each SELECT sees the latest commit (WAL). Skipping the pool checkout and its
# reset halves the cost of a cached lookup (bench/README.md).
_SQLITE_READERS: "weakref.WeakKeyDictionary[sa.Engine, object]" = weakref.WeakKeyDictionary()


def _sqlite_reader(engine: sa.Engine):
    reader = _SQLITE_READERS.get(engine)
    if reader is None:
        proxied = engine.raw_connection()
        proxied.detach()  # ours for good: never returned to (or reset by) the pool
        reader = _SQLITE_READERS[engine] = proxied.dbapi_connection
    return reader


def directory_token(domain: str) -> str | None:
    """The account's current token, or None (unknown domain, or no token yet: do not cache).

    Read on every directory request, so it goes straight to the DB-API connection: SQLAlchemy's
    statement execution cost more than the query itself (measured by bench/).
    """
    engine = db.engine
    style = engine.dialect.paramstyle
    value = domain.strip().lower()
    params = {"domain": value} if style in ("named", "pyformat") else (value,)
    sql = _TOKEN_SQL.format(_PLACEHOLDER[style])
    if engine.dialect.name == "sqlite":
        row = _sqlite_reader(engine).execute(sql, params).fetchone()
        return row[0] if row else None
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(sql, params)
        row = cursor.fetchone()
        cursor.close()
        return row[0] if row else None
    finally:
        raw.close()  # back to the pool, which rolls the read transaction back
