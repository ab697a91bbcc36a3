"""The database handle shared by every door.

Flask-SQLAlchemy gives us the scoped session per request/app context; core functions use
``db.session`` but never a Flask request, so they run the same under the ESL listener's app
contexts and in unit tests.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime, timezone
from typing import Any, Protocol

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from .errors import PbxError

# Stable constraint names so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# Fail fast when the database is away: a stopped or unreachable server must cost a request
# seconds, not minutes (libpq waits forever to connect by default, and a pool with every
# connection lost would make each request queue 30 s for one).
CONNECT_TIMEOUT_SECONDS = 3
POOL_TIMEOUT_SECONDS = 5
STATEMENT_TIMEOUT_MS = 30_000  # a statement stuck behind a lock or a hung server gives up


class DatabaseUnavailable(PbxError):
    """The database cannot be reached or refuses work for now (restart, failover, a held
    lock): nothing the caller did wrong, worth retrying shortly."""
    status = 503
    error_id = "database_unavailable"


# An outage, as opposed to a bad statement: connection refused or lost, server shutting
# down, statement or lock timeout, SQLite "database is locked" / "unable to open" (all
# OperationalError), a connection used after it closed (InterfaceError), no pooled
# connection free in time (TimeoutError).
_OUTAGE_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError,
                  sa.exc.DisconnectionError)


def unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database is away (retry later) rather than a bug."""
    if isinstance(error, (DatabaseUnavailable, *_OUTAGE_ERRORS)):
        return True
    return isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated


def connect_args(url: str | sa.URL) -> dict:
    """Driver arguments that bound the wait for a server: for every engine on ``url`` (the
    app's, and fastread's companion)."""
    if sa.make_url(url).get_backend_name() != "postgresql":
        return {}
    return {"connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"}


def engine_options(url: str) -> dict:
    """SQLALCHEMY_ENGINE_OPTIONS for ``url``. A server database gets a ping before each
    checkout (finds the connections a restart dropped, so the first request after it
    succeeds), bounded connect and pool waits, and a statement timeout. A SQLite file cannot
    drop connections (the ping would double the cost of a cached lookup); its lock wait is
    the busy_timeout below. Nor does it limit connections, so its pool never makes a request
    wait for one: under gevent every concurrent request may hold one (50 fax uploads at once
    each hold theirs while Ghostscript renders, tests/load), and the default pool of 15 made
    the others, health checks included, queue for 30 s and fail."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return {} if parsed.database in (None, "", ":memory:") else {"pool_size": 10, "max_overflow": -1}
    return {"pool_pre_ping": True, "pool_timeout": POOL_TIMEOUT_SECONDS, "connect_args": connect_args(url)}


class Database(SQLAlchemy):
    """Flask-SQLAlchemy whose end-of-context cleanup survives a connection that died with
    the server: closing the session sends ROLLBACK, and on a connection PostgreSQL just
    terminated that raises -- after the request's answer was made, turning it into a 500
    (found by tests/integration/test_database_outage.py). The pool has already invalidated
    the connection; forgetting the session is all that is left to do."""

    def _teardown_session(self, exc: BaseException | None) -> None:
        try:
            self.session.remove()
        except sa.exc.SQLAlchemyError as error:
            if not unavailable(error):
                raise
            self.session.registry.clear()  # a later context must not inherit the dead session


db = Database(model_class=Base)


class AppScope(Protocol):
    """What a long-running core loop needs of its process: a way to open the scope one unit of
    work runs in — the process's Flask app passes as it is (its ``app_context`` brings the
    database session and makes the app's settings current), without the core naming Flask."""

    def app_context(self) -> AbstractContextManager[Any]: ...


# Ids are 32-bit integers on PostgreSQL: a larger one can name no row, and asking for it is a
# database error there (SQLite takes it), so every id from outside is checked against this.
MAX_ID = 2**31 - 1


def row_id(value: object) -> int | None:
    """``value`` (an int or its digits) as an id that can exist, or None."""
    text = str(value)
    return int(text) if text.isdigit() and 1 <= int(text) <= MAX_ID else None


def utcnow() -> datetime:
    """Timezone-aware UTC now; stored naive-UTC-compatible by SQLAlchemy's DateTime(timezone=True)."""
    return datetime.now(timezone.utc)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite ignores ON DELETE CASCADE unless asked per connection (PostgreSQL always enforces).
    WAL lets the web read while the ESL listener commits, and synchronous=NORMAL keeps commits
    cheap (still durable across a process crash; only an OS crash may lose the last commits)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
