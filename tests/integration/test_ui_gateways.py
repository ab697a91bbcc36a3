"""Operator pages for carrier gateways (issue 3): list, create, edit, delete, and each
account's gateway; French by default, the password never shown, account admins kept out."""
from __future__ import annotations

import pytest

from fs_service import gateways
from fs_service.db import db
from fs_service.models import Account, Gateway
from tests.factories import PASSWORD, make_account, make_operator
from tests.helpers import ui_login

GOOD = {"name": "carrier-a", "proxy": "sip.carrier.example:5060", "username": "acme",
        "password": "s3cret-trunk-pw", "register": "on", "enabled": "on", "account_id": ""}


@pytest.fixture
def site(app):
    operator = make_operator()
    account, admin = make_account(name="Acme")
    db.session.commit()
    return operator, admin, account


def logged_in(app, user):
    client = app.test_client()
    ui_login(client, user.email, PASSWORD)
    return client


def test_operator_adds_a_gateway_and_sees_it_listed_without_its_password(app, site):
    operator, _admin, _account = site
    client = logged_in(app, operator)
    page = client.post("/operator/gateways", data=GOOD, follow_redirects=True)
    assert page.status_code == 200 and "Passerelle carrier-a enregistrée." in page.text
    assert "sip.carrier.example:5060" in page.text and "s3cret-trunk-pw" not in page.text
    assert "Tous les comptes (globale)" in page.text
    gw = db.session.query(Gateway).one()
    assert gw.register is True and gw.enabled is True and gw.password == "s3cret-trunk-pw"


@pytest.mark.parametrize("field, change", [("name", {"name": "Bad Name"}), ("name", {"name": ""}),
                                           ("proxy", {"proxy": "sip:x@y"}), ("proxy", {"proxy": ""})])
def test_a_bad_field_is_marked_on_the_form_and_nothing_is_stored(app, site, field, change):
    client = logged_in(app, site[0])
    page = client.post("/operator/gateways", data={**GOOD, **change})
    assert page.status_code == 400 and f'data-field="{field}"' in page.text
    assert "s3cret-trunk-pw" not in page.text
    assert db.session.query(Gateway).count() == 0


def test_editing_keeps_the_password_unless_a_new_one_is_typed(app, site):
    client = logged_in(app, site[0])
    gw = gateways.create_gateway(name="carrier", proxy="p.example", password="old-pw")
    db.session.commit()
    page = client.get(f"/operator/gateways/{gw.id}")
    assert "Un mot de passe est défini" in page.text and "old-pw" not in page.text
    response = client.post(f"/operator/gateways/{gw.id}", data={**GOOD, "name": "carrier", "password": ""})
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Gateway, gw.id)
    assert stored.password == "old-pw" and stored.proxy == "sip.carrier.example:5060"
    client.post(f"/operator/gateways/{gw.id}", data={**GOOD, "name": "carrier", "password": "new-pw"})
    db.session.expire_all()
    assert db.session.get(Gateway, gw.id).password == "new-pw"


def test_operator_chooses_an_accounts_gateway_and_deleting_it_falls_back_to_global(app, site):
    operator, _admin, account = site
    client = logged_in(app, operator)
    gw = gateways.create_gateway(name="acme-trunk", proxy="t.example", account_id=account.id)
    db.session.commit()
    page = client.post(f"/operator/accounts/{account.id}/gateway", data={"gateway_id": str(gw.id)},
                       follow_redirects=True)
    assert "Passerelle de Acme enregistrée." in page.text
    assert db.session.get(Account, account.id).gateway_id == gw.id
    page = client.get(f"/operator/gateways/{gw.id}")
    assert "Utilisée par : Acme." in page.text
    page = client.post(f"/operator/gateways/{gw.id}/delete", follow_redirects=True)
    assert "Passerelle acme-trunk supprimée" in page.text
    db.session.expire_all()
    assert db.session.get(Account, account.id).gateway_id is None


def test_another_accounts_gateway_cannot_be_chosen(app, site):
    operator, _admin, account = site
    other, _ = make_account(name="Other")
    foreign = gateways.create_gateway(name="other-trunk", proxy="o.example", account_id=other.id)
    db.session.commit()
    page = logged_in(app, operator).post(f"/operator/accounts/{account.id}/gateway",
                                         data={"gateway_id": str(foreign.id)}, follow_redirects=True)
    assert "réservée à un autre compte" in page.text
    assert db.session.get(Account, account.id).gateway_id is None


def test_the_gateways_page_is_in_english_on_request(app, site):
    client = logged_in(app, site[0])
    client.get("/lang/en")
    page = client.get("/operator/gateways")
    assert "Carrier gateways" in page.text and "Gateway of each account" in page.text


def test_an_account_admin_cannot_open_or_change_gateways(app, site):
    _operator, admin, account = site
    client = logged_in(app, admin)
    gw = gateways.create_gateway(name="carrier", proxy="p.example")
    db.session.commit()
    assert client.get("/operator/gateways").status_code == 403
    assert client.post("/operator/gateways", data=GOOD).status_code == 403
    assert client.post(f"/operator/gateways/{gw.id}/delete").status_code == 403
    assert client.post(f"/operator/accounts/{account.id}/gateway", data={"gateway_id": str(gw.id)}).status_code == 403
    assert db.session.query(Gateway).count() == 1 and db.session.get(Account, account.id).gateway_id is None
