"""Carrier gateways over the API (issue 3): operator only, validated field by field, the
password never sent back, and each account's gateway chosen among those it may use."""
from __future__ import annotations

import pytest

from fs_service.db import db
from fs_service.models import Account, Gateway
from tests.factories import make_account, make_operator
from tests.integration.test_api_support import API, assert_error, bearer, count

SECRET = "s3cret-trunk-pw"
NEW = {"name": "carrier-a", "proxy": "sip.carrier.example:5060", "username": "acme",
       "password": SECRET, "register": True}


@pytest.fixture
def operator(client):
    return bearer(make_operator())


def create(client, headers, **changes) -> dict:
    response = client.post(f"{API}/gateways", json={**NEW, **changes}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_operator_creates_lists_and_reads_a_gateway_without_its_password(client, operator):
    created = create(client, operator)
    assert created["name"] == "carrier-a" and created["password_set"] is True
    assert created["account_id"] is None and created["enabled"] is True and created["register"] is True
    listed = client.get(f"{API}/gateways", headers=operator)
    one = client.get(f"{API}/gateways/{created['id']}", headers=operator)
    for response in (listed, one):
        assert response.status_code == 200
        assert SECRET not in response.text and '"password"' not in response.text
    assert [g["name"] for g in listed.get_json()] == ["carrier-a"]


def test_an_empty_password_on_update_keeps_the_stored_one(client, operator):
    gw = create(client, operator)
    response = client.patch(f"{API}/gateways/{gw['id']}", json={"proxy": "10.0.0.9", "password": ""},
                            headers=operator)
    assert response.status_code == 200 and SECRET not in response.text
    stored = db.session.get(Gateway, gw["id"])
    assert stored.proxy == "10.0.0.9" and stored.password == SECRET
    client.patch(f"{API}/gateways/{gw['id']}", json={"password": "new-pw"}, headers=operator)
    db.session.expire_all()
    assert db.session.get(Gateway, gw["id"]).password == "new-pw"


def test_an_account_admin_is_refused_every_gateway_endpoint(client):
    account, admin = make_account()
    gateway = Gateway(name="carrier", proxy="sip.carrier.example")
    db.session.add(gateway)
    db.session.commit()
    headers = bearer(admin)
    for method, url, body in [("get", "/gateways", None), ("post", "/gateways", NEW),
                              ("get", f"/gateways/{gateway.id}", None),
                              ("patch", f"/gateways/{gateway.id}", {"proxy": "x.example"}),
                              ("delete", f"/gateways/{gateway.id}", None),
                              ("get", f"/accounts/{account.id}/gateway", None),
                              ("put", f"/accounts/{account.id}/gateway", {"gateway_id": gateway.id})]:
        response = getattr(client, method)(f"{API}{url}", json=body, headers=headers)
        assert_error(response, 403, "forbidden")
    assert count(Gateway) == 1 and db.session.get(Account, account.id).gateway_id is None


BAD_GATEWAYS = [
    ({"name": "Carrier"}, "name"), ({"name": "_all_"}, "name"), ({"name": "a b"}, "name"),
    ({"name": "x" * 65}, "name"), ({"name": ""}, "name"), ({"name": None}, "name"),
    ({"proxy": "sip:carrier@example"}, "proxy"), ({"proxy": "host:70000"}, "proxy"),
    ({"proxy": "bad host"}, "proxy"), ({"proxy": ""}, "proxy"),
    ({"username": "a b"}, "username"), ({"password": "pw\n"}, "password"), ({"password": "x" * 129}, "password"),
    ({"register": "maybe"}, "register"), ({"account_id": 999999}, "account_id"), ({"id": 3}, "id"),
]


@pytest.mark.parametrize("change, field", BAD_GATEWAYS)
def test_bad_gateway_input_is_400_naming_the_field_and_stores_nothing(client, operator, change, field):
    response = client.post(f"{API}/gateways", json={**NEW, **change}, headers=operator)
    body = assert_error(response, 400, "validation_error", field)
    assert SECRET not in str(body)
    assert count(Gateway) == 0


def test_a_taken_name_is_refused_on_create_and_rename(client, operator):
    create(client, operator)
    other = create(client, operator, name="carrier-b")
    assert_error(client.post(f"{API}/gateways", json=NEW, headers=operator), 400, "name_taken", "name")
    response = client.patch(f"{API}/gateways/{other['id']}", json={"name": "carrier-a"}, headers=operator)
    assert_error(response, 400, "name_taken", "name")
    assert sorted(g.name for g in db.session.query(Gateway)) == ["carrier-a", "carrier-b"]


def test_an_account_gets_a_global_or_its_own_gateway_never_another_accounts(client, operator):
    acme, _ = make_account()
    other, _ = make_account()
    global_gw = create(client, operator)
    own = create(client, operator, name="acme-trunk", account_id=acme.id)
    foreign = create(client, operator, name="other-trunk", account_id=other.id)
    url = f"{API}/accounts/{acme.id}/gateway"
    for gateway in (global_gw, own):
        response = client.put(url, json={"gateway_id": gateway["id"]}, headers=operator)
        assert response.get_json() == {"account_id": acme.id, "gateway_id": gateway["id"]}
    assert_error(client.put(url, json={"gateway_id": foreign["id"]}, headers=operator),
                 400, "validation_error", "gateway_id")
    assert_error(client.put(url, json={"gateway_id": 999999}, headers=operator), 400, "validation_error", "gateway_id")
    assert client.get(url, headers=operator).get_json()["gateway_id"] == own["id"]
    assert client.put(url, json={"gateway_id": None}, headers=operator).get_json()["gateway_id"] is None


def test_a_used_gateway_cannot_be_reserved_to_another_account(client, operator):
    acme, _ = make_account()
    other, _ = make_account()
    gw = create(client, operator)
    client.put(f"{API}/accounts/{acme.id}/gateway", json={"gateway_id": gw["id"]}, headers=operator)
    response = client.patch(f"{API}/gateways/{gw['id']}", json={"account_id": other.id}, headers=operator)
    assert_error(response, 400, "validation_error", "account_id")
    response = client.patch(f"{API}/gateways/{gw['id']}", json={"account_id": acme.id}, headers=operator)
    assert response.status_code == 200 and response.get_json()["account_id"] == acme.id


def test_deleting_a_used_gateway_puts_its_accounts_back_on_the_global_gateway(client, operator):
    acme, _ = make_account()
    gw = create(client, operator, name="acme-trunk", account_id=acme.id)
    client.put(f"{API}/accounts/{acme.id}/gateway", json={"gateway_id": gw["id"]}, headers=operator)
    assert client.delete(f"{API}/gateways/{gw['id']}", headers=operator).status_code == 204
    assert count(Gateway) == 0
    db.session.expire_all()
    assert db.session.get(Account, acme.id).gateway_id is None
    assert_error(client.get(f"{API}/gateways/{gw['id']}", headers=operator), 404, "not_found")


def test_the_gateway_endpoints_are_in_the_openapi_document(client):
    paths = client.get(f"{API}/openapi.json").get_json()["paths"]
    assert {"/api/v1/gateways", "/api/v1/gateways/{gateway_id}", "/api/v1/accounts/{account_id}/gateway"} <= set(paths)
    create_body = paths["/api/v1/gateways"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "$ref" in create_body
