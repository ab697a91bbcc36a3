"""0015_conferences on a database of its own (SQLite, or PostgreSQL when PBX_TEST_POSTGRES_URL
is set): up, down and up again, and the migrated conference tables equal to the models."""
from __future__ import annotations

import flask_migrate
import pytest
import sqlalchemy as sa

from fs_service.db import db
from pbx.app import MIGRATIONS
from tests.migration_support import fresh_url, model_diffs  # noqa: F401 (fixture)

BEFORE = "0014_mail_delivery"
NEW_TABLES = {"conference_attendances", "conference_entry_failures"}


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


@pytest.mark.filterwarnings("ignore:Cannot correctly sort tables")
def test_0015_goes_up_down_and_up_again_and_matches_the_models(fresh_url, make_app):
    app = make_app(database_url=fresh_url)
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        assert NEW_TABLES <= _tables() and model_diffs("conference") == []

        flask_migrate.downgrade(directory=MIGRATIONS, revision=BEFORE)
        assert not NEW_TABLES & _tables() and model_diffs("conference")  # the comparison does see them
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("conference_participants")}
        assert "code" not in columns

        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        assert NEW_TABLES <= _tables() and model_diffs("conference") == []
        db.session.remove()
        db.engine.dispose()
