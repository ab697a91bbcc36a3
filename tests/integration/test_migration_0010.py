"""0010_password_reset_requests on a database of its own (SQLite, or PostgreSQL when
PBX_TEST_POSTGRES_URL is set): up, down and up again, and the migrated table equal to the model."""
from __future__ import annotations

import flask_migrate
import pytest
import sqlalchemy as sa

from fs_service.db import db
from pbx.app import MIGRATIONS
from tests.migration_support import fresh_url, model_diffs  # noqa: F401 (fixture)

BEFORE = "0009_parked_calls_per_node"
TABLE = "password_reset_requests"


def _tables() -> list[str]:
    return sa.inspect(db.engine).get_table_names()


@pytest.mark.filterwarnings("ignore:Cannot correctly sort tables")
def test_0010_goes_up_down_and_up_again_and_matches_the_model(fresh_url, make_app):
    app = make_app(database_url=fresh_url)
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="0010_password_reset_requests")  # 0016 drops the counter
        db.session.execute(sa.text(f"INSERT INTO {TABLE} (email, remote_addr, created_at) "
                                   "VALUES ('a@example.com', '192.0.2.1', CURRENT_TIMESTAMP)"))
        db.session.commit()
        assert db.session.scalar(sa.text(f"SELECT email_attempts FROM {TABLE}")) == 0  # server default
        db.session.close()

        flask_migrate.downgrade(directory=MIGRATIONS, revision=BEFORE)
        assert TABLE not in _tables() and model_diffs(TABLE)  # the comparison does see this table

        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        assert TABLE in _tables() and model_diffs(TABLE) == []
        db.session.remove()
        db.engine.dispose()
