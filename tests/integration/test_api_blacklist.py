"""Blacklist API (BL-1..3): CRUD, search, delete all with confirmation, digits-only errors
naming the field, admin-only, other tenants 404."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from fs_service.blacklist import rules as blacklist
from fs_service.db import db
from fs_service.models import BlacklistRule
from tests.factories import make_account, make_user
from tests.integration.test_api_support import API, assert_error, bearer, count


@pytest.fixture
def site(app):
    account, admin = make_account(sip_domain="a.example.com")
    user = make_user(account)
    other, other_admin = make_account(sip_domain="b.example.com")
    foreign = blacklist.create_rule(other, digits="5140000000")
    db.session.commit()
    return SimpleNamespace(account=account, admin=admin, user=user, other=other, other_admin=other_admin,
                           foreign=foreign)


def _url(account, tail: str = "") -> str:
    return f"{API}/accounts/{account.id}/blacklist{tail}"


def test_admin_creates_searches_edits_and_deletes_rules(client, site):
    headers = bearer(site.admin)
    created = client.post(_url(site.account), json={"digits": "5149073400"}, headers=headers)
    assert created.status_code == 201
    rule = created.get_json()
    assert (rule["action"], rule["match"], rule["digits"]) == ("block", "equals", "5149073400")
    client.post(_url(site.account), json={"action": "allow", "match": "starts_with", "digits": "819"},
                headers=headers)
    every = client.get(_url(site.account), headers=headers).get_json()
    assert [r["digits"] for r in every] == ["819", "5149073400"]
    found = client.get(_url(site.account), query_string={"search": "907"}, headers=headers).get_json()
    assert [r["digits"] for r in found] == ["5149073400"]
    found = client.get(_url(site.account), query_string={"search": "commence par"}, headers=headers).get_json()
    assert [r["digits"] for r in found] == ["819"]
    changed = client.patch(_url(site.account, f"/{rule['id']}"), json={"match": "ends_with", "digits": "3400"},
                           headers=headers)
    assert changed.status_code == 200 and changed.get_json()["match"] == "ends_with"
    assert client.get(_url(site.account, f"/{rule['id']}"), headers=headers).get_json()["digits"] == "3400"
    assert client.delete(_url(site.account, f"/{rule['id']}"), headers=headers).status_code == 204
    assert count(BlacklistRule) == 2  # the allow rule and the other tenant's


def test_delete_all_needs_an_explicit_confirmation(client, site):
    headers = bearer(site.admin)
    for digits in ("111", "222", "333"):
        client.post(_url(site.account), json={"digits": digits, "match": "contains"}, headers=headers)
    assert_error(client.post(_url(site.account, "/delete-all"), json={}, headers=headers),
                 400, "validation_error", "confirm")
    assert_error(client.post(_url(site.account, "/delete-all"), json={"confirm": False}, headers=headers),
                 400, "validation_error", "confirm")
    done = client.post(_url(site.account, "/delete-all"), json={"confirm": True}, headers=headers)
    assert done.status_code == 200 and done.get_json() == {"deleted": 3}
    assert count(BlacklistRule) == 1  # the other tenant keeps theirs


BAD = [
    ({"digits": "514 907-3400"}, "digits"), ({"digits": "514-907-3400"}, "digits"), ({"digits": "abc"}, "digits"),
    ({"digits": ""}, "digits"), ({"digits": "1" * 21}, "digits"), ({}, "digits"), ({"digits": 5149073400}, "digits"),
    ({"digits": "514", "action": "reject"}, "action"), ({"digits": "514", "match": "like"}, "match"),
    ({"digits": "514", "extra": 1}, "extra"),
]


@pytest.mark.parametrize("body, field", BAD)
def test_bad_rules_are_400_naming_the_field(client, site, body, field):
    before = count(BlacklistRule)
    error = assert_error(client.post(_url(site.account), json=body, headers=bearer(site.admin)),
                         400, "validation_error", field)
    if field == "digits" and isinstance(body.get("digits"), str) and body["digits"]:
        # Too long is "too long" (issue 20), not "digits only".
        expected = "from 1 to 20 digits" if body["digits"].isdigit() else "digits only"
        assert error["details"]["digits"] == [expected] or expected in error["details"]["digits"][0]
    assert count(BlacklistRule) == before


def test_a_duplicate_rule_is_refused(client, site):
    headers = bearer(site.admin)
    client.post(_url(site.account), json={"digits": "514"}, headers=headers)
    assert_error(client.post(_url(site.account), json={"digits": "514"}, headers=headers), 400, "duplicate_rule",
                 "digits")


def test_bad_update_changes_nothing(client, site):
    headers = bearer(site.admin)
    rule = client.post(_url(site.account), json={"digits": "514"}, headers=headers).get_json()
    assert_error(client.patch(_url(site.account, f"/{rule['id']}"), json={"digits": "51 4"}, headers=headers),
                 400, "validation_error", "digits")
    assert client.get(_url(site.account, f"/{rule['id']}"), headers=headers).get_json()["digits"] == "514"


def test_users_are_refused_and_other_tenants_are_not_found(client, site):
    user = bearer(site.user)
    assert_error(client.get(_url(site.account), headers=user), 403, "forbidden")
    assert_error(client.post(_url(site.account), json={"digits": "514"}, headers=user), 403, "forbidden")
    theirs = bearer(site.other_admin)
    assert_error(client.get(_url(site.account), headers=theirs), 404, "not_found")
    mine = bearer(site.admin)
    foreign = _url(site.account, f"/{site.foreign.id}")
    for call in (client.get, client.delete):
        assert_error(call(foreign, headers=mine), 404, "not_found")
    assert_error(client.patch(foreign, json={"digits": "1"}, headers=mine), 404, "not_found")
    assert_error(client.post(_url(site.other), json={"digits": "1"}, headers=mine), 404, "not_found")
    assert_error(client.get(_url(site.account)), 401, "unauthorized")
    assert count(BlacklistRule) == 1
