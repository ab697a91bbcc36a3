"""The mail queue (issue 16.3) against a real SMTP server (aiosmtpd): what waits, what fails and
why, nothing sent twice, and who sees which email (API and page)."""
from __future__ import annotations

import socket
from datetime import timedelta

import pytest
import sqlalchemy as sa

from fs_service import mail, mail_queue
from fs_service.db import db, utcnow
from fs_service.models import MailDelivery
from fs_service.models._columns import as_utc
from tests.factories import PASSWORD, make_account, make_operator
from tests.helpers import send_queued_emails
from tests.integration.test_api_support import API, assert_error, bearer

KINDS = {"voicemail": mail_queue.MailKind(lambda d: mail.build("pbx@acme.test", d.recipient, "Hello", "Body"))}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def up(make_app, smtp_server):
    app = make_app(smtp_port=smtp_server.port)
    with app.app_context():
        yield app


def owe(recipient: str = "bob@example.com", account_id: int | None = None) -> int:
    delivery = mail_queue.enqueue("voicemail", recipient, account_id=account_id)
    db.session.commit()
    return delivery.id


def row(delivery_id: int) -> MailDelivery:
    db.session.expire_all()
    return db.session.get(MailDelivery, delivery_id)


def make_due(delivery_id: int) -> None:
    row(delivery_id).next_try_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def send(app) -> int:
    return mail_queue.send_due(app.config["PBX"], KINDS)


def test_a_5xx_answer_fails_at_once_with_the_servers_answer(up, smtp_server):
    smtp_server.refuse_with = "550 5.1.1 no such user"
    delivery_id = owe("ghost@example.com")
    assert send(up) == 0
    failed = row(delivery_id)
    assert (failed.state, failed.attempts, failed.next_try_at) == ("failed", 1, None)
    assert "550" in failed.last_answer and "no such user" in failed.last_answer
    assert send(up) == 0 and smtp_server.messages == []  # never tried again


def test_a_4xx_answer_waits_with_a_growing_backoff_then_goes_out(up, smtp_server):
    smtp_server.refuse_with = "451 4.3.0 try again later"
    delivery_id = owe()
    assert send(up) == 0
    waiting = row(delivery_id)
    assert (waiting.state, waiting.attempts) == ("queued", 1) and "451" in waiting.last_answer
    assert timedelta(seconds=50) < as_utc(waiting.next_try_at) - utcnow() <= timedelta(minutes=1)
    assert send(up) == 0  # not due yet
    make_due(delivery_id)
    assert send(up) == 0 and row(delivery_id).attempts == 2
    smtp_server.refuse_with = None
    make_due(delivery_id)
    assert send(up) == 1
    sent = row(delivery_id)
    assert (sent.state, sent.attempts, sent.last_answer, sent.subject) == ("sent", 3, None, "Hello")
    assert [m["To"] for m in smtp_server.messages] == ["bob@example.com"]


def test_a_dead_mail_server_fails_the_email_after_about_a_day_of_tries(make_app):
    down = make_app(smtp_port=closed_port(), smtp_timeout=1)
    with down.app_context():
        delivery_id = owe()
        row(delivery_id).attempts = mail_queue.MAX_ATTEMPTS - 1
        db.session.commit()
        assert send(down) == 0
        failed = row(delivery_id)
        assert (failed.state, failed.attempts) == ("failed", mail_queue.MAX_ATTEMPTS)
        assert "refused" in failed.last_answer.lower()
    waited = sum((mail.backoff(n) for n in range(1, mail_queue.MAX_ATTEMPTS)), timedelta())
    assert timedelta(hours=20) < waited < timedelta(hours=30)


def test_a_claimed_email_is_sent_once_even_by_two_senders(up, make_app, smtp_server):
    delivery_id = owe()
    assert mail_queue.claim(delivery_id)  # a sender took it (and died before sending, say)
    other = make_app(smtp_port=smtp_server.port)  # another process on the same database
    with other.app_context():
        assert send(other) == 0 and not mail_queue.claim(delivery_id)
    make_due(delivery_id)  # the lease ran out
    assert send(up) == 1 and send(up) == 0
    assert len(smtp_server.messages) == 1 and row(delivery_id).state == "sent"


def test_sent_and_failed_emails_are_forgotten_after_the_retention_queued_ones_never(up):
    old, recent, waiting = owe(), owe(), owe()
    for delivery_id, state, age in ((old, "sent", 31), (recent, "failed", 29), (waiting, "queued", 40)):
        db.session.execute(sa.update(MailDelivery).where(MailDelivery.id == delivery_id)
                           .values(state=state, created_at=utcnow() - timedelta(days=age)))
    db.session.commit()
    assert mail_queue.prune() == 1
    assert row(old) is None and row(recent) is not None and row(waiting) is not None


