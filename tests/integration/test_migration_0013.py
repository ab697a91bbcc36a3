"""0013_fax_outcomes on a database of its own (SQLite, or PostgreSQL when PBX_TEST_POSTGRES_URL
is set): up, down and up again, the "unknown" state allowed only when it is, and the migrated
fax_jobs table equal to the model."""
from __future__ import annotations

import flask_migrate
import pytest
import sqlalchemy as sa

from fs_service.db import db
from pbx.app import MIGRATIONS
from tests.factories import make_account
from tests.migration_support import fresh_url, model_diffs  # noqa: F401 (fixture)

BEFORE = "0012_audit_log"
TABLE = "fax_jobs"


def _columns() -> set[str]:
    return {c["name"] for c in sa.inspect(db.engine).get_columns(TABLE)}


def _insert_job(account_id: int, state: str) -> None:
    db.session.execute(sa.text(
        "INSERT INTO fax_jobs (account_id, destination, language, state, attempts, ladder_rung, pages_total, "
        "pages_sent, created_at, updated_at) VALUES (:a, '15145550199', 'fr', :s, 1, 0, 2, 0, CURRENT_TIMESTAMP, "
        "CURRENT_TIMESTAMP)"), {"a": account_id, "s": state})


@pytest.mark.filterwarnings("ignore:Cannot correctly sort tables")
def test_0013_goes_up_down_and_up_again_and_matches_the_model(fresh_url, make_app):
    app = make_app(database_url=fresh_url)
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        assert {"outcome_due_by", "outcome_source"} <= _columns() and model_diffs(TABLE) == []
        account_id = make_account()[0].id
        _insert_job(account_id, "unknown")
        db.session.commit()
        db.session.close()

        flask_migrate.downgrade(directory=MIGRATIONS, revision=BEFORE)
        assert not {"outcome_due_by", "outcome_source"} & _columns()
        assert db.session.scalar(sa.text("SELECT state FROM fax_jobs")) == "failed"  # no word for unknown
        with pytest.raises(sa.exc.IntegrityError):
            _insert_job(account_id, "unknown")
            db.session.commit()
        db.session.rollback()
        db.session.close()

        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        assert model_diffs(TABLE) == []
        _insert_job(account_id, "unknown")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
