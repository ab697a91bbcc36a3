"""0017_schedule_exception_index on a database of its own (SQLite, or PostgreSQL when
PBX_TEST_POSTGRES_URL is set): up, down and up again, the exceptions kept, the result equal to
the model; and the inbound planner's read of a number's exceptions searches the new index."""
from __future__ import annotations

import flask_migrate
import pytest
import sqlalchemy as sa

from fs_service.db import db
from pbx.app import MIGRATIONS
from tests.migration_support import fresh_url, model_diffs  # noqa: F401 (fixture)

BEFORE = "0016_one_mail_queue"
TABLE = "schedule_exceptions"
OLD, NEW = "ix_schedule_exceptions_number_id", "ix_schedule_exceptions_number_dates"


def _indexes() -> set[str]:
    return {i["name"] for i in sa.inspect(db.engine).get_indexes(TABLE)}


@pytest.mark.filterwarnings("ignore:Cannot correctly sort tables")
def test_0017_goes_up_down_and_up_again_and_matches_the_model(fresh_url, make_app):
    app = make_app(database_url=fresh_url)
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision=BEFORE)
        assert OLD in _indexes() and NEW not in _indexes() and model_diffs(OLD, NEW)
        flask_migrate.upgrade(directory=MIGRATIONS, revision="0017_schedule_exception_index")
        assert NEW in _indexes() and OLD not in _indexes()
        flask_migrate.downgrade(directory=MIGRATIONS, revision=BEFORE)
        assert OLD in _indexes() and NEW not in _indexes()
        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        assert NEW in _indexes() and model_diffs(TABLE, OLD, NEW) == []
        db.session.remove()
        db.engine.dispose()


def test_the_planner_reads_a_numbers_exceptions_through_the_index(app):
    from fs_service.callplan.public_cache import _EXCEPTIONS_NEAR

    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan asserted is SQLite's")
    compiled = _EXCEPTIONS_NEAR.compile(db.engine)
    plan = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled.string}",
                                                   tuple(None for _ in compiled.positiontup)).all()
    assert sum(f"USING INDEX {NEW} (number_id=? AND repeat_yearly=?" in row[-1] for row in plan) == 2, plan
