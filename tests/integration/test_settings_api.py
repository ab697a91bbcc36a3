"""REST API of extension settings (EXT-3, EXT-4): who reads and changes what, and bad input."""
from __future__ import annotations

import pytest

from fs_service.db import db
from fs_service.extensions import settings as core
from fs_service.models import PhoneNumber
from tests.factories import make_account, make_extension
from tests.integration.test_api_support import API, assert_error, bearer
from tests.integration.test_settings_support import acme, save, settings_url  # noqa: F401


def snapshot(ext) -> dict:
    db.session.expire_all()
    return core.read_settings(ext, as_admin=True)


def test_admin_reads_every_setting_and_a_user_only_the_ext3_ones_of_their_extension(client, acme):
    admin_view = client.get(settings_url(acme, "100"), headers=acme.headers).get_json()
    user_view = client.get(settings_url(acme, "100"), headers=bearer(acme.alice)).get_json()
    assert set(admin_view) == set(core.ADMIN_FIELDS) | {"id", "number", "warnings"}
    assert set(user_view) == set(core.USER_FIELDS) | {"id", "number", "warnings"}
    assert not set(core.ADMIN_ONLY_FIELDS) & set(user_view)


def test_a_user_changes_the_ext3_settings_of_their_own_extension(client, acme):
    response = client.patch(settings_url(acme, "100"), json={"ring_seconds": 45, "dnd": True},
                            headers=bearer(acme.alice))
    assert response.status_code == 200 and response.json["ring_seconds"] == 45
    assert snapshot(acme.exts["100"])["dnd"] is True


@pytest.mark.parametrize("field, value", [("recording", "all"), ("long_distance", "unlimited"),
                                          ("hide_caller_id", True), ("caller_id_name", "Boss"),
                                          ("outbound_caller_id_name", "Alice")])
def test_a_user_cannot_change_an_admin_only_setting(client, acme, field, value):
    before = snapshot(acme.exts["100"])
    response = client.patch(settings_url(acme, "100"), json={field: value, "ring_seconds": 99},
                            headers=bearer(acme.alice))
    assert_error(response, 403, "forbidden", field)
    assert snapshot(acme.exts["100"]) == before


@pytest.mark.parametrize("method", ["get", "patch", "put"])
def test_a_user_cannot_touch_a_colleagues_extension(client, acme, method):
    before = snapshot(acme.exts["101"])
    response = getattr(client, method)(settings_url(acme, "101"), json={"dnd": True}, headers=bearer(acme.alice))
    assert_error(response, 404, "not_found")
    assert snapshot(acme.exts["101"]) == before


def test_another_tenants_extension_is_not_found(client, acme):
    other, _ = make_account()
    foreign = make_extension(other, number="101")
    for account_id in (other.id, acme.account.id):
        url = f"{API}/accounts/{account_id}/extensions/{foreign.id}/settings"
        assert_error(client.patch(url, json={"dnd": True}, headers=acme.headers), 404, "not_found")
    assert snapshot(foreign)["dnd"] is False


def test_put_needs_every_setting_the_caller_may_change(client, acme):
    user_settings = {k: v for k, v in snapshot(acme.exts["100"]).items() if k in core.USER_FIELDS}
    response = client.put(settings_url(acme, "100"), json={**user_settings, "ring_seconds": 40},
                          headers=bearer(acme.alice))
    assert response.status_code == 200 and response.json["ring_seconds"] == 40
    body = assert_error(client.put(settings_url(acme, "100"), json=user_settings, headers=acme.headers),
                        400, "validation_error", "recording")
    assert set(body["details"]) == set(core.ADMIN_ONLY_FIELDS)


def test_voicemail_email_also_updates_the_mailbox(client, acme):
    save(client, acme, "101", voicemail_email="desk@acme.test")
    db.session.expire_all()
    assert acme.exts["101"].mailbox.email == "desk@acme.test"


def test_accents_in_the_outbound_caller_id_name_are_saved_with_a_warning(client, acme):
    data = save(client, acme, "101", outbound_caller_id_name="Société", outbound_caller_id_number="5145550100")
    assert data["outbound_caller_id_name"] == "Société"
    assert data["outbound_caller_id_number"] == "+15145550100"
    assert data["warnings"] == [core.rules.ACCENT_WARNING]


def test_restricting_tolls_under_an_active_forward_warns_but_is_saved(client, acme):
    save(client, acme, "101", forward_mode="always", forward_destination="16135550123")
    data = save(client, acme, "101", long_distance="disabled")
    assert data["long_distance"] == "disabled" and data["warnings"] == [core.rules.FORWARD_BROKEN_WARNING]