@pytest.fixture
def tenants(up):
    account_a, admin_a = make_account()
    account_b, admin_b = make_account()
    ids = {"a": owe("a@example.com", account_a.id), "b": owe("b@example.com", account_b.id),
           "none": owe("reset@example.com")}
    failed = row(ids["a"])
    failed.state, failed.last_answer = "failed", "550 5.1.1 no such user"
    db.session.commit()
    return {"account_a": account_a.id, "account_b": account_b.id, "admin_a": admin_a, "admin_b": admin_b,
            "operator": make_operator(), "ids": ids}


def test_an_admin_sees_their_accounts_emails_only_the_operator_all(up, tenants):
    client = up.test_client()
    mine = client.get(f"{API}/accounts/{tenants['account_a']}/emails", headers=bearer(tenants["admin_a"]))
    assert mine.status_code == 200
    [item] = mine.json["items"]
    assert (item["id"], item["recipient"], item["state"], item["last_answer"]) == (
        tenants["ids"]["a"], "a@example.com", "failed", "550 5.1.1 no such user")
    assert_error(client.get(f"{API}/accounts/{tenants['account_b']}/emails", headers=bearer(tenants["admin_a"])),
                 404, "not_found")
    assert_error(client.get(f"{API}/emails", headers=bearer(tenants["admin_a"])), 403, "forbidden")
    everything = client.get(f"{API}/emails", headers=bearer(tenants["operator"])).json["items"]
    assert sorted(i["id"] for i in everything) == sorted(tenants["ids"].values())
    queued = client.get(f"{API}/emails?state=queued", headers=bearer(tenants["operator"])).json["items"]
    assert sorted(i["recipient"] for i in queued) == ["b@example.com", "reset@example.com"]
    assert_error(client.get(f"{API}/emails?state=lost", headers=bearer(tenants["operator"])), 400,
                 "validation_error")


def test_the_emails_page_shows_each_state_and_the_servers_answer(up, tenants):
    client = up.test_client()
    client.post("/login", data={"email": tenants["admin_a"].email, "password": PASSWORD})
    page = client.get(f"/accounts/{tenants['account_a']}/emails")
    assert page.status_code == 200
    assert "a@example.com" in page.text and "550 5.1.1 no such user" in page.text and "Échec" in page.text
    assert "b@example.com" not in page.text and "reset@example.com" not in page.text
    assert client.get(f"/accounts/{tenants['account_b']}/emails").status_code in (403, 404)


def test_a_welcome_email_waits_for_the_mail_server_and_arrives_when_it_is_back(make_app, smtp_server):
    down = make_app(smtp_port=closed_port(), smtp_timeout=1)
    with down.app_context():
        account, admin = make_account()
        account_id, email = account.id, admin.email
    client = down.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    created = client.post(f"/accounts/{account_id}/extensions/new", follow_redirects=True, data={
        "number": "470", "assignment": "new_user", "first_name": "Al", "last_name": "Bee", "email": "al@example.com"})
    assert created.status_code == 200 and "Poste 470 créé." in created.text
    assert send_queued_emails(down) == 0
    with down.app_context():
        waiting = db.session.scalar(sa.select(MailDelivery).where(MailDelivery.recipient == "al@example.com"))
        assert (waiting.kind, waiting.state, waiting.account_id) == ("invitation", "queued", account_id)
        waiting.next_try_at = utcnow()
        db.session.commit()
    up = make_app(smtp_port=smtp_server.port)
    assert send_queued_emails(up) == 1
    [message] = smtp_server.messages
    assert message["To"] == "al@example.com" and "/password/reset/" in message.get_body(("plain",)).get_content()


def test_the_openapi_document_describes_the_emails_endpoints(up):
    paths = up.test_client().get(f"{API}/openapi.json").json["paths"]
    assert "get" in paths["/api/v1/accounts/{account_id}/emails"]
    assert paths["/api/v1/emails"]["get"]["summary"].startswith("Operator only")


def test_the_operator_page_lists_every_email_and_refuses_admins(up, tenants):
    operator, admin = up.test_client(), up.test_client()
    for client, who in ((operator, tenants["operator"]), (admin, tenants["admin_a"])):
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = str(who.id), True
    page = operator.get("/operator/emails?state=queued")
    assert page.status_code == 200 and "reset@example.com" in page.text and "b@example.com" in page.text
    assert "a@example.com" not in page.text  # failed, filtered out
    assert admin.get("/operator/emails").status_code == 403
