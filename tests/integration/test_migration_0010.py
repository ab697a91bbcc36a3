"""0010_password_reset_requests on a database of its own (SQLite, or PostgreSQL when
PBX_TEST_POSTGRES_URL is set): up, down and up again, and the migrated table equal to the model."""
from __future__ import annotations

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from fs_service.db import db
from pbx.app import MIGRATIONS
from tests.conftest import scratch_database

BEFORE = "0009_parked_calls_per_node"
TABLE = "password_reset_requests"


@pytest.fixture
def fresh_url(tmp_path):
    with scratch_database(tmp_path / "migrate.sqlite3", prefix="pbx_mig") as url:
        yield url


def _tables() -> list[str]:
    return sa.inspect(db.engine).get_table_names()


def _diffs_for_table() -> list:
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), db.metadata)
    flat = [d for diff in diffs for d in (diff if isinstance(diff, list) else [diff])]
    return [d for d in flat if TABLE in repr(d)]


@pytest.mark.filterwarnings("ignore:Cannot correctly sort tables")
def test_0010_goes_up_down_and_up_again_and_matches_the_model(fresh_url, make_app):
    app = make_app(database_url=fresh_url)
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        db.session.execute(sa.text(f"INSERT INTO {TABLE} (email, remote_addr, created_at) "
                                   "VALUES ('a@example.com', '192.0.2.1', CURRENT_TIMESTAMP)"))
        db.session.commit()
        assert db.session.scalar(sa.text(f"SELECT email_attempts FROM {TABLE}")) == 0  # server default
        db.session.close()

        flask_migrate.downgrade(directory=MIGRATIONS, revision=BEFORE)
        assert TABLE not in _tables() and _diffs_for_table()  # the comparison does see this table

        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        assert TABLE in _tables() and _diffs_for_table() == []
        db.session.remove()
        db.engine.dispose()