def test_an_unchanged_forward_that_now_needs_a_code_does_not_block_other_changes(client, acme):
    save(client, acme, "101", forward_mode="always", forward_destination="16135550123")
    save(client, acme, "101", long_distance="code", long_distance_code="1234")
    data = save(client, acme, "101", forward_mode="always", forward_destination="16135550123", ring_seconds=25)
    assert data["ring_seconds"] == 25
    response = client.patch(settings_url(acme, "101"), json={"forward_destination": "16135550999"},
                            headers=acme.headers)
    assert_error(response, 400, "validation_error", "forward_destination")


def test_a_stored_destination_is_kept_while_forwarding_is_off(client, acme):
    save(client, acme, "101", forward_mode="always", forward_destination="102")
    data = save(client, acme, "101", forward_mode="off")
    assert (data["forward_mode"], data["forward_destination"]) == ("off", "102")


BAD_SETTINGS = [
    ({"language": "de"}, "language"),
    ({"ring_seconds": 301}, "ring_seconds"),
    ({"ring_seconds": -1}, "ring_seconds"),
    ({"ring_seconds": "soon"}, "ring_seconds"),
    ({"fmfm_ring_seconds": 500}, "fmfm_ring_seconds"),
    ({"fmfm_extra_attempts": 6}, "fmfm_extra_attempts"),
    ({"dnd": "maybe"}, "dnd"),
    ({"dnd_mode": "ring"}, "dnd_mode"),
    ({"busy_behaviour": "hangup"}, "busy_behaviour"),
    ({"forward_mode": "sometimes"}, "forward_mode"),
    ({"forward_mode": "always"}, "forward_destination"),
    ({"forward_mode": "always", "forward_destination": "101"}, "forward_destination"),
    ({"forward_mode": "always", "forward_destination": "999"}, "forward_destination"),
    ({"forward_mode": "always", "forward_destination": "911"}, "forward_destination"),
    ({"forward_mode": "always", "forward_destination": "9911"}, "forward_destination"),
    ({"forward_mode": "always", "forward_destination": "311"}, "forward_destination"),
    ({"forward_mode": "always", "forward_destination": "0114412"}, "forward_destination"),
    ({"forward_mode": "always", "forward_destination": "011442071234567"}, "forward_destination"),
    ({"forward_mode": "always", "forward_destination": "sip:evil@x"}, "forward_destination"),
    ({"forward_mode": "always", "forward_destination": "${x}"}, "forward_destination"),
    ({"fmfm_enabled": True}, "fmfm_number"),
    ({"fmfm_enabled": True, "fmfm_number": "102"}, "fmfm_number"),
    ({"fmfm_enabled": True, "fmfm_number": "911"}, "fmfm_number"),
    ({"voicemail_email": "nope"}, "voicemail_email"),
    ({"music_on_hold": ""}, "music_on_hold"),
    ({"music_on_hold": "jazz"}, "music_on_hold"),
    ({"recording": "some"}, "recording"),
    ({"long_distance": "code"}, "long_distance_code"),
    ({"international": "code", "international_code": "12"}, "international_code"),
    ({"international_code": "12a4"}, "international_code"),
    ({"outbound_caller_id_name": "Sales"}, "outbound_caller_id_number"),
    ({"outbound_caller_id_number": "+15145550100"}, "outbound_caller_id_name"),
    ({"outbound_caller_id_name": "A" * 16, "outbound_caller_id_number": "+15145550100"}, "outbound_caller_id_name"),
    ({"outbound_caller_id_name": "Sales", "outbound_caller_id_number": "+15145559999"}, "outbound_caller_id_number"),
    ({"caller_id_name": "Bob\r\nINVITE"}, "caller_id_name"),
    ({"number": "555"}, "number"),
    ({"sip_password": "x"}, "sip_password"),
]


@pytest.mark.parametrize("body, field", BAD_SETTINGS)
def test_bad_settings_are_400_naming_the_field_and_change_nothing(client, acme, body, field):
    before = snapshot(acme.exts["101"])
    response = client.patch(settings_url(acme, "101"), json={"ring_seconds": 33, **body}, headers=acme.headers)
    assert_error(response, 400, "validation_error", field)
    assert snapshot(acme.exts["101"]) == before


def test_another_accounts_number_cannot_be_the_outbound_caller_id(client, acme):
    other, _ = make_account()
    db.session.add(PhoneNumber(account_id=other.id, e164="+14185550000"))
    db.session.commit()
    response = client.patch(settings_url(acme, "101"), headers=acme.headers,
                            json={"outbound_caller_id_name": "X", "outbound_caller_id_number": "+14185550000"})
    assert_error(response, 400, "validation_error", "outbound_caller_id_number")


def test_settings_need_a_login_and_appear_in_the_openapi_document(client, acme):
    assert_error(client.get(settings_url(acme, "101")), 401, "unauthorized")
    paths = client.get(f"{API}/openapi.json").json["paths"]
    assert set(paths["/api/v1/accounts/{account_id}/extensions/{extension_id}/settings"]) >= {"get", "put", "patch"}
    assert "patch" in paths["/api/v1/accounts/{account_id}/extensions"]
