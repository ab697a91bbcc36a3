"""Mail you can see in development (issue 20.3): the catcher ``pbx run`` starts when no mail
server is set keeps each email as an .eml, the operator's "Mail catcher" page shows it with
clickable links and attachments, and a user created in the UI sets a password from the link."""
from __future__ import annotations

import re
import smtplib
from dataclasses import replace
from email.message import EmailMessage

import pytest

from fs_service import mail_catcher
from fs_service.settings import Settings
from pbx.mail_catcher import MailCatcher, catch_mail_in_development
from tests.factories import PASSWORD, make_account, make_operator
from tests.helpers import send_queued_emails, ui_login


@pytest.fixture
def catcher(tmp_path):
    server = MailCatcher(tmp_path / mail_catcher.FOLDER).start()
    yield server
    server.stop()


@pytest.fixture
def dev_site(make_app, catcher, tmp_path):
    app = make_app(env="development", instance_path=str(tmp_path), smtp_port=catcher.port)
    with app.app_context():
        operator = make_operator()
        account, admin = make_account(sip_domain="acme.example.com")
        return app, operator.email, admin.email, account.id


def logged_in(app, email):
    client = app.test_client()
    ui_login(client, email, PASSWORD)
    return client


def test_a_user_created_in_the_ui_sets_a_password_from_the_caught_welcome_mail(dev_site):
    app, operator_email, admin_email, account_id = dev_site
    admin = logged_in(app, admin_email)
    created = admin.post(f"/accounts/{account_id}/extensions/new", data={
        "number_pick": "", "number": "250", "assignment": "new_user", "first_name": "Nina",
        "last_name": "Neuve", "email": "nina@acme.example.com"})
    assert created.status_code == 302
    assert send_queued_emails(app) == 1

    operator = logged_in(app, operator_email)
    listing = operator.get("/operator/mail-catcher")
    assert listing.status_code == 200 and "nina@acme.example.com" in listing.text
    name = re.search(r'data-mail="([^"]+)"', listing.text).group(1)
    shown = operator.get(f"/operator/mail-catcher/{name}")
    link = re.search(r'<a href="(http://pbx\.test/password/reset/[^"]+)"', shown.text).group(1)

    visitor = app.test_client()
    path = link.removeprefix("http://pbx.test")
    assert visitor.get(path).status_code == 200
    saved = visitor.post(path, data={"password": "Une-phrase-longue-42", "password_confirm": "Une-phrase-longue-42"})
    assert saved.status_code == 302
    assert visitor.post("/login", data={"email": "nina@acme.example.com",
                                        "password": "Une-phrase-longue-42"}).status_code == 302


def test_attachments_are_listed_and_downloadable(dev_site, catcher):
    app, operator_email, *_ = dev_site
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "pbx@localhost", "a@acme.example.com", "Fax reçu"
    message.set_content("Voir la pièce jointe.\n.ligne qui commence par un point")
    message.add_attachment(b"%PDF-1.4 fake", maintype="application", subtype="pdf", filename="fax.pdf")
    with smtplib.SMTP("127.0.0.1", catcher.port, timeout=5) as smtp:
        smtp.send_message(message)

    operator = logged_in(app, operator_email)
    name = re.search(r'data-mail="([^"]+)"', operator.get("/operator/mail-catcher").text).group(1)
    page = operator.get(f"/operator/mail-catcher/{name}").text
    assert "fax.pdf" in page and ".ligne qui commence par un point" in page  # dot-stuffing undone
    download = operator.get(f"/operator/mail-catcher/{name}/attachments/0")
    assert download.data == b"%PDF-1.4 fake" and "fax.pdf" in download.headers["Content-Disposition"]
    assert operator.get(f"/operator/mail-catcher/{name}/attachments/1").status_code == 404
    assert operator.get("/operator/mail-catcher/..%2Fsecrets.toml").status_code == 404


def test_only_operators_see_it_and_never_in_production(dev_site, make_app):
    app, operator_email, admin_email, _ = dev_site
    assert logged_in(app, admin_email).get("/operator/mail-catcher").status_code == 403
    assert "/operator/mail-catcher" in logged_in(app, operator_email).get("/operator/accounts").text
    production = make_app(env="production")
    with production.app_context():
        operator = logged_in(production, operator_email)
        assert operator.get("/operator/mail-catcher").status_code == 404
        assert "/operator/mail-catcher" not in operator.get("/operator/accounts").text


def test_pbx_run_catches_mail_only_in_development_without_a_mail_server(tmp_path):
    dev = Settings(env="development", instance_path=str(tmp_path))
    caught = catch_mail_in_development(dev)
    assert caught.smtp_host == "127.0.0.1" and caught.smtp_port != 25
    with smtplib.SMTP(caught.smtp_host, caught.smtp_port, timeout=5) as smtp:
        smtp.sendmail("a@x.test", ["b@x.test"], b"Subject: hi\r\n\r\nbody\r\n")
    assert [m.subject for m in mail_catcher.messages(caught)] == ["hi"]
    for unchanged in (replace(dev, env="production"), replace(dev, smtp_host="mail.example.com"),
                      replace(dev, smtp_port=587)):
        assert catch_mail_in_development(unchanged) is unchanged
