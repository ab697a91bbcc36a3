"""Recorded dialplan requests in the account's context, adapted to the two situations of issues
3 and 7: a customer blind-transferred by a phone dialing out with that phone's rights, and an
internal caller sent by voicemail key 0 / * to a welcome menu (plus the menu's ``ivr.conf``)."""
from __future__ import annotations

from urllib.parse import quote

import pytest
import sqlalchemy as sa
from lxml import etree

from fs_service.db import db
from fs_service.models import PhoneNumber, Treatment
from fs_service.numbers import treatments
from tests.factories import make_account, make_live_leg
from tests.helpers import xml_curl_body
from tests.integration.test_public_calls import acme  # noqa: F401
from tests.integration.test_public_menu import menu  # noqa: F401
from tests.integration.test_settings_support import body
from tests.integration.test_xml_curl_directory import post

# The carrier leg of a call, transferred into acme.test (no authenticated phone on it).
GUEST = ("inbound-did-call", "0038-dialplan-100.form")
# Extension 100 (Alice) in acme.test: the phone leaving a message to a colleague.
PHONE = ("internal-call-answered", "0031-dialplan-101.form")
IVR_CONF = ("welcome-menu-ivr", "0032-configuration-ivr.conf.form")


def dialplan(client, data: bytes) -> list[tuple[str, str]]:
    """The actions planned in the account's context (never ``public``)."""
    doc = etree.fromstring(post(client, data).data)
    assert doc.xpath("//section[@name='dialplan']/context/@name") == ["acme.test"]
    return [(a.get("application"), a.get("data", "")) for a in doc.xpath("//action")]


def transferred(destination: str, by: str, domain: str = "acme.test", referred_by: str = "") -> bytes:
    """The customer's channel as mod_sofia hands it over after phone ``by``'s REFER: the leg it
    was bridged to in ``last_bridge_to`` (live in the channel table), Refer-To as
    ``sip_refer_to``, the phone's own Referred-By as ``sip_h_Referred-By``; the recording's own
    ``domain_name`` (set by the dialplan of the day) is dropped: a guest has none."""
    data = body(GUEST, destination, **{"last_bridge_to": make_live_leg(by, domain) if by else "none",
                                       "sip_h_Referred-By": referred_by or f"<sip:{by}@{domain}>",
                                       "sip_refer_to": f"<sip:{destination}@acme.test>"})
    assert b"&variable_domain_name=acme.test" in data
    return data.replace(b"&variable_domain_name=acme.test", b"")


@pytest.fixture
def alice_rights(acme):  # noqa: F811
    """Alice (100) may call long distance, international only with a code, and shows Sales."""
    account, _, exts = acme
    sales = PhoneNumber(account_id=account.id, e164="+15145550199", label="Sales")
    db.session.add(sales)
    db.session.flush()
    alice = exts["100"]
    alice.long_distance, alice.international, alice.international_code = "unlimited", "code", "4321"
    alice.outbound_caller_id_name, alice.outbound_caller_id_number_id = "Acme Sales", sales.id
    exts["101"].long_distance = "disabled"
    db.session.commit()
    return exts


def gateway_bridge(found) -> str:
    return next(data for app, data in found if app == "bridge" and "gateway" in data)


def test_a_customer_blind_transferred_to_a_mobile_is_bridged_with_the_transferors_caller_id(client, alice_rights):
    found = dialplan(client, transferred("16135551234", "100"))
    assert gateway_bridge(found) == ("{origination_caller_id_name='Acme Sales',"
                                     "origination_caller_id_number=15145550199}sofia/gateway/carrier/16135551234")


def test_the_transferors_barred_class_and_access_code_class_refuse_the_guest(client, alice_rights):
    barred = dialplan(client, transferred("16135551234", "101"))
    coded = dialplan(client, transferred("011331234567", "100"))
    for found in (barred, coded):
        assert found[-3:] == [("answer", ""), ("playback", "pbx/call-not-allowed.wav"),
                              ("hangup", "OUTGOING_CALL_BARRED")], found
        assert not any(app in ("bridge", "play_and_get_digits") for app, _ in found)


def test_a_transferor_of_another_account_or_unknown_is_refused_whatever_referred_by_says(client, alice_rights):
    make_account(name="Beta", sip_domain="beta.test")
    db.session.commit()
    for by, domain in (("100", "beta.test"), ("999", "acme.test"), ("", "acme.test")):
        forged = dialplan(client, transferred("16135551234", by, domain, referred_by="<sip:100@acme.test>"))
        assert forged == [("hangup", "CALL_REJECTED")]


