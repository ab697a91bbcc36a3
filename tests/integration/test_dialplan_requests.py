"""Recorded FreeSWITCH dialplan requests answered from the extensions' settings (flow 2)."""
from __future__ import annotations

import pytest
from lxml import etree

from fs_service.db import db
from fs_service.extensions import rules as extensions
from fs_service.models import ActiveChannel, Gateway, PhoneNumber
from tests.factories import make_account, make_extension, make_user
from tests.helpers import xml_curl_body
from tests.integration.test_xml_curl_directory import post

CALL_101 = ("internal-call-answered", "0031-dialplan-101.form")  # 100 (Alice) calls 101
CALL_102 = ("internal-call-no-answer", "0034-dialplan-102.form")  # 100 calls 102
CALL_999 = ("unknown-destination", "0044-dialplan-999.form")
CALL_OUT = ("outbound-external-call", "0046-dialplan-5145559876.form")
CALL_8500 = ("voicemail-check", "0061-dialplan-8500.form")  # 102 dials 8500


@pytest.fixture
def acme(app):
    account, _ = make_account(name="Acme", sip_domain="acme.test")
    alice = make_user(account, first_name="Alice", last_name="Tremblay")
    exts = {"100": make_extension(account, number="100", user=alice)}
    exts.update({n: make_extension(account, number=n) for n in ("101", "102", "105")})
    db.session.add(PhoneNumber(account_id=account.id, e164="+15145550100", label="Main"))
    db.session.add(Gateway(name="carrier", proxy="sip.carrier.example"))
    db.session.commit()
    return account, exts


def actions(client, recording) -> list[tuple[str, str]]:
    response = post(client, xml_curl_body(*recording))
    assert response.status_code == 200 and b"<?" not in response.data
    doc = etree.fromstring(response.data)
    assert doc.xpath("/document/section[@name='dialplan']/context/@name") in (["acme.test"], [])
    return [(a.get("application"), a.get("data", "")) for a in doc.xpath("//action")]


def change(account, ext, **settings):
    extensions.update_extension(account, ext, settings)
    db.session.commit()


def bridges(found):
    return [data for app, data in found if app == "bridge"]


def test_internal_call_rings_the_callee_then_its_voicemail(client, acme):
    found = actions(client, CALL_101)
    assert bridges(found) == ["user/101@acme.test"]
    assert ("set", "call_timeout=20") in found
    assert found[-4] == ("socket", "127.0.0.1:8084 async full") and ("set", "pbx_vm_box=101") in found


def test_saved_settings_are_live_on_the_next_call(client, acme):
    account, exts = acme
    assert ("set", "call_timeout=20") in actions(client, CALL_101)
    change(account, exts["101"], ring_seconds=35, language="en")
    found = actions(client, CALL_101)
    assert ("set", "call_timeout=35") in found and ("set", "sound_prefix=$${sound_prefix_en}") in found


def test_ring_zero_rings_for_an_hour_not_zero(client, acme):
    account, exts = acme
    change(account, exts["101"], ring_seconds=0)
    assert ("set", "call_timeout=3600") in actions(client, CALL_101)


def test_dnd_with_forward_always_never_rings(client, acme):
    account, exts = acme
    change(account, exts["101"], dnd=True, dnd_mode="busy", forward_mode="always",
           forward_destination="5145551234")
    found = actions(client, CALL_101)
    assert bridges(found) == [] and found[-1] == ("hangup", "USER_BUSY")


def test_forward_off_with_follow_me_rings_extension_then_mobile(client, acme):
    account, exts = acme
    change(account, exts["101"], fmfm_enabled=True, fmfm_number="5145557777", fmfm_ring_seconds=12)
    found = bridges(actions(client, CALL_101))
    assert found[0] == "user/101@acme.test"
    assert found[1].endswith("sofia/gateway/carrier/15145557777")


def test_forward_always_to_external_uses_the_carrier_with_the_account_number(client, acme):
    account, exts = acme
    change(account, exts["101"], forward_mode="always", forward_destination="5145551234")
    assert bridges(actions(client, CALL_101)) == [
        "{origination_caller_id_name=Acme,origination_caller_id_number=15145550100}sofia/gateway/carrier/15145551234"]


def test_busy_callee_with_busy_message(client, acme):
    account, exts = acme
    change(account, exts["101"], busy_behaviour="message")
    db.session.add(ActiveChannel(uuid="c1", node="fs1", sip_user="101", sip_domain="acme.test", state="answered"))
    db.session.commit()
    found = actions(client, CALL_101)
    assert ("playback", "pbx/user-busy.wav") in found and bridges(found) == []


def test_unknown_destination_is_refused_cleanly(client, acme):
    assert actions(client, CALL_999) == [("hangup", "UNALLOCATED_NUMBER")]


def test_external_call_goes_out_through_the_carrier(client, acme):
    assert bridges(actions(client, CALL_OUT)) == [
        "{origination_caller_id_name=Acme,origination_caller_id_number=15145550100}sofia/gateway/carrier/15145559876"]


def test_8500_from_own_phone_goes_to_voicemail_login_for_that_box(client, acme):
    found = actions(client, CALL_8500)
    assert ("set", "pbx_vm_action=login") in found and ("set", "pbx_vm_box=102") in found


def test_a_context_that_is_no_account_gets_not_found(client, acme):
    body = xml_curl_body(*CALL_101).replace(b"Caller-Context=acme.test", b"Caller-Context=nobody.test")
    doc = etree.fromstring(post(client, body).data)
    assert doc.xpath("//result/@status") == ["not found"]
