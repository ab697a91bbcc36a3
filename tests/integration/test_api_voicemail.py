"""Mailboxes over the API (VM-3..5): create, usage, edit, empty, delete, bad input, roles, tenants."""
from __future__ import annotations

import pytest

from fs_service import voicemail
from fs_service.db import db
from fs_service.models import Extension, Mailbox, Treatment
from tests.integration.test_api_support import API, assert_error, bearer, count
from tests.integration.test_api_voicemail_support import (add_greeting, add_message, app, box_numbers,  # noqa: F401
                                                          box_state, file_of, greetings_of, lamps, messages_of, site)


def _base(account) -> str:
    return f"{API}/accounts/{account.id}/mailboxes"


def test_admin_creates_a_standalone_box_with_the_guides_defaults_then_edits_and_deletes_it(client, site):
    headers = bearer(site.admin)
    created = client.post(_base(site.account), headers=headers,
                          json={"number": "3100", "name": "Salle de conférence", "pin": "2468"})
    assert created.status_code == 201, created.json
    body = created.json
    assert (body["number"], body["extension_id"], body["max_message_seconds"], body["max_messages"]) == \
        ("3100", None, 180, 100)
    assert (body["messages"], body["new"], body["full"], body["email_only"]) == (0, 0, False, False)
    assert (body["key0_treatment_id"], body["star_treatment_id"]) == (None, None)
    one = f"{_base(site.account)}/{body['id']}"
    patched = client.patch(one, headers=headers, json={"name": "Test", "max_messages": 50, "email": "vm@example.com",
                                                        "email_only": True, "max_message_seconds": 60})
    assert patched.status_code == 200, patched.json
    assert (patched.json["name"], patched.json["max_messages"], patched.json["email_only"]) == ("Test", 50, True)
    assert client.get(one, headers=headers).json["max_message_seconds"] == 60
    assert client.delete(one, headers=headers).status_code == 204
    assert "3100" not in box_numbers(site.account)
    assert_error(client.get(one, headers=headers), 404, "not_found")


def test_the_list_shows_n_messages_over_the_maximum(client, site):
    add_message(site.general)
    add_message(site.general, folder="saved")
    listed = {b["number"]: b for b in client.get(_base(site.account), headers=bearer(site.admin)).json}
    assert list(listed) == ["201", "202", "3000"]
    assert (listed["3000"]["messages"], listed["3000"]["new"], listed["3000"]["max_messages"]) == (2, 1, 100)
    assert listed["201"]["messages"] == 0


def test_a_box_at_its_limit_is_full(client, site):
    voicemail.update_mailbox(site.account, site.general, {"max_messages": 1})
    db.session.commit()
    add_message(site.general)
    body = client.get(f"{_base(site.account)}/{site.general.id}", headers=bearer(site.admin)).json
    assert (body["messages"], body["max_messages"], body["full"]) == (1, 1, True)


def test_email_only_without_an_email_is_refused_naming_the_field(client, site):
    headers = bearer(site.admin)
    response = client.post(_base(site.account), headers=headers, json={"number": "3100", "email_only": True})
    assert_error(response, 400, "validation_error", "email_only")
    assert "3100" not in box_numbers(site.account)
    before = box_state(site.general.id)
    response = client.patch(f"{_base(site.account)}/{site.general.id}", headers=headers, json={"email_only": True})
    assert_error(response, 400, "email_required", "email_only")
    assert box_state(site.general.id) == before


BAD_CREATES = [
    ({"number": "30a0"}, "number"),
    ({"number": 3100}, "number"),
    ({"number": ""}, "number"),
    ({"name": "x" * 81}, "name"),
    ({"name": "Bob\r\nINVITE"}, "name"),
    ({"name": "${sofia_contact(x)}"}, "name"),
    ({"pin": "12"}, "pin"),
    ({"pin": "12ab"}, "pin"),
    ({"pin": "12345678901"}, "pin"),
    ({"max_message_seconds": 9}, "max_message_seconds"),
    ({"max_message_seconds": 601}, "max_message_seconds"),
    ({"max_message_seconds": "long"}, "max_message_seconds"),
    ({"max_messages": 0}, "max_messages"),
    ({"max_messages": 101}, "max_messages"),
    ({"email": "not-an-email"}, "email"),
    ({"email_only": "maybe"}, "email_only"),
    ({"key0_treatment_id": "reception"}, "key0_treatment_id"),
    ({"key0_treatment_id": 999999}, "key0_treatment_id"),
    ({"star_treatment_id": 999999}, "star_treatment_id"),
    ({"extension_id": 999999}, "extension_id"),
    ({"messages": 3}, "messages"),
]


