"""0011_two_factor and 0012_audit_log on a database of their own (SQLite, or PostgreSQL when
PBX_TEST_POSTGRES_URL is set): up, down to 0010 and up again, and what they build equal to the
models."""
from __future__ import annotations

import flask_migrate
import pytest
import sqlalchemy as sa

from fs_service.db import db
from pbx.app import MIGRATIONS
from tests.migration_support import fresh_url, model_diffs  # noqa: F401 (fixture)

BEFORE = "0010_password_reset_requests"
WATCHED = ("audit_events", "recovery_codes", "totp_", "admins_require_two_factor")


@pytest.mark.filterwarnings("ignore:Cannot correctly sort tables")
def test_0011_and_0012_go_up_down_and_up_again_and_match_the_models(fresh_url, make_app):
    app = make_app(database_url=fresh_url)
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        db.session.execute(sa.text("INSERT INTO accounts (name, sip_domain, language, timezone, enabled, "
                                   "created_at, updated_at) VALUES ('A', 'a.test', 'fr', 'UTC', 1 = 1, "
                                   "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        db.session.execute(sa.text("INSERT INTO users (account_id, email, first_name, last_name, role, language, "
                                   "active, can_fax, fax_hide_recipient_phone, fax_hide_sender_phone, "
                                   "fax_hide_sender_fax, created_at, updated_at) SELECT id, 'u@a.test', '', '', "
                                   "'user', 'fr', 1 = 1, 1 = 0, 1 = 0, 1 = 0, 1 = 0, CURRENT_TIMESTAMP, "
                                   "CURRENT_TIMESTAMP FROM accounts"))
        db.session.commit()
        assert db.session.scalar(sa.text("SELECT admins_require_two_factor FROM accounts")) in (False, 0)
        db.session.close()

        flask_migrate.downgrade(directory=MIGRATIONS, revision=BEFORE)
        tables = sa.inspect(db.engine).get_table_names()
        assert "audit_events" not in tables and "recovery_codes" not in tables and model_diffs(*WATCHED)
        # dropping columns of accounts must not cascade into its children (SQLite batch rebuilds did)
        assert db.session.scalar(sa.text("SELECT count(*) FROM users")) == 1
        db.session.close()

        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        assert model_diffs(*WATCHED) == []
        db.session.remove()
        db.engine.dispose()
