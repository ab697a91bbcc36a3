"""Operator pages (ACC-1, ACC-3): customer accounts and their first administrator."""
from __future__ import annotations

import pytest

from fs_service.accounts import rules as accounts
from tests.factories import PASSWORD, make_account, make_operator
from tests.helpers import send_queued_emails, ui_login

GOOD = {"name": "Acme inc.", "sip_domain": "acme.example.com", "language": "en",
        "admin_first_name": "Ada", "admin_last_name": "Lovelace", "admin_email": "ada@acme.example.com"}


@pytest.fixture
def site(make_app, smtp_server):
    app = make_app(smtp_port=smtp_server.port)
    with app.app_context():
        operator = make_operator()
        _account, admin = make_account(sip_domain="taken.example.com")
        emails = {"operator": operator.email, "admin": admin.email}
    return app, emails


def client_for(app, email):
    client = app.test_client()
    ui_login(client, email, PASSWORD)
    return client


def domains(app):
    with app.app_context():
        return sorted(a.sip_domain for a in accounts.list_accounts())


def test_operator_creates_an_account_and_its_admin_gets_a_welcome_email(site, smtp_server):
    app, emails = site
    operator = client_for(app, emails["operator"])
    response = operator.post("/operator/accounts", data=GOOD, follow_redirects=True)
    assert response.status_code == 200 and "Compte Acme inc. créé." in response.text
    assert "acme.example.com" in response.text
    assert domains(app) == ["acme.example.com", "taken.example.com"]
    assert send_queued_emails(app) == 1  # queued by the page, sent by the mail sender
    [message] = smtp_server.messages
    assert message["To"] == "ada@acme.example.com"
    assert message["Subject"] == "Welcome to your business phone service"  # the account language
    with app.app_context():
        admin = accounts.find_user_by_email("ada@acme.example.com")
        assert admin.role == "admin" and admin.password_hash is None


def test_operator_lands_on_the_accounts_page(site):
    app, emails = site
    page = client_for(app, emails["operator"]).get("/", follow_redirects=True)
    assert "Comptes clients" in page.text and "taken.example.com" in page.text


@pytest.mark.parametrize("field,changes", [
    ("sip_domain", {"sip_domain": "not a domain"}),
    ("sip_domain", {"sip_domain": "taken.example.com"}),
    ("name", {"name": ""}),
    ("admin_email", {"admin_email": "nope"}),
    ("admin_email", {"admin_email": "operator-taken"}),
    ("admin_last_name", {"admin_last_name": ""}),
    ("language", {"language": "de"}),
])
def test_bad_account_input_gives_400_naming_the_field_and_stores_nothing(site, smtp_server, field, changes):
    app, emails = site
    if changes.get("admin_email") == "operator-taken":
        changes = {"admin_email": emails["admin"]}
    response = client_for(app, emails["operator"]).post("/operator/accounts", data={**GOOD, **changes})
    assert response.status_code == 400
    assert f'class="field-error" data-field="{field}"' in response.text
    assert domains(app) == ["taken.example.com"] and smtp_server.messages == []


def test_an_account_admin_is_refused_the_operator_pages(site):
    app, emails = site
    admin = client_for(app, emails["admin"])
    assert admin.get("/operator/accounts").status_code == 403
    refused = admin.post("/operator/accounts", data=GOOD)
    assert refused.status_code == 403 and "réservée à l" in refused.text
    assert domains(app) == ["taken.example.com"]
