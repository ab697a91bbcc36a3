"""Saved = live, FWD-1..3 and FMFM-1: forwarding and follow-me saved through the API, then the
recorded call 100 → 101 rendered with them (application, data, order)."""
from __future__ import annotations

from tests.integration.test_settings_support import (CALL_101, VOICEMAIL_101, acme, actions, bridges,  # noqa: F401
                                                     opening, ring, save)

ACME_ID = "{origination_caller_id_name=Acme,origination_caller_id_number=15145550100}"
MOBILE = "sofia/gateway/carrier/15145551234"
TO_102 = [("set", "pbx_forward_hops=1"), ("transfer", "102 XML acme.test")]
ASK_1 = [("answer", ""), ("play_and_get_digits",
                          "1 1 1 5000 # pbx/press-1-to-forward.wav silence_stream://250 pbx_forward_choice 1")]


def test_forward_always_to_an_external_number_rings_it_with_the_company_caller_id(client, acme):
    save(client, acme, "101", forward_mode="always", forward_destination="514-555-1234")
    assert actions(client, CALL_101) == opening() + ring(30, ACME_ID + MOBILE) + VOICEMAIL_101


def test_forward_always_to_an_extension_transfers_without_ringing_101(client, acme):
    save(client, acme, "101", forward_mode="always", forward_destination="102")
    assert actions(client, CALL_101) == opening() + TO_102 + VOICEMAIL_101


def test_forward_on_no_answer_rings_101_for_the_ring_duration_then_the_destination(client, acme):
    save(client, acme, "101", forward_mode="no_answer", forward_destination="102", ring_seconds=15)
    assert actions(client, CALL_101) == opening() + ring(15, "user/101@acme.test") + TO_102 + VOICEMAIL_101


def test_forward_simultaneous_rings_the_extension_and_the_destination_together(client, acme):
    save(client, acme, "101", forward_mode="simultaneous", forward_destination="102")
    assert actions(client, CALL_101) == opening() + ring(20, "user/101@acme.test,user/102@acme.test") + VOICEMAIL_101


def test_forward_simultaneous_to_an_external_number_shows_the_company_caller_id(client, acme):
    save(client, acme, "101", forward_mode="simultaneous", forward_destination="5145551234")
    dial = bridges(actions(client, CALL_101))[0]
    assert "origination_caller_id_number=15145550100" in dial and dial.endswith(MOBILE)


def test_forward_when_the_caller_presses_1_asks_after_the_ring_duration(client, acme):
    save(client, acme, "101", forward_mode="confirm", forward_destination="5145551234")
    ext_id = acme.exts["101"].id
    assert actions(client, CALL_101) == opening() + ring(20, "user/101@acme.test") + ASK_1 + [
        ("set", f"pbx_stage=forward-confirm:{ext_id}"), ("transfer", "101 XML acme.test")]


def test_forward_confirmed_with_1_rings_the_destination_then_voicemail(client, acme):
    save(client, acme, "101", forward_mode="confirm", forward_destination="5145551234")
    found = actions(client, CALL_101, pbx_stage=f"forward-confirm:{acme.exts['101'].id}", pbx_forward_choice="1")
    assert found == [("set", "pbx_stage=")] + ring(30, ACME_ID + MOBILE) + VOICEMAIL_101


def test_forward_not_confirmed_goes_to_voicemail(client, acme):
    save(client, acme, "101", forward_mode="confirm", forward_destination="5145551234")
    found = actions(client, CALL_101, pbx_stage=f"forward-confirm:{acme.exts['101'].id}", pbx_forward_choice="")
    assert found == [("set", "pbx_stage=")] + VOICEMAIL_101


def test_forward_off_again_rings_only_101(client, acme):
    save(client, acme, "101", forward_mode="always", forward_destination="102")
    save(client, acme, "101", forward_mode="off")
    assert actions(client, CALL_101) == opening() + ring(20, "user/101@acme.test") + VOICEMAIL_101


def test_follow_me_with_forward_off_rings_101_then_the_number(client, acme):
    save(client, acme, "101", fmfm_enabled=True, fmfm_number="5145557777", fmfm_ring_seconds=12,
         fmfm_pass_caller_id=False)
    mobile = "[leg_timeout=30]sofia/gateway/carrier/15145557777"
    assert actions(client, CALL_101) == opening() + ring(12, "user/101@acme.test") + ring(30, ACME_ID + mobile) \
        + VOICEMAIL_101


def test_forwarding_on_means_follow_me_is_not_used(client, acme):
    data = save(client, acme, "101", fmfm_enabled=True, fmfm_number="5145557777", forward_mode="always",
                forward_destination="102")
    assert data["warnings"] == ["find-me/follow-me is not used while call forwarding is on"]
    assert actions(client, CALL_101) == opening() + TO_102 + VOICEMAIL_101


def test_follow_me_passes_the_original_caller_id(client, acme):
    save(client, acme, "101", fmfm_enabled=True, fmfm_number="5145557777", fmfm_pass_caller_id=True)
    assert bridges(actions(client, CALL_101))[1].startswith(
        "{origination_caller_id_name='Alice Tremblay',origination_caller_id_number=100}")


def test_follow_me_screening_records_the_name_and_asks_the_callee_to_press_1(client, acme):
    save(client, acme, "101", fmfm_enabled=True, fmfm_number="5145557777", fmfm_screening=True)
    found = actions(client, CALL_101)
    screen = [("answer", ""), ("playback", "pbx/say-your-name.wav"), ("record", "/tmp/pbx-screen-${uuid}.wav 5 200 2")]
    start = found.index(("bridge", "user/101@acme.test")) + 1
    assert found[start:start + 3] == screen
    assert ("set", "group_confirm_key=1") in found[start + 3:]


def test_follow_me_skip_greeting_skips_the_voicemail_greeting(client, acme):
    save(client, acme, "101", fmfm_enabled=True, fmfm_number="5145557777", fmfm_skip_greeting=True)
    assert ("set", "pbx_vm_skip_greeting=true") in actions(client, CALL_101)


def test_follow_me_extra_attempts_dial_the_number_again(client, acme):
    save(client, acme, "101", fmfm_enabled=True, fmfm_number="5145557777", fmfm_extra_attempts=2)
    found = actions(client, CALL_101)
    assert ("set", "call_timeout=90") in found
    assert bridges(found)[1].count("sofia/gateway/carrier/15145557777") == 3


def test_follow_me_off_again_rings_only_101(client, acme):
    save(client, acme, "101", fmfm_enabled=True, fmfm_number="5145557777")
    save(client, acme, "101", fmfm_enabled=False)
    assert bridges(actions(client, CALL_101)) == ["user/101@acme.test"]
