"""A caller blind-transferred into the account's context dials out with the transferring
phone's rights (issue 3): named by Referred-By, only when it is an extension of this account."""
from __future__ import annotations

from dataclasses import replace

import pytest

from fs_service.callplan.internal import plan_internal
from fs_service.callplan.model import CallRequest, Identity
from fs_service.callplan.steps import Answer, CollectDigits, Hangup, Play, Record, Ring, Set
from tests.unit.test_callplan_extension import BASE, ROUTING
from tests.unit.test_callplan_internal import Directory

BOB = replace(BASE, id=7, number="101", name="Bob", language="en", long_distance="unlimited",
              international="code", international_code="4321",
              identity=Identity("Acme Sales", "15145550199"))
CAROL = replace(BASE, id=8, number="102", name="Carol", long_distance="disabled", international="disabled")


def transferred(destination, referred_by="<sip:101@acme.test>", **variables):
    """The customer's channel after phone ``referred_by`` blind-transferred it (sofia.c copies
    the REFER's Referred-By as ``sip_h_Referred-By``); not an authenticated phone."""
    variables = {"sip_h_Referred-By": referred_by, "sip_refer_to": f"<sip:{destination}@acme.test>", **variables}
    req = CallRequest("acme.test", destination, "4185551234", "Client Inc", "u", variables)
    return plan_internal(req, ROUTING, Directory(BOB, CAROL))


def ring_of(plan) -> Ring:
    return next(s for s in plan.steps if isinstance(s, Ring))


def test_blind_transfer_to_a_mobile_rings_it_with_the_transferors_caller_id():
    plan = transferred("5145551234")
    ring = ring_of(plan)
    assert ring.targets[0].address == "15145551234" and ring.targets[0].gateway == "carrier"
    assert (ring.caller_id_name, ring.caller_id_number) == ("Acme Sales", "15145550199")
    assert plan.steps[0] == Set("sound_prefix", "$${sound_prefix_en}")
    assert plan.reason.startswith("transferred by 101: ")


def test_softphone_and_display_name_forms_of_referred_by_are_the_extension():
    assert ring_of(transferred("5145551234", '"Bob" <sips:101-2@ACME.test;transport=tls>'))


def test_the_transferors_toll_class_applies():
    assert ring_of(transferred("16135551234")).targets[0].address == "16135551234"
    plan = transferred("16135551234", "<sip:102@acme.test>")
    assert plan.steps[-3:] == (Answer(), Play("pbx/call-not-allowed.wav"), Hangup("OUTGOING_CALL_BARRED"))
    assert plan.reason == "transferred by 102: long_distance calls disabled"


def test_a_class_with_access_code_is_barred_since_nobody_can_type_it():
    plan = transferred("011331234567")
    assert not any(isinstance(s, (CollectDigits, Ring)) for s in plan.steps)
    assert plan.steps[-3:] == (Answer(), Play("pbx/call-not-allowed.wav"), Hangup("OUTGOING_CALL_BARRED"))
    assert "access code" in plan.reason


def test_emergency_is_always_allowed_and_shows_the_accounts_number():
    ring = ring_of(transferred("911", "<sip:102@acme.test>"))
    assert ring.targets[0].address == "911" and ring.caller_id_number == "15145550100" and not ring.privacy


def test_the_transferors_outbound_recording_applies():
    recorded = replace(BOB, recording="outbound")
    req = CallRequest("acme.test", "5145551234", "4185551234", "Client", "u",
                      {"sip_h_Referred-By": "<sip:101@acme.test>"})
    plan = plan_internal(req, ROUTING, Directory(recorded))
    assert any(isinstance(s, Record) for s in plan.steps) and ring_of(plan)


@pytest.mark.parametrize("referred_by", [
    "<sip:101@beta.test>",  # forged: another account's domain
    "<sip:101@acme.test.evil>",
    "<sip:555@acme.test>",  # no such extension
    "<sip:acme.test>",
    "",
])
def test_an_unknown_or_foreign_transferor_is_refused(referred_by):
    plan = transferred("5145551234", referred_by)
    assert plan.steps == (Hangup("CALL_REJECTED"),) and plan.reason == "transferred caller may not call out"


def test_a_transferred_caller_still_cannot_pick_up_calls():
    assert transferred("**101").steps == (Hangup("UNALLOCATED_NUMBER"),)


def test_an_authenticated_phone_keeps_its_own_rights_whatever_referred_by_says():
    req = CallRequest("acme.test", "16135551234", "102", "Carol", "u",
                      {"user_name": "102", "domain_name": "acme.test", "sip_h_Referred-By": "<sip:101@acme.test>"})
    plan = plan_internal(req, ROUTING, Directory(BOB, CAROL))
    assert plan.steps[-1] == Hangup("OUTGOING_CALL_BARRED")