@pytest.mark.parametrize("body, field", BAD_CREATES)
def test_bad_mailbox_input_is_400_naming_the_field_and_stores_nothing(client, site, body, field):
    before = count(Mailbox)
    response = client.post(_base(site.account), json={"number": "3100", **body}, headers=bearer(site.admin))
    body = assert_error(response, 400, response.get_json()["error_id"], field)
    assert body["error_id"] in ("validation_error", "invalid_mailbox")
    assert count(Mailbox) == before


@pytest.mark.parametrize("number", ["201", "3000", "8500", "911", "701", "0123"])
def test_used_reserved_or_out_of_plan_numbers_are_refused(client, site, number):
    response = client.post(_base(site.account), json={"number": number}, headers=bearer(site.admin))
    assert_error(response, 400, "invalid_mailbox", "number")
    assert count(Mailbox) == 4


BAD_UPDATES = [
    ({"number": "3001"}, "number"),
    ({"extension_id": 1}, "extension_id"),
    ({"pin": "1"}, "pin"),
    ({"max_messages": 500}, "max_messages"),
    ({"max_message_seconds": 0}, "max_message_seconds"),
    ({"email": "@"}, "email"),
    ({"name": "tab\there"}, "name"),
    ({"star_treatment_id": 999999}, "star_treatment_id"),
]


@pytest.mark.parametrize("body, field", BAD_UPDATES)
def test_bad_mailbox_update_is_400_and_changes_nothing(client, site, body, field):
    before = box_state(site.general.id)
    response = client.patch(f"{_base(site.account)}/{site.general.id}", json=body, headers=bearer(site.admin))
    assert_error(response, 400, "validation_error", field)
    assert box_state(site.general.id) == before


def test_keys_0_and_star_take_a_treatment_of_the_account_only(client, site):
    mine = Treatment(account_id=site.account.id, kind="voicemail_login")
    theirs = Treatment(account_id=site.other.id, kind="hangup")
    db.session.add_all([mine, theirs])
    db.session.commit()
    url, headers = f"{_base(site.account)}/{site.general.id}", bearer(site.admin)
    ok = client.patch(url, headers=headers, json={"key0_treatment_id": mine.id, "star_treatment_id": mine.id})
    assert (ok.json["key0_treatment_id"], ok.json["star_treatment_id"]) == (mine.id, mine.id)
    assert_error(client.patch(url, headers=headers, json={"key0_treatment_id": theirs.id}),
                 400, "validation_error", "key0_treatment_id")
    assert client.patch(url, headers=headers, json={"key0_treatment_id": None}).json["key0_treatment_id"] is None


def test_empty_keeps_or_deletes_the_custom_greetings_and_turns_the_lamp_off(client, site, lamps):
    message = add_message(site.own)
    greeting = add_greeting(site.own, "temporary")
    url, headers = f"{_base(site.account)}/{site.own.id}/empty", bearer(site.admin)
    emptied = client.post(url, headers=headers, json={})
    assert emptied.status_code == 200 and emptied.json["messages"] == 0
    assert messages_of(site.own) == [] and not file_of(message.audio_path).exists()
    assert greetings_of(site.own) == {"temporary": greeting} and file_of(greeting).exists()
    assert lamps[-1] == {"MWI-Messages-Waiting": "no", "MWI-Message-Account": "sip:201@a.example.com",
                         "MWI-Voice-Message": "0/0 (0/0)"}
    assert client.post(url, headers=headers, json={"delete_greetings": True}).status_code == 200
    assert greetings_of(site.own) == {} and not file_of(greeting).exists()
    assert_error(client.post(url, headers=headers, json={"delete_greetings": "perhaps"}),
                 400, "validation_error", "delete_greetings")