def test_a_phone_naming_a_colleague_in_its_referred_by_keeps_its_own_rights(client, alice_rights):
    found = dialplan(client, transferred("16135551234", "101", referred_by="<sip:100@acme.test>"))
    assert found[-1] == ("hangup", "OUTGOING_CALL_BARRED") and not any(app == "bridge" for app, _ in found)


def test_emergency_from_a_transferred_customer(client, alice_rights):
    assert gateway_bridge(dialplan(client, transferred("911", "101"))).endswith("/911")


# Issue 7: voicemail key 0 / * of an internal caller to a welcome menu.

def from_voicemail(treatment_id: int, destination: str = "pbx-treatment", **variables) -> bytes:
    return body(PHONE, destination, pbx_stage=f"treatment:{treatment_id}", **variables)


def test_key_0_of_an_internal_caller_runs_the_welcome_menu_in_the_accounts_context(client, acme, menu):  # noqa: F811
    run_menu = db.session.scalar(sa.select(Treatment.id).where(Treatment.account_id == acme[0].id,
                                                               Treatment.kind == "menu"))
    found = dialplan(client, from_voicemail(run_menu))
    assert found[0] == ("set", "pbx_stage=")
    assert found.index(("set", f"pbx_stage=menu:{menu.id}")) < found.index(("ivr", f"pbx_menu_{menu.id}"))
    assert found[-2:] == [("set", f"pbx_stage=menu-timeout:{menu.id}"), ("transfer", "menu-timeout XML acme.test")]


def test_the_menu_keys_and_timeout_of_an_internal_caller_are_planned(client, acme, menu):  # noqa: F811
    key = dialplan(client, body(PHONE, "1", pbx_stage=f"menu:{menu.id}"))
    assert key[0] == ("set", "pbx_stage=") and any(d.endswith("user/101@acme.test") for a, d in key if a == "bridge")
    timeout = dialplan(client, body(PHONE, "menu-timeout", pbx_stage=f"menu-timeout:{menu.id}"))
    assert ("playback", "pbx/vm-goodbye.wav") in timeout and timeout[-1][0] == "hangup"


def test_a_message_treatment_then_hangup(client, acme, menu):  # noqa: F811
    message = treatments.create_treatment(acme[0], kind="message", message_path="pbx/vm-not-available.wav")
    db.session.commit()
    found = dialplan(client, from_voicemail(message.id))
    assert found[0] == ("set", "pbx_stage=") and ("playback", "pbx/vm-not-available.wav") in found
    assert found[-1][0] == "hangup"


def test_another_accounts_treatment_or_menu_is_refused(client, acme, menu):  # noqa: F811
    other, _ = make_account(name="Beta", sip_domain="beta.test")
    foreign = treatments.create_treatment(other, kind="hangup")
    db.session.commit()
    assert dialplan(client, from_voicemail(foreign.id)) == [("set", "pbx_stage="), ("hangup", "CALL_REJECTED")]
    assert dialplan(client, body(PHONE, "1", pbx_stage="menu:999999")) == [
        ("set", "pbx_stage="), ("hangup", "CALL_REJECTED")]


def ivr_conf(client, menu_name: str, context: str = "acme.test") -> etree._Element:
    """The recorded ``ivr.conf`` fetch of phone 100 in acme.test: no ``pbx_number_id``."""
    data = xml_curl_body(*IVR_CONF).replace(b"Menu-Name=acme_welcome", f"Menu-Name={menu_name}".encode())
    assert b"variable_pbx_number_id" not in data
    data = data.replace(b"Caller-Context=acme.test", f"Caller-Context={quote(context)}".encode())
    response = post(client, data)
    assert response.status_code == 200 and b"<?" not in response.data
    return etree.fromstring(response.data)


def test_ivr_conf_of_an_internal_caller_serves_the_menu_with_keys_reentering_the_domain(client, acme, menu):  # noqa: F811
    found = ivr_conf(client, f"pbx_menu_{menu.id}").xpath("//configuration[@name='ivr.conf']/menus/menu")
    assert len(found) == 1
    entries = [(e.get("digits"), e.get("param")) for e in found[0].xpath("entry")]
    assert entries == [("1", "transfer 1 XML acme.test"), (r"/^(\d{2,5})$/", "transfer $1 XML acme.test")]


def test_ivr_conf_never_serves_a_menu_to_another_accounts_context(client, acme, menu):  # noqa: F811
    make_account(name="Beta", sip_domain="beta.test")
    db.session.commit()
    for context in ("beta.test", "public", "unknown.test", ""):
        assert ivr_conf(client, f"pbx_menu_{menu.id}", context).xpath("//result/@status") == ["not found"], context
