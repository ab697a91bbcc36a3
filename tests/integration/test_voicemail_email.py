"""Voicemail by email through the mail queue and a real SMTP server (aiosmtpd): attachment,
retries, email-only."""
from __future__ import annotations

import socket
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from fs_service import mail, mail_queue
from fs_service.audio_storage import Storage
from fs_service.db import db
from fs_service.models import Mailbox, MailDelivery, VoicemailMessage
from fs_service.voicemail import mailer, messages
from tests.factories import make_account, make_extension
from tests.fakes.fake_outbound_apps import write_wav


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def apps(make_app, tmp_path, smtp_server):
    """The same deployment with SMTP up, and with SMTP down."""
    folder = str(tmp_path / "vm")
    up = make_app(voicemail_storage=folder, smtp_port=smtp_server.port, mail_from="pbx@acme.test")
    down = make_app(voicemail_storage=folder, smtp_port=closed_port(), smtp_timeout=1)
    with up.app_context():
        yield up, down


@pytest.fixture
def box(apps):
    account, _ = make_account(timezone="America/Toronto")
    make_extension(account, "101")
    found = db.session.scalar(sa.select(Mailbox).where(Mailbox.account_id == account.id))
    found.email, found.name = "bob@example.com", "Bob"
    db.session.commit()
    return found


def deposit(app, box, seconds=4.0) -> tuple[int, str]:
    storage = Storage.from_settings(app.config["PBX"])
    path = storage.new_recording(_domain(box), box.number, "msg")
    write_wav(storage.local_path(path), seconds)
    message = messages.record_message(box, path, seconds, "4185551234", "Client Inc")
    db.session.commit()
    return message.id, path


def _domain(box) -> str:
    from fs_service.models import Account
    return db.session.get(Account, box.account_id).sip_domain


def row(message_id):
    db.session.expire_all()
    return db.session.get(VoicemailMessage, message_id)


def delivery(message_id) -> MailDelivery:
    db.session.expire_all()
    return db.session.scalar(sa.select(MailDelivery).where(MailDelivery.kind == mailer.KIND,
                                                           MailDelivery.source_id == message_id))


def send_one(app, message_id) -> bool:
    kinds = {mailer.KIND: mailer.mail_kind(app)}
    return mail_queue.send_one(app.config["PBX"], kinds, delivery(message_id).id)


def send_due(app) -> int:
    return mail_queue.send_due(app.config["PBX"], {mailer.KIND: mailer.mail_kind(app)})


def test_the_email_carries_the_recording_and_the_details_in_the_boxs_language(apps, box, smtp_server):
    up, _ = apps
    message_id, path = deposit(up, box)
    assert send_one(up, message_id)
    [mail] = smtp_server.messages
    assert mail["From"] == "pbx@acme.test" and mail["To"] == "bob@example.com"
    assert mail["Subject"] == "Nouveau message vocal de Client Inc 4185551234 (0:04)"
    assert "Boîte vocale 101 (Bob)" in mail.get_body().get_content()
    [audio] = list(mail.iter_attachments())
    assert audio.get_filename().startswith("message-101-") and audio.get_content()[:4] == b"RIFF"
    assert row(message_id).emailed_at is not None
    assert not send_one(up, message_id)  # never twice
    assert len(smtp_server.messages) == 1


def test_english_extension_gets_english_email(apps, box, smtp_server):
    up, _ = apps
    box.extension.language = "en"
    db.session.commit()
    message_id, _ = deposit(up, box)
    send_one(up, message_id)
    assert smtp_server.messages[0]["Subject"].startswith("New voicemail from Client Inc")


def test_smtp_down_keeps_the_message_and_retries_later(apps, box, smtp_server):
    up, down = apps
    message_id, _ = deposit(up, box)
    assert (delivery(message_id).state, delivery(message_id).account_id) == ("queued", box.account_id)
    assert not send_one(down, message_id)
    failed = delivery(message_id)
    assert (failed.state, failed.attempts) == ("queued", 1) and failed.last_answer and row(message_id).emailed_at is None
    next_at = failed.next_try_at if failed.next_try_at.tzinfo else failed.next_try_at.replace(tzinfo=timezone.utc)
    assert next_at > datetime.now(timezone.utc) + timedelta(seconds=30)
    assert send_due(up) == 0  # not due yet
    failed.next_try_at = datetime.now(timezone.utc) - timedelta(seconds=1)
    db.session.commit()
    assert send_due(up) == 1 and len(smtp_server.messages) == 1
    sent = delivery(message_id)
    assert (sent.state, sent.attempts, sent.recipient) == ("sent", 2, "bob@example.com")
    assert sent.subject.startswith("Nouveau message vocal") and sent.sent_at is not None


def test_email_only_box_keeps_nothing_once_smtp_accepted_it(apps, box, smtp_server):
    up, down = apps
    box.email_only = True
    db.session.commit()
    message_id, path = deposit(up, box)
    local = Storage.from_settings(up.config["PBX"]).local_path(path)
    send_one(down, message_id)
    assert row(message_id) is not None and local.exists()  # nothing lost while SMTP is down
    delivery(message_id).next_try_at = datetime.now(timezone.utc) - timedelta(seconds=1)
    db.session.commit()
    assert send_due(up) == 1
    assert row(message_id) is None and not local.exists()
    assert len(smtp_server.messages) == 1


def test_a_missing_recording_is_retried_not_sent_empty(apps, box, smtp_server):
    up, _ = apps
    message_id, path = deposit(up, box)
    Storage.from_settings(up.config["PBX"]).local_path(path).unlink()
    assert not send_one(up, message_id)
    assert "not readable" in delivery(message_id).last_answer and smtp_server.messages == []
    assert delivery(message_id).state == "queued"


def test_backoff_grows_to_an_hour():
    assert [mail.backoff(n).total_seconds() for n in (1, 2, 3, 10)] == [60, 120, 240, 3600]
