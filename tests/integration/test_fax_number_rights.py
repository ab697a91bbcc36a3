"""One rule for a number's fax fields (FAX-1, FAX-6, guide 6.4): ``is_fax`` and the confirmation
email are the operator's, the inbound recipients the admin's — through the fax settings
(API and page) and through the numbers API alike, since both call fs_service.fax.rights."""
from __future__ import annotations

import pytest

from fs_service.db import db
from fs_service.errors import Forbidden
from fs_service.fax import rights
from fs_service.numbers import rules as numbers
from tests.factories import make_operator
from tests.integration.test_fax_api import bearer
from tests.integration.test_fax_ui import login
from tests.integration.test_fax_worker_support import *  # noqa: F403 (fixtures)

DOORS = {"numbers": "/api/v1/accounts/{account}/numbers/{number}",
         "fax": "/api/v1/accounts/{account}/fax/numbers/{number}"}


def url(world, door: str) -> str:
    return DOORS[door].format(account=world.account.id, number=world.fax_number.id)


@pytest.fixture
def client(world):
    return world.app.test_client()


def stored(world) -> tuple:
    db.session.expire_all()
    number = world.fax_number
    return number.is_fax, number.fax_confirmation_email, number.fax_inbound_emails


@pytest.mark.parametrize("door", sorted(DOORS))
@pytest.mark.parametrize("field, value", [("is_fax", False), ("fax_confirmation_email", False)])
def test_an_admin_is_refused_the_operator_fields_by_either_door_naming_the_field(world, client, door, field, value):
    before = stored(world)
    response = client.patch(url(world, door), json={field: value, "fax_inbound_emails": "x@acme.test"},
                            headers=bearer(world.admin))
    body = response.get_json()
    assert response.status_code == 403
    assert (body["error_id"], body["details"]) == ("fax_setting_reserved", {field: ["reserved to the operator"]})
    assert field in body["message"]
    assert stored(world) == before  # nothing of the request is kept, not even the allowed field


@pytest.mark.parametrize("door", sorted(DOORS))
def test_the_operator_changes_them_by_either_door(world, client, door):
    response = client.patch(url(world, door), json={"is_fax": False, "fax_confirmation_email": False},
                            headers=bearer(make_operator()))
    assert response.status_code == 200, response.get_json()
    assert stored(world)[:2] == (False, False)


@pytest.mark.parametrize("door", sorted(DOORS))
def test_the_admin_sets_the_recipients_checked_the_same_way_by_either_door(world, client, door):
    admin = bearer(world.admin)
    ok = client.patch(url(world, door), json={"fax_inbound_emails": "A@acme.test; b@acme.test a@acme.test"},
                      headers=admin)
    assert ok.status_code == 200 and stored(world)[2] == "a@acme.test, b@acme.test"
    bad = client.patch(url(world, door), json={"fax_inbound_emails": "not-an-address"}, headers=admin)
    assert bad.status_code == 400 and "fax_inbound_emails" in bad.get_json()["details"]
    assert stored(world)[2] == "a@acme.test, b@acme.test"


def test_the_numbers_api_still_lets_the_admin_change_the_other_settings_alongside(world, client):
    response = client.patch(url(world, "numbers"), json={"label": "Télécopieur", "fax_inbound_emails": "c@acme.test"},
                            headers=bearer(world.admin))
    body = response.get_json()
    assert response.status_code == 200 and body["label"] == "Télécopieur"
    assert (body["is_fax"], body["fax_confirmation_email"], body["fax_inbound_emails"]) == stored(world)
    assert stored(world)[2] == "c@acme.test"


def test_a_core_caller_that_does_not_say_who_acts_is_refused_the_fax_fields(world):
    with pytest.raises(Forbidden) as refused:
        numbers.update_number(world.account, world.fax_number, {"is_fax": False})
    assert refused.value.details == {"is_fax": ["reserved to the operator"]}
    with pytest.raises(Forbidden):
        rights.update_fax_number(None, world.account, world.fax_number, {"fax_inbound_emails": "a@acme.test"})


def test_a_forged_operator_box_on_the_fax_settings_page_is_refused_by_name(world):
    client = login(world.app, world.admin)
    page = client.post(f"/accounts/{world.account.id}/fax/settings/numbers/{world.fax_number.id}",
                       data={"is_fax": "on", "fax_inbound_emails": "z@acme.test"})
    assert page.status_code == 403 and "Numéro de fax : Réservé à l&#39;opérateur" in page.text
    assert stored(world)[2] == ""


def test_the_operator_saves_the_boxes_on_the_fax_settings_page(world):
    client = login(world.app, make_operator())
    page = client.post(f"/accounts/{world.account.id}/fax/settings/numbers/{world.fax_number.id}",
                       data={"is_fax": "on", "fax_inbound_emails": ""})
    assert page.status_code == 302
    assert stored(world)[:2] == (True, False)  # the unchecked confirmation box turned it off
