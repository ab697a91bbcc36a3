"""Quick edit through the API (EXT-5): many extensions in one request, all or nothing, per-cell errors."""
from __future__ import annotations

import pytest

from fs_service.db import db
from fs_service.errors import Forbidden, ValidationFailed
from fs_service.extensions import settings as core
from tests.factories import make_account, make_extension, make_user
from tests.integration.test_api_support import API, assert_error, bearer


@pytest.fixture
def fifty(app):
    account, admin = make_account(sip_domain="big.test")
    exts = [make_extension(account, number=str(1000 + n)) for n in range(50)]
    return account, admin, exts


def url(account) -> str:
    return f"{API}/accounts/{account.id}/extensions"


def stored(exts) -> list[dict]:
    db.session.expire_all()
    return [core.read_settings(ext, as_admin=True) for ext in exts]


def row(ext, n: int) -> dict:
    return {"id": ext.id, "ring_seconds": 10 + n, "language": "en", "dnd": n % 2 == 0, "recording": "all",
            "caller_id_name": f"Desk {n}", "forward_mode": "no_answer", "forward_destination": "1000" if n else "1001",
            "long_distance": "code", "long_distance_code": "2468", "uc_enabled": True}


def test_fifty_extensions_are_saved_in_one_request(client, fifty):
    account, admin, exts = fifty
    response = client.patch(url(account), json={"extensions": [row(e, n) for n, e in enumerate(exts)]},
                            headers=bearer(admin))
    assert response.status_code == 200, response.json
    assert [r["number"] for r in response.json["extensions"]] == [e.number for e in exts]
    after = stored(exts)
    assert [s["ring_seconds"] for s in after] == [10 + n for n in range(50)]
    assert all(s["language"] == "en" and s["recording"] == "all" and s["long_distance_code"] == "2468" for s in after)


@pytest.mark.parametrize("bad, key_field", [
    ({"ring_seconds": 301}, "ring_seconds"),                          # schema
    ({"language": "de"}, "language"),                                 # schema
    ({"forward_destination": "911"}, "forward_destination"),          # core rule
    ({"forward_destination": "999"}, "forward_destination"),          # no such extension
    ({"long_distance_code": None}, "long_distance_code"),             # code mode without a code
])
def test_a_single_bad_cell_saves_nothing_and_names_the_cell(client, fifty, bad, key_field):
    account, admin, exts = fifty
    before = stored(exts)
    rows = [row(e, n) for n, e in enumerate(exts)]
    rows[37].update(bad)
    response = client.patch(url(account), json={"extensions": rows}, headers=bearer(admin))
    body = assert_error(response, 400, "validation_error")
    assert list(body["details"]) == [f"{exts[37].id}.{key_field}"]
    assert stored(exts) == before


def test_rows_need_an_id_of_this_account_once(client, fifty):
    account, admin, exts = fifty
    other, _ = make_account()
    foreign = make_extension(other, number="201")
    headers = bearer(admin)
    missing = client.patch(url(account), json={"extensions": [{"ring_seconds": 5}]}, headers=headers)
    assert list(assert_error(missing, 400, "validation_error")["details"]) == ["extensions.0"]
    twice = [{"id": exts[0].id}, {"id": exts[0].id, "dnd": True}]
    assert f"{exts[0].id}.id" in assert_error(client.patch(url(account), json={"extensions": twice},
                                                           headers=headers), 400, "validation_error")["details"]
    stranger = [{"id": exts[0].id, "dnd": True}, {"id": foreign.id, "dnd": True}]
    body = assert_error(client.patch(url(account), json={"extensions": stranger}, headers=headers),
                        400, "validation_error")
    assert list(body["details"]) == [f"{foreign.id}.id"]
    assert stored([exts[0], foreign])[0]["dnd"] is False and stored([foreign])[0]["dnd"] is False


def test_an_empty_or_unknown_body_is_refused(client, fifty):
    account, admin, _ = fifty
    headers = bearer(admin)
    assert_error(client.patch(url(account), json={"extensions": []}, headers=headers), 400, "validation_error",
                 "extensions")
    assert_error(client.patch(url(account), json={"rows": []}, headers=headers), 400, "validation_error", "rows")


def test_quick_edit_is_for_admins_only(client, fifty):
    account, _, exts = fifty
    user = make_user(account)
    own = make_extension(account, number="300", user=user)
    response = client.patch(url(account), json={"extensions": [{"id": own.id, "dnd": True}]}, headers=bearer(user))
    assert_error(response, 403, "forbidden")
    assert stored([own])[0]["dnd"] is False


def test_warnings_are_returned_per_extension(client, fifty):
    account, admin, exts = fifty
    rows = [{"id": exts[0].id, "fmfm_enabled": True, "fmfm_number": "5145557777", "forward_mode": "always",
             "forward_destination": "1001"}, {"id": exts[1].id, "dnd": True}]
    response = client.patch(url(account), json={"extensions": rows}, headers=bearer(admin))
    assert response.json["warnings"] == {str(exts[0].id): [core.rules.FMFM_UNUSED_WARNING]}


def test_the_core_keys_every_refusal_by_cell_and_writes_nothing(fifty):
    account, _, exts = fifty
    first, second = exts[0].id, exts[1].id
    with pytest.raises(ValidationFailed) as refused:
        core.quick_edit(account, {first: {"ring_seconds": 30}, second: {"sip_password": "x"}}, as_admin=True)
    assert list(refused.value.details) == [f"{second}.sip_password"]
    with pytest.raises(Forbidden) as forbidden:
        core.quick_edit(account, {first: {"dnd": True}, second: {"recording": "all"}}, as_admin=False)
    assert list(forbidden.value.details) == [f"{second}.recording"]
    db.session.rollback()
    assert [s["ring_seconds"] for s in stored(exts[:2])] == [20, 20]
