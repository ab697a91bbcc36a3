"""Welcome menus, UI and API (guide 1.2): create with keys, edit, bad input beside the field /
400 naming it, delete; admin-only; other tenants 404."""
from __future__ import annotations

import pytest

from fs_service.db import db
from fs_service.models import WelcomeMenu, WelcomeMenuKey
from fs_service.numbers import menus
from tests.integration.test_api_support import API, assert_error, bearer, count, log_in
from tests.integration.test_ui_numbers import site  # noqa: F401

FORM = {"name": "Accueil", "language": "fr", "greeting_path": "", "timeout_seconds": "5", "repeat_count": "3",
        "dial_by_extension": "on", "timeout_treatment_id": ""}


def _ui(site, tail: str = "") -> str:
    return f"/accounts/{site.account.id}/menus{tail}"


def _api(site, tail: str = "") -> str:
    return f"{API}/accounts/{site.account.id}/menus{tail}"


def test_admin_creates_edits_and_deletes_a_menu_in_the_ui(client, site):
    log_in(client, site.admin)
    page = client.get(_ui(site, "/new")).text
    assert "Ajouter un menu d'accueil" in page and "Touche 9" in page
    response = client.post(_ui(site, "/new"), data={**FORM, "k1": str(site.ring.id)}, follow_redirects=True)
    assert response.status_code == 200 and "Menu d&#39;accueil Accueil enregistré." in response.text
    menu = menus.list_menus(site.account)[0]
    assert (menu.timeout_seconds, menu.dial_by_extension, menus.menu_keys(menu)) == (5, True, {"1": site.ring.id})
    edit = _ui(site, f"/{menu.id}/edit")
    assert f'value="{site.ring.id}" selected' in client.get(edit).text
    client.post(edit, data={**FORM, "dial_by_extension": "", "greeting_path": "pbx/vm-greeting-menu.wav", "k0": "",
                            "k2": str(site.ring.id)})
    db.session.expire_all()
    assert (menu.greeting_path, menus.menu_keys(menu)) == ("pbx/vm-greeting-menu.wav", {"2": site.ring.id})
    client.post(_ui(site, f"/{menu.id}/delete"))
    assert count(WelcomeMenu) == 0 and count(WelcomeMenuKey) == 0


BAD = [("name", ""), ("name", "x" * 81), ("language", "de"), ("timeout_seconds", "0"), ("timeout_seconds", "abc"),
       ("repeat_count", "11"), ("greeting_path", "../etc/passwd"), ("timeout_treatment_id", "999999"),
       ("k3", "999999"), ("k4", "abc")]


@pytest.mark.parametrize("field, value", BAD)
def test_bad_menu_input_is_400_beside_its_field(client, site, field, value):
    log_in(client, site.admin)
    response = client.post(_ui(site, "/new"), data={**FORM, field: value})
    assert response.status_code == 400 and f'data-field="{field}"' in response.text, response.text[-3000:]
    assert count(WelcomeMenu) == 0


def test_the_api_manages_menus_and_keys(client, site):
    headers = bearer(site.admin)
    made = client.post(_api(site), json={"name": "Accueil"}, headers=headers)
    assert made.status_code == 201 and made.get_json()["language"] == site.account.language
    mid = made.get_json()["id"]
    keys = client.put(_api(site, f"/{mid}/keys"), json={"keys": {"1": site.ring.id, "2": None}}, headers=headers)
    assert keys.get_json() == {"keys": {"1": site.ring.id}}
    assert client.get(_api(site, f"/{mid}/keys"), headers=headers).get_json() == {"keys": {"1": site.ring.id}}
    assert_error(client.put(_api(site, f"/{mid}/keys"), json={"keys": {"#": site.ring.id}}, headers=headers),
                 400, "validation_error", "keys")
    assert_error(client.put(_api(site, f"/{mid}/keys"), json={"keys": {"1": 999999}}, headers=headers),
                 400, "validation_error", "keys.1")
    patched = client.patch(_api(site, f"/{mid}"), json={"repeat_count": 5}, headers=headers)
    assert patched.get_json()["repeat_count"] == 5
    assert_error(client.patch(_api(site, f"/{mid}"), json={"timeout_seconds": 99}, headers=headers),
                 400, "validation_error", "timeout_seconds")
    assert client.delete(_api(site, f"/{mid}"), headers=headers).status_code == 204


def test_menus_are_admin_only_and_per_tenant(client, site):
    theirs = menus.create_menu(site.other, name="Theirs")
    db.session.commit()
    assert_error(client.get(_api(site), headers=bearer(site.user)), 403, "forbidden")
    admin = bearer(site.admin)
    assert_error(client.get(f"{API}/accounts/{site.other.id}/menus", headers=admin), 404, "not_found")
    assert_error(client.get(_api(site, f"/{theirs.id}"), headers=admin), 404, "not_found")
    assert_error(client.put(_api(site, f"/{theirs.id}/keys"), json={"keys": {}}, headers=admin), 404, "not_found")
    log_in(client, site.user)
    assert client.get(_ui(site)).status_code == 403
    log_in(client, site.admin)
    assert client.get(_ui(site, f"/{theirs.id}/edit")).status_code == 404
    assert client.post(_ui(site, f"/{theirs.id}/delete")).status_code == 404
    assert count(WelcomeMenu) == 1
