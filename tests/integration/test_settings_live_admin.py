"""Saved = live, EXT-4: admin-only settings saved through the API, then recorded requests of
extension 100 (Alice) calling 101, an external number, or picking up a ringing colleague."""
from __future__ import annotations

import pytest

from tests.integration.test_settings_support import (CALL_101, CALL_OUT, VOICEMAIL_101, acme, actions,  # noqa: F401
                                                     bridges, opening, ring, save)

RECORD = [("set", "RECORD_BRIDGE_REQ=true"),
          ("record_session", "$${recordings_dir}/acme.test/${strftime(%Y-%m-%d)}/${uuid}.wav")]
ACME_ID = "{origination_caller_id_name=Acme,origination_caller_id_number=15145550100}"
OUT_FR = [("set", "sound_prefix=$${sound_prefix_fr}")]
BARRED = [("answer", ""), ("playback", "pbx/call-not-allowed.wav"), ("hangup", "OUTGOING_CALL_BARRED")]
LONG_DISTANCE = "16135550123"
INTERNATIONAL = "011442071234567"


def ask_code(ext_id: int, dialed: str) -> list[tuple[str, str]]:
    return [("answer", ""),
            ("play_and_get_digits", "1 12 3 8000 # pbx/enter-access-code.wav silence_stream://250 pbx_access_code \\d+"),
            ("set", f"pbx_stage=access-code:{ext_id}"), ("transfer", f"{dialed} XML acme.test")]


def test_recording_inbound_records_calls_to_the_extension(client, acme):
    save(client, acme, "101", recording="inbound")
    assert actions(client, CALL_101)[2:4] == RECORD
    assert RECORD[1] not in actions(client, CALL_OUT)


def test_recording_outbound_records_the_extensions_external_calls(client, acme):
    save(client, acme, "100", recording="outbound")
    assert actions(client, CALL_OUT) == OUT_FR + RECORD + ring(3600, ACME_ID + "sofia/gateway/carrier/15145559876")


@pytest.mark.parametrize("mode, records_in, records_out", [("all", True, True), ("disabled", False, False)])
def test_recording_all_or_disabled(client, acme, mode, records_in, records_out):
    save(client, acme, "101", recording=mode)
    save(client, acme, "100", recording=mode)
    assert (RECORD[1] in actions(client, CALL_101)) is (records_in or records_out)  # 100 calls: outbound too
    assert (RECORD[1] in actions(client, CALL_OUT)) is records_out


def test_call_pickup_allowed_intercepts_the_ringing_colleague(client, acme):
    save(client, acme, "100", pickup_allowed=True)
    assert actions(client, CALL_101, destination="**101") == [
        ("intercept", "${hash(select/acme.test-ringing/101)}")]


def test_call_pickup_not_allowed_is_rejected(client, acme):
    save(client, acme, "100", pickup_allowed=False)
    assert actions(client, CALL_101, destination="**101") == [("hangup", "CALL_REJECTED")]


@pytest.mark.parametrize("field, dialed", [("long_distance", LONG_DISTANCE), ("international", INTERNATIONAL)])
def test_toll_calls_disabled_are_refused_with_a_message(client, acme, field, dialed):
    save(client, acme, "100", **{field: "disabled"})
    assert actions(client, CALL_OUT, destination=dialed) == OUT_FR + BARRED


@pytest.mark.parametrize("field, dialed", [("long_distance", LONG_DISTANCE), ("international", INTERNATIONAL)])
def test_toll_calls_unlimited_go_out_through_the_carrier(client, acme, field, dialed):
    save(client, acme, "100", **{field: "unlimited"})
    assert actions(client, CALL_OUT, destination=dialed) == OUT_FR + ring(
        3600, f"{ACME_ID}sofia/gateway/carrier/{dialed}")


@pytest.mark.parametrize("field, dialed", [("long_distance", LONG_DISTANCE), ("international", INTERNATIONAL)])
def test_toll_calls_with_code_ask_for_it_then_connect_with_the_right_one_only(client, acme, field, dialed):
    save(client, acme, "100", **{field: "code", f"{field}_code": "4321"})
    ext_id = acme.exts["100"].id
    assert actions(client, CALL_OUT, destination=dialed) == OUT_FR + ask_code(ext_id, dialed)
    stage = {"pbx_stage": f"access-code:{ext_id}"}
    right = actions(client, CALL_OUT, destination=dialed, pbx_access_code="4321", **stage)
    assert bridges(right) == [f"{ACME_ID}sofia/gateway/carrier/{dialed}"]
    wrong = actions(client, CALL_OUT, destination=dialed, pbx_access_code="1111", **stage)
    assert bridges(wrong) == [] and wrong[-1] == ("hangup", "OUTGOING_CALL_BARRED")


def test_outbound_caller_id_name_and_number_are_shown_on_external_calls(client, acme):
    save(client, acme, "100", outbound_caller_id_name="Sales", outbound_caller_id_number="+15145550199")
    assert bridges(actions(client, CALL_OUT)) == [
        "{origination_caller_id_name=Sales,origination_caller_id_number=15145550199}"
        "sofia/gateway/carrier/15145559876"]


def test_outbound_caller_id_cleared_falls_back_to_the_company(client, acme):
    save(client, acme, "100", outbound_caller_id_name="Sales", outbound_caller_id_number="5145550199")
    save(client, acme, "100", outbound_caller_id_name=None, outbound_caller_id_number=None)
    assert bridges(actions(client, CALL_OUT)) == [f"{ACME_ID}sofia/gateway/carrier/15145559876"]


def test_hide_caller_id_makes_external_calls_anonymous_but_asserts_the_number_to_the_carrier(client, acme):
    save(client, acme, "100", hide_caller_id=True)
    assert bridges(actions(client, CALL_OUT)) == [
        "{origination_caller_id_name=Acme,origination_caller_id_number=15145550100,"
        "origination_privacy=screen+hide_name+hide_number,sip_cid_type=pid,"
        "sip_invite_from_uri=sip:anonymous@anonymous.invalid,sip_from_display=Anonymous}"
        "sofia/gateway/carrier/15145559876"]


def test_hidden_caller_id_never_hides_an_emergency_call(client, acme):
    save(client, acme, "100", hide_caller_id=True)
    assert bridges(actions(client, CALL_OUT, destination="911")) == [f"{ACME_ID}sofia/gateway/carrier/911"]


@pytest.mark.parametrize("setting", [{"listed_in_directory": False}, {"uc_enabled": True}, {"video_enabled": True}])
def test_settings_without_a_dialplan_effect_are_stored_and_calls_still_ring(client, acme, setting):
    data = save(client, acme, "101", **setting)
    assert {k: data[k] for k in setting} == setting
    assert actions(client, CALL_101) == opening() + ring(20, "user/101@acme.test") + VOICEMAIL_101
