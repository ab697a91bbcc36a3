""""Forgot password" (ACC-2, issue 14): the page tells nobody who has a login, neither by its answer
nor by its work, never talks SMTP itself, and is limited per address and per source address; the
queued email leaves through the sender (real SMTP server)."""
from __future__ import annotations

import re
from datetime import timedelta

import gevent
import sqlalchemy as sa
from flask import Flask

from fs_service import mail_queue
from fs_service.accounts import password_reset
from fs_service.db import db, utcnow
from fs_service.models import MailDelivery, PasswordResetRequest
from tests.factories import make_account
from tests.helpers import send_queued_reset_emails, until
from web.emails import mail_kinds

UNKNOWN = "nobody@example.com"
NEUTRAL = "un lien pour choisir un nouveau mot de passe y a été envoyé"


def site(make_app, smtp_server, **overrides) -> tuple[Flask, str]:
    """An app mailing through the recording SMTP server, and the email of a real login."""
    app = make_app(smtp_port=smtp_server.port, **overrides)
    with app.app_context():
        _account, admin = make_account()
        return app, admin.email


def forgot(app: Flask, email: str, source: str = "198.51.100.7"):
    """One request from a fresh browser (no session) at ``source``."""
    return app.test_client().post("/password/forgot", data={"email": email},
                                  environ_base={"REMOTE_ADDR": source})


def answer(response) -> tuple:
    """What a visitor can compare: status, headers but the (signed, time-stamped) cookie, body."""
    headers = sorted((k, v) for k, v in response.headers.items() if k.lower() != "set-cookie")
    return response.status_code, headers, response.get_data()


def page_after(app: Flask, email: str, source: str = "198.51.100.7") -> str:
    client = app.test_client()
    client.post("/password/forgot", data={"email": email}, environ_base={"REMOTE_ADDR": source})
    return re.sub(r'name="csrf_token" value="[^"]*"', "", client.get("/login").text)


def test_a_known_and_an_unknown_email_get_the_same_answer_and_no_email_is_sent_during_the_request(
        make_app, smtp_server):
    app, email = site(make_app, smtp_server)
    known, unknown = forgot(app, email), forgot(app, UNKNOWN)
    assert known.status_code == 302 and answer(known) == answer(unknown)
    assert smtp_server.messages == []  # the SMTP server was not used while the page answered
    assert page_after(app, email) == page_after(app, UNKNOWN) and NEUTRAL in page_after(app, "x@example.com")


def test_a_known_and_an_unknown_email_cost_the_same_database_work(make_app, smtp_server):
    app, email = site(make_app, smtp_server)
    forgot(app, "warm-up@example.com")  # first-request costs (connections, catalogs) out of the way

    def statements(address: str) -> list[str]:
        seen: list[str] = []
        with app.app_context():
            engine = db.engine
        listener = lambda _conn, _cursor, statement, *_rest: seen.append(statement)  # noqa: E731
        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            forgot(app, address)
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)
        return seen

    known = statements(email)
    assert known and known == statements(UNKNOWN)
    assert not any("users" in statement for statement in known)  # who has a login is not even asked


def test_the_known_email_gets_exactly_one_link_once_the_queue_is_drained(make_app, smtp_server):
    app, email = site(make_app, smtp_server)
    forgot(app, email.upper())
    forgot(app, UNKNOWN)
    assert send_queued_reset_emails(app) == 1
    assert send_queued_reset_emails(app) == 0
    [message] = smtp_server.messages
    assert message["To"] == email and message["Subject"] == "Réinitialisez votre mot de passe"
    assert re.search(r"http://pbx\.test/password/reset/\S+", message.get_body(("plain",)).get_content())


def test_a_fourth_request_for_one_email_within_the_hour_sends_nothing_more_and_answers_the_same(
        make_app, smtp_server):
    app, email = site(make_app, smtp_server)
    first = forgot(app, email, source="198.51.100.1")
    for n in (2, 3):
        forgot(app, email, source=f"198.51.100.{n}")
    assert send_queued_reset_emails(app) == 3
    fourth = forgot(app, email, source="198.51.100.4")  # another source address: the email's own limit
    assert answer(fourth) == answer(first)
    assert send_queued_reset_emails(app) == 0 and len(smtp_server.messages) == 3


def test_one_source_address_is_limited_across_emails(make_app, smtp_server):
    app, email = site(make_app, smtp_server, reset_max_per_ip=2)
    for n in (1, 2):
        forgot(app, f"probe{n}@example.com", source="203.0.113.9")
    limited = forgot(app, email, source="203.0.113.9")
    assert answer(limited) == answer(forgot(app, UNKNOWN, source="203.0.113.10"))
    assert send_queued_reset_emails(app) == 0
    forgot(app, email, source="203.0.113.11")
    assert send_queued_reset_emails(app) == 1


def test_the_limit_is_shared_by_every_web_worker(make_app, smtp_server):
    first, email = site(make_app, smtp_server, reset_max_per_email=2)
    second = make_app(smtp_port=smtp_server.port, reset_max_per_email=2)  # another process, same database
    for app, source in ((first, "192.0.2.1"), (second, "192.0.2.2"), (first, "192.0.2.3"), (second, "192.0.2.4")):
        forgot(app, email, source=source)
    assert send_queued_reset_emails(second) == 2


def test_an_email_the_mail_server_refuses_is_tried_again_later(make_app, smtp_server):
    app, email = site(make_app, smtp_server)
    down = make_app(smtp_port=1)  # nothing listens there
    forgot(app, email)
    assert send_queued_reset_emails(down) == 0
    with app.app_context():
        row = db.session.scalar(sa.select(MailDelivery))
        assert (row.kind, row.state, row.attempts, row.recipient) == ("password_reset", "queued", 1, email)
        assert row.last_answer  # the connection error, for the admins' page
        row.next_try_at = utcnow()  # the backoff has passed
        db.session.commit()
    assert send_queued_reset_emails(app) == 1 and len(smtp_server.messages) == 1


def test_a_request_older_than_an_hour_fails_as_expired_and_old_rows_are_pruned(make_app, smtp_server):
    app, email = site(make_app, smtp_server)
    forgot(app, email)
    with app.app_context():
        db.session.execute(sa.update(PasswordResetRequest).values(created_at=utcnow() - timedelta(hours=2)))
        db.session.execute(sa.update(MailDelivery).values(next_try_at=utcnow()))
        db.session.commit()
    assert send_queued_reset_emails(app) == 0 and smtp_server.messages == []
    with app.app_context():
        row = db.session.scalar(sa.select(MailDelivery))
        assert row.state == "failed" and "expired" in row.last_answer
        assert password_reset.prune(window_seconds=3600) == 1
    assert forgot(app, email).status_code == 302 and send_queued_reset_emails(app) == 1


def test_a_request_for_an_address_with_no_login_leaves_no_email_behind(make_app, smtp_server):
    app, _ = site(make_app, smtp_server)
    forgot(app, UNKNOWN)
    assert send_queued_reset_emails(app) == 0 and smtp_server.messages == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(MailDelivery.id))) == 0


def test_the_sender_loop_of_pbx_run_emails_what_the_page_queued(make_app, smtp_server):
    app, email = site(make_app, smtp_server)
    loop = gevent.spawn(mail_queue.run_sender_loop, app, mail_kinds(app), 0.05)
    try:
        forgot(app, email)
        until(lambda: smtp_server.messages)
    finally:
        loop.kill()
    assert [m["To"] for m in smtp_server.messages] == [email]
