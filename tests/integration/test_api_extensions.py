"""Extensions over the API (EXT-1, EXT-2): CRUD, numbering rules, bad input, roles, tenants."""
from __future__ import annotations

import pytest

from fs_service.db import db
from fs_service.models import Extension, Mailbox, User
from tests.factories import make_account, make_extension, make_user
from tests.helpers import send_queued_emails
from tests.integration.test_api_support import API, assert_error, bearer, count


def _base(account) -> str:
    return f"{API}/accounts/{account.id}/extensions"


def test_admin_creates_lists_gets_updates_and_deletes_an_extension(client):
    account, admin = make_account()
    headers = bearer(admin)
    created = client.post(_base(account), json={"number": "101", "caller_id_name": "Front desk"},
                          headers=headers)
    assert created.status_code == 201, created.json
    ext_id = created.json["id"]
    assert created.json["number"] == "101" and created.json["sip_domain"] == account.sip_domain
    assert "sip_password" not in created.json
    assert [e["number"] for e in client.get(_base(account), headers=headers).json] == ["101"]
    one = f"{_base(account)}/{ext_id}"
    assert client.get(one, headers=headers).json["caller_id_name"] == "Front desk"
    patched = client.patch(one, json={"caller_id_name": "Reception", "language": "en"}, headers=headers)
    assert patched.status_code == 200 and patched.json["language"] == "en"
    assert client.delete(one, headers=headers).status_code == 204
    assert count(Extension) == 0 and count(Mailbox) == 0
    assert_error(client.get(one, headers=headers), 404, "not_found")


def test_creating_for_a_new_user_creates_the_login_and_emails_it(make_app, smtp_server):
    pytest.importorskip("web.emails")
    app = make_app(smtp_port=smtp_server.port)
    with app.app_context():
        account, admin = make_account()
        body = {"number": "102", "assignment": "new_user", "first_name": "Nina",
                "last_name": "New", "email": "nina@example.com"}
        response = app.test_client().post(_base(account), json=body, headers=bearer(admin))
        assert response.status_code == 201, response.json
        user = db.session.get(User, response.json["user_id"])
        assert user.email == "nina@example.com" and user.account_id == account.id
    assert send_queued_emails(app) == 1  # queued by the request, sent by the mail sender
    assert smtp_server.messages[0]["To"] == "nina@example.com"


def test_suggestions_offer_free_numbers(client):
    account, admin = make_account()
    make_extension(account, number="100")
    response = client.get(f"{_base(account)}/suggestions?count=3", headers=bearer(admin))
    assert response.json == {"numbers": ["101", "102", "103"]}
    assert_error(client.get(f"{_base(account)}/suggestions?count=0", headers=bearer(admin)),
                 400, "validation_error", "count")
    assert_error(client.get(f"{_base(account)}/suggestions?cuont=3", headers=bearer(admin)),
                 400, "validation_error", "cuont")


@pytest.mark.parametrize("number", ["311", "511", "911", "8500", "700", "705", "709", "0123", "1"])
def test_reserved_or_out_of_plan_numbers_are_invalid_extensions(client, number):
    account, admin = make_account()
    response = client.post(_base(account), json={"number": number}, headers=bearer(admin))
    assert_error(response, 400, "invalid_extension", "number")
    assert count(Extension) == 0


def test_a_used_number_is_an_invalid_extension(client):
    account, admin = make_account()
    make_extension(account, number="101")
    response = client.post(_base(account), json={"number": "101"}, headers=bearer(admin))
    assert_error(response, 400, "invalid_extension", "number")
    assert count(Extension) == 1


BAD_CREATES = [
    ({"number": "12a"}, "number"),
    ({"number": 101}, "number"),
    ({"caller_id_name": "x" * 81}, "caller_id_name"),
    ({"caller_id_name": "Bob\r\nINVITE"}, "caller_id_name"),
    ({"caller_id_name": "${sofia_contact(x)}"}, "caller_id_name"),
    ({"assignment": "x"}, "assignment"),
    ({"assignment": "new_user", "first_name": "N", "last_name": "N"}, "email"),
    ({"assignment": "new_user", "first_name": "N", "last_name": "N", "email": "nope"}, "email"),
    ({"assignment": "existing_user"}, "user_id"),
    ({"voicemail_email": "not-an-email"}, "voicemail_email"),
    ({"voicemail_enabled": "maybe"}, "voicemail_enabled"),
    ({"language": "de"}, "language"),
    ({"sip_password": "chosen"}, "sip_password"),
    ({"ring_seconds": 5}, "ring_seconds"),
]


@pytest.mark.parametrize("body, field", BAD_CREATES)
def test_bad_extension_input_is_400_naming_the_field_and_stores_nothing(client, body, field):
    account, admin = make_account()
    headers = bearer(admin)
    before = (count(Extension), count(User))
    response = client.post(_base(account), json={"number": "150", **body}, headers=headers)
    assert_error(response, 400, "validation_error", field)
    assert (count(Extension), count(User)) == before


def test_user_of_another_account_cannot_be_assigned(client):
    account, admin = make_account()
    other, _ = make_account()
    stranger = make_user(other)
    body = {"number": "150", "assignment": "existing_user", "user_id": stranger.id}
    assert_error(client.post(_base(account), json=body, headers=bearer(admin)),
                 400, "validation_error", "user_id")
    assert count(Extension) == 0


def test_a_taken_email_for_a_new_user_is_refused(client):
    account, admin = make_account()
    body = {"number": "150", "assignment": "new_user", "first_name": "A", "last_name": "B",
            "email": admin.email}
    assert_error(client.post(_base(account), json=body, headers=bearer(admin)), 400, "email_taken", "email")
    assert count(Extension) == 0


BAD_UPDATES = [
    ({"language": "de"}, "language"),
    ({"caller_id_name": "tab\there"}, "caller_id_name"),
    ({"number": "555"}, "number"),
    ({"sip_password": "x"}, "sip_password"),
    ({"voicemail_email": "@"}, "voicemail_email"),
]


@pytest.mark.parametrize("body, field", BAD_UPDATES)
def test_bad_extension_update_is_400_and_changes_nothing(client, body, field):
    account, admin = make_account()
    ext = make_extension(account, number="101", caller_id_name="Same")
    response = client.patch(f"{_base(account)}/{ext.id}", json=body, headers=bearer(admin))
    assert_error(response, 400, "validation_error", field)
    db.session.expire_all()
    assert (ext.number, ext.caller_id_name, ext.language) == ("101", "Same", "fr")


def test_sip_credentials_and_regeneration_are_for_admins(client):
    account, admin = make_account()
    ext = make_extension(account, number="101")
    url = f"{_base(account)}/{ext.id}"
    creds = client.get(f"{url}/sip-credentials", headers=bearer(admin)).json
    assert creds == {"sip_username": "101", "sip_password": ext.sip_password,
                     "sip_domain": account.sip_domain, "sip_server": "127.0.0.1"}
    renewed = client.post(f"{url}/sip-password", headers=bearer(admin)).json
    assert renewed["sip_password"] != creds["sip_password"]
    db.session.expire_all()
    assert ext.sip_password == renewed["sip_password"]


def test_a_deleted_extensions_number_can_be_used_again(client):
    account, admin = make_account()
    headers = bearer(admin)
    first = client.post(_base(account), json={"number": "101"}, headers=headers).json
    assert client.delete(f"{_base(account)}/{first['id']}", headers=headers).status_code == 204
    assert client.post(_base(account), json={"number": "101"}, headers=headers).status_code == 201
