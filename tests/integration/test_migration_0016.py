"""0016_one_mail_queue on a database of its own (SQLite, or PostgreSQL when PBX_TEST_POSTGRES_URL
is set): down to 0015 hands the queued fax emails back to their rows and re-adds the old queue
columns, up again moves them into ``mail_deliveries`` with their attempts and drops the columns
in place -- every row of the altered tables (and their parents' other children) survives, and
the result equals the models."""
from __future__ import annotations

import flask_migrate
import pytest
import sqlalchemy as sa

from fs_service import mail_queue
from fs_service.db import db
from fs_service.models import FaxJob, Mailbox, MailDelivery, PasswordResetRequest, ReceivedFax, VoicemailMessage
from pbx.app import MIGRATIONS
from tests.factories import make_account, make_user
from tests.migration_support import fresh_url, model_diffs  # noqa: F401 (fixture)

BEFORE = "0015_conferences"
ALTERED = ("fax_jobs", "received_faxes", "voicemail_messages", "password_reset_requests")
OLD_COLUMNS = {"fax_jobs": {"email_due_at", "email_attempts"}, "received_faxes": {"email_due_at", "email_attempts"},
               "voicemail_messages": {"email_next_at", "email_attempts", "email_error"},
               "password_reset_requests": {"email_due_at", "email_attempts", "emailed_at"}}


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(db.engine).get_columns(table)}


def _counts() -> dict[str, int]:
    return {t: db.session.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in ALTERED + ("users", "mailboxes")}


def _fax_mails() -> list[tuple]:
    db.session.expire_all()
    return [(d.kind, d.source_id, d.recipient, d.state, d.attempts) for d in db.session.scalars(
        sa.select(MailDelivery).where(MailDelivery.kind.like("fax_%")).order_by(MailDelivery.kind))]


def _seed() -> tuple[int, int, str]:
    """A sent fax whose confirmation failed three times, a received fax whose email is owed, an
    older received fax already emailed (history), a voicemail message and a reset request."""
    account, _ = make_account()
    sender = make_user(account)
    box = Mailbox(account_id=account.id, number="101", pin="1234")
    db.session.add(box)
    db.session.flush()
    job = FaxJob(account_id=account.id, user_id=sender.id, destination="5145550105", state="sent")
    received, emailed = ReceivedFax(account_id=account.id, pdf_path="in/a.pdf"), ReceivedFax(account_id=account.id)
    db.session.add_all([job, received, emailed, VoicemailMessage(mailbox_id=box.id, email_to="bob@acme.test"),
                        PasswordResetRequest(email="bob@acme.test")])
    db.session.flush()
    mail_queue.enqueue("fax_confirmation", sender.email, account_id=account.id, source_id=job.id).attempts = 3
    mail_queue.enqueue("fax_received", "compta@acme.test", account_id=account.id, source_id=received.id)
    mail_queue.enqueue("fax_received", "compta@acme.test", account_id=account.id, source_id=emailed.id).state = "sent"
    db.session.commit()
    return job.id, received.id, sender.email


@pytest.mark.filterwarnings("ignore:Cannot correctly sort tables")
def test_0016_goes_down_handing_fax_emails_back_and_up_moving_them_into_the_one_queue(fresh_url, make_app):
    app = make_app(database_url=fresh_url)
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        job_id, received_id, sender_email = _seed()
        before = _counts()
        db.session.close()

        flask_migrate.downgrade(directory=MIGRATIONS, revision=BEFORE)
        for table, columns in OLD_COLUMNS.items():
            assert columns <= _columns(table), table
        assert _counts() == before  # nothing cascaded away
        owed = db.session.execute(sa.text("SELECT id, email_attempts FROM fax_jobs WHERE email_due_at IS NOT NULL"))
        assert owed.all() == [(job_id, 3)]
        owed = db.session.execute(sa.text("SELECT id FROM received_faxes WHERE email_due_at IS NOT NULL"))
        assert owed.scalars().all() == [received_id]
        assert db.session.scalar(sa.text("SELECT email_attempts FROM password_reset_requests")) == 0
        remaining = db.session.execute(sa.text("SELECT kind, state FROM mail_deliveries WHERE kind LIKE 'fax_%'"))
        assert remaining.all() == [("fax_received", "sent")]  # history stays, the owed ones went back
        db.session.close()

        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        for table, columns in OLD_COLUMNS.items():
            assert not columns & _columns(table), table
        assert _counts() == before
        assert sorted(_fax_mails()) == sorted([("fax_confirmation", job_id, sender_email, "queued", 3),
                                               ("fax_received", received_id, "", "queued", 0),
                                               ("fax_received", received_id + 1, "compta@acme.test", "sent", 0)])
        assert model_diffs(*ALTERED, "mail_deliveries") == []
        db.session.remove()
        db.engine.dispose()
