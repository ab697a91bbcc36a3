"""Saved = live, EXT-3: each setting is saved through the API, then the next recorded dialplan
request for extension 101 renders the new behaviour (application, data, order)."""
from __future__ import annotations

from lxml import etree

from fs_service.db import db
from fs_service.models import ActiveChannel
from tests.helpers import xml_curl_body
from tests.integration.test_settings_support import (CALL_101, VOICEMAIL_101, acme, actions, opening,  # noqa: F401
                                                     ring, save)
from tests.integration.test_xml_curl_directory import post, user_element, variables

LANGUAGE_FR = [("set", "default_language=fr"), ("set", "sound_prefix=$${sound_prefix_fr}")]


def on_the_phone(number: str) -> None:
    """The live state the ESL listener keeps: an answered channel of this extension."""
    db.session.add(ActiveChannel(uuid=f"busy-{number}", node="fs1", sip_user=number, sip_domain="acme.test",
                                 state="answered"))
    db.session.commit()


def test_before_any_change_101_rings_20_seconds_then_voicemail(client, acme):
    assert actions(client, CALL_101) == opening() + ring(20, "user/101@acme.test") + VOICEMAIL_101


def test_default_language_sets_the_prompts_language_of_the_next_call(client, acme):
    save(client, acme, "101", language="en")
    assert actions(client, CALL_101)[:2] == [("set", "default_language=en"),
                                             ("set", "sound_prefix=$${sound_prefix_en}")]


def test_ring_duration_is_the_bridge_timeout_before_voicemail(client, acme):
    save(client, acme, "101", ring_seconds=35)
    assert actions(client, CALL_101) == opening() + ring(35, "user/101@acme.test") + VOICEMAIL_101


def test_ring_zero_rings_for_an_hour_never_freeswitchs_60_second_zero(client, acme):
    save(client, acme, "101", ring_seconds=0)
    assert actions(client, CALL_101) == opening() + ring(3600, "user/101@acme.test") + VOICEMAIL_101


def test_dnd_busy_gives_a_busy_signal_without_ringing(client, acme):
    save(client, acme, "101", dnd=True, dnd_mode="busy")
    assert actions(client, CALL_101) == LANGUAGE_FR + [("hangup", "USER_BUSY")]


def test_dnd_voicemail_goes_straight_to_voicemail(client, acme):
    save(client, acme, "101", dnd=True, dnd_mode="voicemail")
    assert actions(client, CALL_101) == LANGUAGE_FR + VOICEMAIL_101


def test_dnd_off_again_rings_again(client, acme):
    save(client, acme, "101", dnd=True)
    save(client, acme, "101", dnd=False)
    assert ("bridge", "user/101@acme.test") in actions(client, CALL_101)


def test_dnd_wins_over_forward_always(client, acme):
    save(client, acme, "101", dnd=True, dnd_mode="busy", forward_mode="always", forward_destination="5145551234")
    assert actions(client, CALL_101) == LANGUAGE_FR + [("hangup", "USER_BUSY")]


def test_busy_behaviour_message_plays_on_the_phone_message(client, acme):
    save(client, acme, "101", busy_behaviour="message")
    on_the_phone("101")
    assert actions(client, CALL_101) == LANGUAGE_FR + [
        ("answer", ""), ("playback", "pbx/user-busy.wav"), ("hangup", "USER_BUSY")]


def test_busy_behaviour_voicemail_sends_the_second_call_to_the_busy_greeting(client, acme):
    save(client, acme, "101", busy_behaviour="voicemail")
    on_the_phone("101")
    found = actions(client, CALL_101)
    assert found == LANGUAGE_FR + [(a, d.replace("greeting=auto", "greeting=busy")) for a, d in VOICEMAIL_101]


def test_busy_behaviour_ring_lets_a_second_call_ring(client, acme):
    save(client, acme, "101", busy_behaviour="ring")
    on_the_phone("101")
    assert actions(client, CALL_101) == opening() + ring(20, "user/101@acme.test") + VOICEMAIL_101


def test_voicemail_off_rings_until_the_caller_hangs_up(client, acme):
    save(client, acme, "101", voicemail_enabled=False)
    assert actions(client, CALL_101) == opening() + ring(3600, "user/101@acme.test") + [("hangup", "NO_ANSWER")]


def test_voicemail_email_is_where_the_mailbox_sends_notifications(client, acme):
    data = save(client, acme, "101", voicemail_email="reception@acme.test")
    db.session.expire_all()
    assert data["voicemail_email"] == acme.exts["101"].mailbox.email == "reception@acme.test"


def test_music_on_hold_is_what_callers_hear_on_hold_from_the_next_directory_lookup(client, acme):
    save(client, acme, "101", music_on_hold="moh")
    doc = etree.fromstring(post(client, xml_curl_body("internal-call-answered", "0032-directory-user_call.form")).data)
    assert variables(user_element(doc, "101"))["hold_music"] == "local_stream://moh"


def test_music_on_hold_replaces_the_follow_me_ringback(client, acme):
    save(client, acme, "101", music_on_hold="moh", fmfm_enabled=True, fmfm_number="5145557777",
         fmfm_music_on_hold=True)
    found = actions(client, CALL_101)
    assert ("set", "ringback=local_stream://moh") in found
    assert found.index(("set", "ringback=local_stream://moh")) < found.index(
        next(a for a in found if a[0] == "bridge" and "gateway" in a[1]))


def test_a_music_on_hold_that_is_not_offered_is_refused(client, acme):
    response = client.patch(f"/api/v1/accounts/{acme.account.id}/extensions/{acme.exts['101'].id}/settings",
                            json={"music_on_hold": "jazz"}, headers=acme.headers)
    assert response.status_code == 400 and "music_on_hold" in response.get_json()["details"]
    assert ("set", "ringback=local_stream://jazz") not in actions(client, CALL_101)
