"""A caller blind-transferred into the account's context dials out with the transferring
phone's rights (issue 3): the leg it was bridged to (``last_bridge_to``, FreeSWITCH's core),
only when that live leg is an extension of this account -- never the Referred-By header the
phone writes (issue 14.1)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from fs_service.callplan.internal import plan_internal
from fs_service.calls.model import CallRequest, Identity
from fs_service.calls.steps import Answer, CollectDigits, Hangup, Play, Record, Ring, Set
from tests.unit.test_callplan_extension import BASE, ROUTING
from tests.unit.test_callplan_internal import Directory

BOB = replace(BASE, id=7, number="101", name="Bob", language="en", long_distance="unlimited",
              international="code", international_code="4321",
              identity=Identity("Acme Sales", "15145550199"))
CAROL = replace(BASE, id=8, number="102", name="Carol", long_distance="disabled", international="disabled")


LEGS = {"leg-of-101": "101", "leg-of-102": "102", "leg-of-555": "555"}


def transferred(destination, bridged_to="leg-of-101", **variables):
    """The customer's channel after the phone on leg ``bridged_to`` blind-transferred it: not an
    authenticated phone; FreeSWITCH left ``last_bridge_to`` on it, mod_sofia the REFER's headers."""
    variables = {"last_bridge_to": bridged_to, "sip_refer_to": f"<sip:{destination}@acme.test>", **variables}
    req = CallRequest("acme.test", destination, "4185551234", "Client Inc", "u", variables)
    return plan_internal(req, ROUTING, Directory(BOB, CAROL, legs=LEGS))


def ring_of(plan) -> Ring:
    return next(s for s in plan.steps if isinstance(s, Ring))


def test_blind_transfer_to_a_mobile_rings_it_with_the_transferors_caller_id():
    plan = transferred("5145551234")
    ring = ring_of(plan)
    assert ring.targets[0].address == "15145551234" and ring.targets[0].gateway == "carrier"
    assert (ring.caller_id_name, ring.caller_id_number) == ("Acme Sales", "15145550199")
    assert plan.steps[0] == Set("sound_prefix", "$${sound_prefix_en}")
    assert plan.reason.startswith("transferred by 101: ")


def test_the_transferors_toll_class_applies():
    assert ring_of(transferred("16135551234")).targets[0].address == "16135551234"
    plan = transferred("16135551234", "leg-of-102")
    assert plan.steps[-3:] == (Answer(), Play("pbx/call-not-allowed.wav"), Hangup("OUTGOING_CALL_BARRED"))
    assert plan.reason == "transferred by 102: long_distance calls disabled"


def test_a_class_with_access_code_is_barred_since_nobody_can_type_it():
    plan = transferred("011331234567")
    assert not any(isinstance(s, (CollectDigits, Ring)) for s in plan.steps)
    assert plan.steps[-3:] == (Answer(), Play("pbx/call-not-allowed.wav"), Hangup("OUTGOING_CALL_BARRED"))
    assert "access code" in plan.reason


def test_emergency_is_always_allowed_and_shows_the_accounts_number():
    ring = ring_of(transferred("911", "leg-of-102"))
    assert ring.targets[0].address == "911" and ring.caller_id_number == "15145550100" and not ring.privacy


def test_the_transferors_outbound_recording_applies():
    recorded = replace(BOB, recording="outbound")
    req = CallRequest("acme.test", "5145551234", "4185551234", "Client", "u", {"last_bridge_to": "leg-of-101"})
    plan = plan_internal(req, ROUTING, Directory(recorded, legs=LEGS))
    assert any(isinstance(s, Record) for s in plan.steps) and ring_of(plan)


@pytest.mark.parametrize("bridged_to", [
    "leg-of-555",  # a live leg, but no such extension
    "leg-gone",  # not a live leg of this account (another account's, a carrier's, already gone)
    "",
])
def test_an_unknown_or_foreign_transferor_is_refused(bridged_to):
    plan = transferred("5145551234", bridged_to)
    assert plan.steps == (Hangup("CALL_REJECTED"),) and plan.reason == "transferred caller may not call out"


@pytest.mark.parametrize("forged", ["<sip:101@acme.test>", '"Bob" <sips:101-2@acme.test>'])
def test_a_forged_referred_by_naming_a_colleague_changes_nothing(forged):
    """Carol (no long distance) transferred the customer and names Bob (unlimited) in the REFER."""
    plan = transferred("16135551234", "leg-of-102", **{"sip_h_Referred-By": forged})
    assert plan.steps[-1] == Hangup("OUTGOING_CALL_BARRED") and plan.reason.startswith("transferred by 102")
    assert transferred("5145551234", "", **{"sip_h_Referred-By": forged}).steps == (Hangup("CALL_REJECTED"),)


def test_a_transferred_caller_still_cannot_pick_up_calls():
    assert transferred("**101").steps == (Hangup("UNALLOCATED_NUMBER"),)


def test_an_authenticated_phone_keeps_its_own_rights_whatever_it_was_bridged_to():
    req = CallRequest("acme.test", "16135551234", "102", "Carol", "u",
                      {"user_name": "102", "domain_name": "acme.test", "last_bridge_to": "leg-of-101"})
    plan = plan_internal(req, ROUTING, Directory(BOB, CAROL, legs=LEGS))
    assert plan.steps[-1] == Hangup("OUTGOING_CALL_BARRED")