def test_an_extensions_own_box_can_be_deleted_and_created_again(client, site):
    headers = bearer(site.admin)
    ext_id = site.colleague.extension_id
    assert client.delete(f"{_base(site.account)}/{site.colleague.id}", headers=headers).status_code == 204
    assert count(Extension) == 3 and "202" not in box_numbers(site.account)
    again = client.post(_base(site.account), headers=headers, json={"number": "202", "extension_id": ext_id})
    assert again.status_code == 201 and again.json["extension_id"] == ext_id
    twice = client.post(_base(site.account), headers=headers, json={"number": "202", "extension_id": ext_id})
    assert_error(twice, 400, "validation_error", "extension_id")


def test_a_user_sees_and_manages_only_their_own_box(client, site):
    headers = bearer(site.user)
    assert [b["number"] for b in client.get(_base(site.account), headers=headers).json] == ["201"]
    for box in (site.colleague, site.general):
        assert_error(client.get(f"{_base(site.account)}/{box.id}", headers=headers), 404, "not_found")
        assert_error(client.patch(f"{_base(site.account)}/{box.id}", headers=headers, json={"pin": "5555"}),
                     404, "not_found")
        assert_error(client.post(f"{_base(site.account)}/{box.id}/empty", headers=headers, json={}), 404, "not_found")
    own = f"{_base(site.account)}/{site.own.id}"
    changed = client.patch(own, headers=headers, json={"pin": "5555", "email": "me@example.com"})
    assert changed.status_code == 200 and changed.json["pin"] == "5555"
    assert client.post(f"{own}/empty", headers=headers, json={}).status_code == 200


@pytest.mark.parametrize("body", [{"name": "Mine"}, {"max_messages": 5}, {"key0_treatment_id": None},
                                  {"pin": "5555", "max_message_seconds": 30}])
def test_a_user_cannot_change_the_admin_fields_of_their_box(client, site, body):
    before = box_state(site.own.id)
    response = client.patch(f"{_base(site.account)}/{site.own.id}", headers=bearer(site.user), json=body)
    assert_error(response, 403, "forbidden")
    assert box_state(site.own.id) == before


def test_a_user_cannot_create_or_delete_boxes(client, site):
    headers = bearer(site.user)
    assert_error(client.post(_base(site.account), headers=headers, json={"number": "3100"}), 403, "forbidden")
    assert_error(client.delete(f"{_base(site.account)}/{site.own.id}", headers=headers), 403, "forbidden")
    assert count(Mailbox) == 4


def test_another_tenants_boxes_are_not_found(client, site):
    headers = bearer(site.other_admin)
    message = add_message(site.general)
    base = _base(site.account)
    for method, url, body in [("get", base, None), ("post", base, {"number": "3100"}),
                              ("get", f"{base}/{site.general.id}", None),
                              ("patch", f"{base}/{site.general.id}", {"pin": "5555"}),
                              ("delete", f"{base}/{site.general.id}", None),
                              ("post", f"{base}/{site.general.id}/empty", {}),
                              ("get", f"{base}/{site.general.id}/messages", None),
                              ("get", f"{base}/{site.general.id}/messages/{message.id}/audio", None)]:
        kwargs = {"json": body} if body is not None else {}
        assert_error(getattr(client, method)(url, headers=headers, **kwargs), 404, "not_found")
    # their own account's URL with our box id: not found either
    other = f"{_base(site.other)}/{site.general.id}"
    assert_error(client.get(other, headers=headers), 404, "not_found")
    assert_error(client.delete(other, headers=headers), 404, "not_found")
    assert count(Mailbox) == 4 and len(messages_of(site.general)) == 1


def test_the_openapi_document_describes_the_mailbox_endpoints(client):
    paths = client.get(f"{API}/openapi.json").json["paths"]
    base = "/api/v1/accounts/{account_id}/mailboxes"
    assert {"get", "post"} <= set(paths[base])
    assert {"get", "patch", "delete"} <= set(paths[base + "/{mailbox_id}"])
    assert "post" in paths[base + "/{mailbox_id}/empty"]
    audio = paths[base + "/{mailbox_id}/messages/{message_id}/audio"]["get"]
    assert "audio/wav" in audio["responses"]["200"]["content"]


def test_the_email_set_on_an_extensions_box_is_the_one_its_extension_shows(client, site):
    url = f"{_base(site.account)}/{site.own.id}"
    assert client.patch(url, headers=bearer(site.user), json={"email": "new@example.com"}).status_code == 200
    db.session.expire_all()
    assert db.session.get(Extension, site.own.extension_id).voicemail_email == "new@example.com"
