"""Shared fixtures: a migrated database (SQLite, or PostgreSQL when PBX_TEST_POSTGRES_URL is set),
an app factory, a real SMTP server on loopback, and a fake FreeSWITCH.

The schema is built once per session through the real migrations, then every table is emptied
after each test, so tests stay independent and the suite stays fast on both databases.
"""
from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient

from pbx.config import load_settings

POSTGRES_ADMIN_URL = os.environ.get("PBX_TEST_POSTGRES_URL", "")


@contextlib.contextmanager
def scratch_database(sqlite_path: Path, prefix: str = "pbx_test"):
    """The URL of an empty database: a new SQLite file, or a new PostgreSQL database (dropped
    afterwards) when PBX_TEST_POSTGRES_URL is set."""
    if not POSTGRES_ADMIN_URL:
        yield f"sqlite:///{sqlite_path}"
        return
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.engine.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory):
    with scratch_database(tmp_path_factory.mktemp("db") / "pbx-test.sqlite3") as url:
        yield url


@pytest.fixture(scope="session")
def base_settings(tmp_path_factory: pytest.TempPathFactory, database_url: str):
    instance: Path = tmp_path_factory.mktemp("instance")
    return dict(env="test", instance_path=str(instance), database_url=database_url,
                secret_key="test-secret", xml_curl_password="xml-secret", esl_password="esl-secret",
                freeswitch_nodes="", smtp_host="127.0.0.1", smtp_port=1, log_level="WARNING",
                public_url="http://pbx.test")


@pytest.fixture(scope="session")
def migrated(base_settings):
    """Run the real migrations once; the schema tests rely on is the one production gets."""
    import flask_migrate

    from pbx.app import MIGRATIONS, create_app

    app = create_app(load_settings(environ={}, **base_settings), dispatch_fs=False)
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
    return True


@pytest.fixture(scope="session")
def shared_apps() -> dict:
    """Apps built with the session's settings, reused by every test of this worker that asks
    for no override: building one costs a quarter second (292 URL rules compiled, the OpenAPI
    document), which was most of the suite's time. Tests that change an app's config or
    extensions get both back after them; one that adds views asks for ``fresh=True``."""
    return {}


@pytest.fixture
def make_app(base_settings, migrated, shared_apps):
    """Build an app with setting overrides (or reuse the shared one); tables are emptied after the test."""
    from fs_service import outbox
    from fs_service.db import db
    from pbx.app import create_app

    apps = []
    restore = []

    def factory(dispatch_fs: bool = False, csrf: bool = False, fresh: bool = False, **overrides):
        key = None if (fresh or dispatch_fs or overrides) else ("csrf" if csrf else "plain")
        app = shared_apps.get(key)
        if app is None:
            settings = load_settings(environ={}, **{**base_settings, **overrides})
            app = create_app(settings, dispatch_fs=dispatch_fs)
            app.config["WTF_CSRF_ENABLED"] = csrf
            app.test_client_class = FreshRequestClient
            if key is not None:
                shared_apps[key] = app
        if key is not None:
            restore.append((app, dict(app.config), dict(app.extensions)))
        apps.append(app)
        return app

    yield factory
    outbox.set_dispatcher(None)
    for app, config, extensions in restore:
        app.config.clear()
        app.config.update(config)
        app.extensions.clear()
        app.extensions.update(extensions)
    if apps:
        with apps[0].app_context():
            db.session.remove()
            _empty_all_tables(db.engine, db.metadata)
            db.engine.dispose()


class FreshRequestClient(FlaskClient):
    """Each request forgets who the previous one was.

    The ``app`` fixture keeps one app context open for the whole test (so tests can use the
    core between requests); Flask then reuses it for the client's requests, and ``g`` — where
    Flask-Login and web.actor cache the current user — would leak from one request to the next.
    In production every request has its own app context.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            for key in ("pbx_actor", "_login_user"):
                g.pop(key, None)
        return super().open(*args, **kwargs)


def _empty_all_tables(engine: sa.Engine, metadata: sa.MetaData) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = [table.name for table in metadata.tables.values()]
            conn.execute(sa.text("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE"))
            return
        conn.execute(sa.text("PRAGMA foreign_keys=OFF"))
        for table in metadata.tables.values():
            conn.execute(sa.text(f'DELETE FROM "{table.name}"'))
        conn.execute(sa.text("PRAGMA foreign_keys=ON"))


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on loopback; ``.messages`` holds what arrived."""
    from tests.fakes.smtp import RecordingSmtpServer

    server = RecordingSmtpServer()
    server.start()
    yield server
    server.stop()
