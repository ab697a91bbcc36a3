"""0014_mail_delivery on a database of its own (SQLite, or PostgreSQL when PBX_TEST_POSTGRES_URL
is set): the emails still owed by the older queues move into ``mail_deliveries``; up, down
(handing them back) and up again, and the migrated table equal to the model."""
from __future__ import annotations

import flask_migrate
import pytest
import sqlalchemy as sa

from fs_service.db import db
from pbx.app import MIGRATIONS
from tests.migration_support import fresh_url, model_diffs  # noqa: F401 (fixture)

BEFORE = "0013_fax_outcomes"
TABLE = "mail_deliveries"


def _sql(text: str):
    return db.session.execute(sa.text(text))


def _owed_by_the_old_queues() -> None:
    """An account with a box, a message whose email failed twice, one already emailed, and a
    reset request still due -- as the queues before 0014 left them."""
    _sql("INSERT INTO accounts (id, name, sip_domain, enabled, language, timezone, created_at, updated_at) "
         "VALUES (7, 'Acme', 'acme.test', true, 'fr', 'America/Toronto', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
    _sql("INSERT INTO mailboxes (id, account_id, number, name, pin, max_message_seconds, max_messages, email, "
         "email_only, failed_logins, created_at, updated_at) VALUES (3, 7, '101', '', '1234', 180, 100, "
         "'bob@acme.test', false, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
    for message_id, emailed in ((11, "NULL"), (12, "CURRENT_TIMESTAMP")):
        _sql("INSERT INTO voicemail_messages (id, mailbox_id, folder, caller_number, caller_name, duration_seconds, "
             "email_to, email_attempts, email_next_at, email_error, emailed_at, delete_after_email, created_at) "
             f"VALUES ({message_id}, 3, 'new', '', '', 4, 'bob@acme.test', 2, CURRENT_TIMESTAMP, "
             f"'421 try later', {emailed}, false, CURRENT_TIMESTAMP)")
    _sql("INSERT INTO password_reset_requests (id, email, remote_addr, email_due_at, email_attempts, created_at) "
         "VALUES (5, 'ann@acme.test', '192.0.2.1', CURRENT_TIMESTAMP, 0, CURRENT_TIMESTAMP)")
    db.session.commit()


@pytest.mark.filterwarnings("ignore:Cannot correctly sort tables")
def test_0014_moves_the_owed_emails_goes_down_and_up_again_and_matches_the_model(fresh_url, make_app):
    app = make_app(database_url=fresh_url)
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision=BEFORE)
        _owed_by_the_old_queues()
        db.session.close()

        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        rows = _sql(f"SELECT account_id, kind, source_id, recipient, state, attempts, last_answer FROM {TABLE} "
                    "ORDER BY kind").all()
        assert [tuple(r) for r in rows] == [(None, "password_reset", 5, "ann@acme.test", "queued", 0, None),
                                            (7, "voicemail", 11, "bob@acme.test", "queued", 2, "421 try later")]
        db.session.close()

        flask_migrate.downgrade(directory=MIGRATIONS, revision=BEFORE)
        assert TABLE not in sa.inspect(db.engine).get_table_names() and model_diffs(TABLE, "ix_voicemail_messages_audio_path")
        assert _sql("SELECT id FROM voicemail_messages WHERE email_next_at IS NOT NULL").scalars().all() == [11]
        assert _sql("SELECT id FROM password_reset_requests WHERE email_due_at IS NOT NULL").scalars().all() == [5]
        db.session.close()

        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        assert model_diffs(TABLE, "ix_voicemail_messages_audio_path") == []
        assert _sql(f"SELECT count(*) FROM {TABLE}").scalar() == 2
        db.session.remove()
        db.engine.dispose()
