"""UI login, logout and password links (ACC-2), against a real SMTP server."""
from __future__ import annotations

import re

import pytest

from fs_service.accounts import login as auth
from fs_service.db import db
from fs_service.models import User
from tests.factories import PASSWORD, make_account
from tests.helpers import send_queued_reset_emails

NEW_PASSWORD = "a brand new sentence"


@pytest.fixture
def site(make_app, smtp_server):
    """An app that mails through the recording SMTP server, with one account admin.

    Requests run outside any app context so each gets its own ``g`` (as in production)."""
    app = make_app(smtp_port=smtp_server.port, login_max_failures=3)
    with app.app_context():
        account, admin = make_account()
        ids = dict(account_id=account.id, user_id=admin.id, email=admin.email)
    return app, ids


def login(client, email, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def reset_link(message) -> str:
    match = re.search(r"http://pbx\.test(/password/reset/\S+)", message.get_body(("plain",)).get_content())
    assert match, "the email carries a reset link on public_url"
    return match.group(1)


def test_login_with_the_right_password_opens_the_account_dashboard(site):
    app, ids = site
    client = app.test_client()
    response = login(client, ids["email"])
    assert response.status_code == 302
    page = client.get("/", follow_redirects=True)
    assert page.status_code == 200 and "Tableau de bord" in page.text


def test_login_with_a_wrong_password_is_refused_with_a_message(site):
    app, ids = site
    response = login(app.test_client(), ids["email"], "not the password")
    assert response.status_code == 401
    assert "Courriel ou mot de passe incorrect." in response.text


def test_login_is_throttled_after_too_many_failures_even_with_the_right_password(site):
    app, ids = site
    client = app.test_client()
    for _ in range(3):
        assert login(client, ids["email"], "wrong password!").status_code == 401
    response = login(client, ids["email"])
    assert response.status_code == 429
    assert "Trop de tentatives de connexion échouées" in response.text


def test_pages_need_a_login_and_come_back_after_it(site):
    app, ids = site
    client = app.test_client()
    target = f"/accounts/{ids['account_id']}/extensions"
    response = client.get(target)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    back = client.post(response.headers["Location"], data={"email": ids["email"], "password": PASSWORD})
    assert back.headers["Location"] == target


def test_login_never_redirects_to_another_site(site):
    app, ids = site
    response = app.test_client().post("/login?next=//evil.example/x",
                                      data={"email": ids["email"], "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_logout_ends_the_session(site):
    app, ids = site
    client = app.test_client()
    login(client, ids["email"])
    response = client.post("/logout", follow_redirects=True)
    assert "Vous êtes déconnecté." in response.text
    assert client.get(f"/accounts/{ids['account_id']}/").status_code == 302


def test_forgot_password_emails_a_single_use_link_that_sets_a_new_password(site, smtp_server):
    app, ids = site
    client = app.test_client()
    response = client.post("/password/forgot", data={"email": ids["email"].upper()}, follow_redirects=True)
    assert "un lien pour choisir un nouveau mot de passe y a été envoyé" in response.text
    assert send_queued_reset_emails(app) == 1
    [message] = smtp_server.messages
    assert message["To"] == ids["email"] and message["Subject"] == "Réinitialisez votre mot de passe"
    link = reset_link(message)
    assert "Choisissez un mot de passe" in client.get(link).text
    saved = client.post(link, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert saved.status_code == 302
    assert login(client, ids["email"], NEW_PASSWORD).status_code == 302
    again = app.test_client().get(link)
    assert again.status_code == 400 and "déjà utilisé ou expiré" in again.text


def test_forgot_password_gives_the_same_answer_for_an_unknown_email(site, smtp_server):
    app, _ids = site
    response = app.test_client().post("/password/forgot", data={"email": "nobody@example.com"},
                                      follow_redirects=True)
    assert "un lien pour choisir un nouveau mot de passe y a été envoyé" in response.text
    assert send_queued_reset_emails(app) == 0
    assert smtp_server.messages == []


def test_reset_form_refuses_a_short_or_mismatched_password_and_keeps_the_old_one(site, smtp_server):
    app, ids = site
    client = app.test_client()
    client.post("/password/forgot", data={"email": ids["email"]})
    send_queued_reset_emails(app)
    link = reset_link(smtp_server.messages[0])
    short = client.post(link, data={"password": "short", "password_confirm": "short"})
    assert short.status_code == 400 and 'data-field="password"' in short.text
    differ = client.post(link, data={"password": NEW_PASSWORD, "password_confirm": "something else"})
    assert differ.status_code == 400 and 'data-field="password_confirm"' in differ.text
    assert login(client, ids["email"]).status_code == 302


def test_an_expired_reset_link_is_refused(site):
    app, ids = site
    with app.app_context():
        token = auth.create_reset_token(db.session.get(User, ids["user_id"]), ttl_seconds=-1)
        db.session.commit()
    client = app.test_client()
    assert client.get(f"/password/reset/{token}").status_code == 400
    response = client.post(f"/password/reset/{token}", data={"password": NEW_PASSWORD,
                                                              "password_confirm": NEW_PASSWORD})
    assert response.status_code == 400 and "déjà utilisé ou expiré" in response.text
    assert login(client, ids["email"], NEW_PASSWORD).status_code == 401


def test_a_form_posted_without_its_csrf_token_is_refused(make_app):
    app = make_app(csrf=True)
    with app.app_context():
        _account, admin = make_account()
        email = admin.email
    client = app.test_client()
    refused = client.post("/login", data={"email": email, "password": PASSWORD})
    assert refused.status_code == 400 and "Le formulaire a expiré" in refused.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    accepted = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert accepted.status_code == 302
