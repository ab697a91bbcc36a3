"""Fax emails through the one mail queue (issue 16.3) against a real SMTP server (aiosmtpd):
with the mail server down they wait with its answer visible to the admins (API and page), and
once it is back each goes out once, its PDF attached -- read from the fax storage at send time,
so a restart of the worker in between loses nothing. A fax whose files retention deleted first
fails its email with a clear answer."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from reportlab.lib.pagesizes import LETTER

from fs_service import mail_queue
from fs_service.db import db, utcnow
from fs_service.fax import emails, mailer, retention
from fs_service.models import FaxJob, MailDelivery, ReceivedFax
from fs_service.models._columns import as_utc
from tests.factories import PASSWORD
from tests.integration.test_api_support import API, bearer
from tests.integration.test_fax_receive import fax_line, receive  # noqa: F401 (fixture)
from tests.integration.test_fax_worker_support import *  # noqa: F403 (fixtures)
from tests.integration.test_fax_worker_support import SUCCESS_UUID, frames_for, send_fax_mail
from tests.unit.test_fax_support import make_pdf


def deliveries(kind: str) -> list[MailDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(MailDelivery).where(MailDelivery.kind == kind)))


def make_due(delivery: MailDelivery) -> None:
    """The backoff (or a dead sender's lease) has passed."""
    db.session.execute(sa.update(MailDelivery).where(MailDelivery.id == delivery.id)
                       .values(next_try_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def received_and_converted(world, running) -> ReceivedFax:
    [row] = receive(world, running, make_pdf(LETTER, LETTER))
    assert running.worker.convert_received() == 1
    db.session.refresh(row)
    return row


def test_a_received_fax_waits_for_the_mail_server_and_arrives_once_with_its_pdf(world, running, fax_line,
                                                                                 smtp_server):
    settings = world.app.config["PBX"]
    smtp_server.stop()
    fax = received_and_converted(world, running)
    [owed] = deliveries(emails.RECEIVED_KIND)
    assert (owed.source_id, owed.account_id, owed.state) == (fax.id, world.account.id, "queued")

    assert send_fax_mail(settings, world.storage) == 0
    [waiting] = deliveries(emails.RECEIVED_KIND)
    assert (waiting.state, waiting.attempts) == ("queued", 1) and "refused" in waiting.last_answer.lower()
    assert as_utc(waiting.next_try_at) > utcnow()  # backed off
    client = world.app.test_client()
    [item] = client.get(f"{API}/accounts/{world.account.id}/emails?kind=fax_received",
                        headers=bearer(world.admin)).json["items"]
    assert (item["state"], item["recipient"], item["last_answer"]) == (
        "queued", "compta@acme.test, boss@acme.test", waiting.last_answer)
    client.post("/login", data={"email": world.admin.email, "password": PASSWORD})
    page = client.get(f"/accounts/{world.account.id}/emails").text
    assert "Télécopie reçue" in page and waiting.last_answer in page

    smtp_server.start()
    make_due(waiting)
    assert mail_queue.claim(waiting.id)  # a worker takes it, then dies before sending
    assert send_fax_mail(settings, world.storage) == 0 and smtp_server.messages == []  # its lease holds
    make_due(waiting)  # the lease ran out: a new worker (new storage object, new kinds) sends it
    running.worker.pass_once()
    assert send_fax_mail(settings, world.storage) == 0
    [message] = smtp_server.messages
    assert message["To"] == "compta@acme.test, boss@acme.test" and "Télécopie reçue" in message["Subject"]
    [pdf] = list(message.iter_attachments())
    assert pdf.get_content() == world.storage.read(fax.pdf_path)
    [sent] = deliveries(emails.RECEIVED_KIND)
    assert (sent.state, sent.attempts, sent.last_answer) == ("sent", 2, None)
    db.session.refresh(fax)
    assert fax.emailed_at is not None


def test_a_confirmation_refused_for_now_keeps_the_answer_then_goes_with_the_cover(world, running, fake_fs,
                                                                                  smtp_server):
    settings = world.app.config["PBX"]
    job = world.submit()
    fake_fs.set_reply("originate", f"+OK {SUCCESS_UUID}\n")
    running.place()
    smtp_server.refuse_with = "451 4.3.0 try again later"
    running.esl.send(frames_for("fax-send-t38-success", job.id))
    running.esl.send(frames_for("fax-send-t38-success", job.id))  # replayed: no second email owed
    [owed] = deliveries(emails.JOB_KIND)
    assert (owed.source_id, owed.recipient) == (job.id, world.sender.email)

    assert send_fax_mail(settings, world.storage) == 0
    [waiting] = deliveries(emails.JOB_KIND)
    assert waiting.state == "queued" and waiting.last_answer == f"{world.sender.email}: 451 4.3.0 try again later"
    [item] = world.app.test_client().get(f"{API}/accounts/{world.account.id}/emails",
                                         headers=bearer(world.admin)).json["items"]
    assert (item["kind"], item["last_answer"]) == ("fax_confirmation", waiting.last_answer)

    smtp_server.refuse_with = None
    make_due(waiting)
    assert send_fax_mail(settings, world.storage) == 1
    assert send_fax_mail(settings, world.storage) == 0
    [message] = smtp_server.messages
    assert message["To"] == world.sender.email and "Télécopie envoyée" in message["Subject"]
    [cover] = list(message.iter_attachments())
    assert cover.get_filename() == f"fax-{job.id}-cover.pdf" and cover.get_content().startswith(b"%PDF")
    db.session.expire_all()
    assert db.session.get(FaxJob, job.id).confirmation_sent_at is not None


def test_a_fax_whose_files_retention_deleted_fails_its_email_clearly(world, running, fax_line, smtp_server):
    smtp_server.stop()
    fax = received_and_converted(world, running)
    assert send_fax_mail(world.app.config["PBX"], world.storage) == 0
    smtp_server.start()
    assert retention.purge_expired(world.storage, 1, now=utcnow() + timedelta(days=2)).received == 1
    make_due(deliveries(emails.RECEIVED_KIND)[0])
    assert send_fax_mail(world.app.config["PBX"], world.storage) == 0
    [failed] = deliveries(emails.RECEIVED_KIND)
    assert (failed.state, failed.last_answer, failed.next_try_at) == ("failed", mailer.PURGED, None)
    assert smtp_server.messages == [] and world.storage.read(fax.pdf_path) is None
