"""Accounts and users over the API (ACC-1, ACC-3): operator creates, tenants stay apart."""
from __future__ import annotations

import pytest

from fs_service.models import Account, User
from tests.factories import make_account, make_operator, make_user
from tests.helpers import send_queued_emails
from tests.integration.test_api_support import API, assert_error, bearer, count

NEW_ACCOUNT = {"name": "Acme", "sip_domain": "acme.example.com", "language": "en",
               "admin_email": "boss@acme.example.com", "admin_first_name": "Bea",
               "admin_last_name": "Boss"}


def test_operator_lists_every_account_and_an_admin_only_their_own(client):
    a, admin_a = make_account(name="Alpha")
    make_account(name="Beta")
    everyone = client.get(f"{API}/accounts", headers=bearer(make_operator())).json
    assert [acc["name"] for acc in everyone] == ["Alpha", "Beta"]
    own = client.get(f"{API}/accounts", headers=bearer(admin_a)).json
    assert [acc["id"] for acc in own] == [a.id]


def test_operator_creates_an_account_with_its_admin(client):
    response = client.post(f"{API}/accounts", json=NEW_ACCOUNT, headers=bearer(make_operator()))
    assert response.status_code == 201, response.json
    body = response.json
    assert body["account"]["sip_domain"] == "acme.example.com"
    assert body["admin"]["email"] == "boss@acme.example.com" and body["admin"]["role"] == "admin"
    assert body["admin"]["account_id"] == body["account"]["id"]


def test_new_account_admin_receives_a_welcome_email(make_app, smtp_server):
    pytest.importorskip("web.emails")
    app = make_app(smtp_port=smtp_server.port)
    with app.app_context():
        response = app.test_client().post(f"{API}/accounts", json=NEW_ACCOUNT,
                                          headers=bearer(make_operator()))
        assert response.status_code == 201
    assert send_queued_emails(app) == 1  # queued by the request, sent by the mail sender
    assert smtp_server.messages[0]["To"] == "boss@acme.example.com"


def test_admin_cannot_create_an_account(client):
    _, admin = make_account()
    before = count(Account)
    assert_error(client.post(f"{API}/accounts", json=NEW_ACCOUNT, headers=bearer(admin)), 403, "forbidden")
    assert count(Account) == before


BAD_ACCOUNTS = [
    ({"sip_domain": "not a domain"}, "sip_domain"),
    ({"sip_domain": None}, "sip_domain"),
    ({"name": ""}, "name"),
    ({"name": "x" * 121}, "name"),
    ({"name": "Acme\x07"}, "name"),
    ({"language": "de"}, "language"),
    ({"admin_email": "boss"}, "admin_email"),
    ({"admin_first_name": "B\nea"}, "admin_first_name"),
    ({"enabled": False}, "enabled"),
    ({"id": 99}, "id"),
]


@pytest.mark.parametrize("change, field", BAD_ACCOUNTS)
def test_bad_account_input_is_400_naming_the_field_and_stores_nothing(client, change, field):
    headers = bearer(make_operator())
    before = (count(Account), count(User))
    response = client.post(f"{API}/accounts", json={**NEW_ACCOUNT, **change}, headers=headers)
    assert_error(response, 400, "validation_error", field)
    assert (count(Account), count(User)) == before


@pytest.mark.parametrize("missing", ["name", "sip_domain", "admin_email", "admin_first_name"])
def test_missing_account_fields_are_named(client, missing):
    body = {k: v for k, v in NEW_ACCOUNT.items() if k != missing}
    response = client.post(f"{API}/accounts", json=body, headers=bearer(make_operator()))
    assert_error(response, 400, "validation_error", missing)


def test_a_taken_sip_domain_or_admin_email_is_refused(client):
    _, existing_admin = make_account(sip_domain="acme.example.com")
    headers = bearer(make_operator())
    before = (count(Account), count(User))
    response = client.post(f"{API}/accounts", json=NEW_ACCOUNT, headers=headers)
    assert_error(response, 400, "domain_taken", "sip_domain")
    other = {**NEW_ACCOUNT, "sip_domain": "other.example.com", "admin_email": existing_admin.email}
    assert_error(client.post(f"{API}/accounts", json=other, headers=headers), 400, "email_taken", "email")
    assert (count(Account), count(User)) == before


def test_another_tenants_account_is_not_found(client):
    _, admin_a = make_account()
    b, _ = make_account()
    headers = bearer(admin_a)
    assert_error(client.get(f"{API}/accounts/{b.id}", headers=headers), 404, "not_found")
    assert_error(client.get(f"{API}/accounts/{b.id}/users", headers=headers), 404, "not_found")


def test_admin_lists_users_and_a_plain_user_is_forbidden(client):
    account, admin = make_account()
    user = make_user(account)
    listed = client.get(f"{API}/accounts/{account.id}/users", headers=bearer(admin)).json
    assert {u["email"] for u in listed} == {admin.email, user.email}
    response = client.get(f"{API}/accounts/{account.id}/users", headers=bearer(user))
    assert_error(response, 403, "forbidden")
    assert client.get(f"{API}/accounts/{account.id}", headers=bearer(user)).status_code == 200
