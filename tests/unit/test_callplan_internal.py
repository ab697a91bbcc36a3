"""Calls placed by the account's phones: extensions, feature codes, the carrier (EXT-4, flow 2)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from fs_service.callplan.internal import plan_internal
from fs_service.calls.model import CallRequest, Forward, Identity
from fs_service.calls.steps import (Answer, CollectDigits, Hangup, Intercept, Play, Record, Ring, Set, Transfer,
                                    Voicemail, VoicemailLogin)
from tests.unit.test_callplan_extension import BASE, ROUTING


class Directory:
    def __init__(self, *extensions, mailboxes=(), legs=None):
        self.by_number = {e.number: e for e in extensions}
        self.mailboxes = set(mailboxes)
        self.legs = legs or {}  # live leg uuid -> extension number (the ESL-fed channel table)

    def bridged_extension(self, leg_uuid):
        return self.by_number.get(self.legs.get(leg_uuid, ""))

    def extension(self, number):
        return self.by_number.get(number)

    def extension_by_id(self, extension_id):
        return next((e for e in self.by_number.values() if e.id == extension_id), None)

    def standalone_mailbox(self, number):
        return number if number in self.mailboxes else None

    def park_plan(self, destination, caller, transferor=None):
        return None


CALLER = replace(BASE, id=1, number="100", name="Alice", voicemail_box="100")
CALLEE = BASE


def call(destination, caller=CALLER, callee=CALLEE, **variables):
    variables = {"user_name": caller.number, "domain_name": "acme.test", **variables}
    req = CallRequest("acme.test", destination, caller.number, caller.name, "uuid-1", variables)
    return plan_internal(req, ROUTING, Directory(caller, callee, mailboxes={"3000"}))


def test_extension_to_extension_plans_the_callee():
    plan = call("101")
    assert [t.address for t in next(s for s in plan.steps if isinstance(s, Ring)).targets] == ["101@acme.test"]


def test_softphone_caller_calls_as_its_extension():
    plan = call("101", user_name="100-2")
    assert plan.reason == "ring"


def guest(destination, **variables):
    """A channel transferred into the account's context (e.g. a blind transfer of a customer)."""
    req = CallRequest("acme.test", destination, "4185551234", "Client", "u", variables)
    return plan_internal(req, ROUTING, Directory(CALLER, CALLEE, mailboxes={"3000"}))


def test_a_transferred_caller_reaches_extensions_mailboxes_and_voicemail_login():
    assert guest("101").reason == "ring"
    assert guest("3000").steps == (Voicemail("3000", "acme.test"),)
    assert guest("8500").steps == (VoicemailLogin("acme.test", None),)


@pytest.mark.parametrize("destination", ["5145551234", "011331234567", "911"])
def test_a_transferred_caller_never_dials_out(destination):
    assert guest(destination).steps == (Hangup("CALL_REJECTED"),)


def test_a_transferred_caller_cannot_pick_up_calls():
    assert guest("**101").steps == (Hangup("UNALLOCATED_NUMBER"),)


def test_forward_confirm_reentry_works_for_a_transferred_caller():
    fwd = replace(CALLEE, forward=Forward("confirm", "5145551234", False))
    req = CallRequest("acme.test", "101", "4185551234", "Client", "u",
                      {"pbx_stage": f"forward-confirm:{fwd.id}", "pbx_forward_choice": "1"})
    plan = plan_internal(req, ROUTING, Directory(CALLER, fwd))
    assert plan.reason == "forward confirmed" and any(isinstance(s, Ring) for s in plan.steps)


def test_a_user_authenticated_in_another_domain_is_a_guest_here():
    req = CallRequest("acme.test", "5145551234", "100", "", "u", {"user_name": "100", "domain_name": "beta.test"})
    assert plan_internal(req, ROUTING, Directory(CALLER, CALLEE)).steps == (Hangup("CALL_REJECTED"),)


def test_an_authenticated_user_that_is_no_extension_is_rejected():
    req = CallRequest("acme.test", "101", "555", "", "u", {"user_name": "555", "domain_name": "acme.test"})
    assert plan_internal(req, ROUTING, Directory(CALLER, CALLEE)).steps == (Hangup("CALL_REJECTED"),)


def test_unknown_destination_is_a_clean_unallocated_number():
    assert call("999").steps == (Hangup("UNALLOCATED_NUMBER"),)


def test_8500_from_own_phone_asks_only_the_password():
    assert call("8500").steps == (VoicemailLogin("acme.test", "100"),)


def test_standalone_mailbox_number_leaves_a_message():
    assert call("3000").steps == (Voicemail("3000", "acme.test"),)


def test_pickup_only_when_allowed():
    assert isinstance(call("**101").steps[0], Intercept)
    blocked = call("**101", caller=replace(CALLER, pickup_allowed=False))
    assert blocked.steps == (Hangup("CALL_REJECTED"),)


def test_local_call_goes_to_the_carrier_with_the_account_number():
    ring = next(s for s in call("5145551234").steps if isinstance(s, Ring))
    assert ring.targets[0].gateway == "carrier" and ring.caller_id_number == "15145550100"


def test_outbound_caller_id_name_and_number_of_the_extension():
    caller = replace(CALLER, identity=Identity("Alice T", "15145550111"))
    ring = next(s for s in call("5145551234", caller=caller).steps if isinstance(s, Ring))
    assert (ring.caller_id_name, ring.caller_id_number) == ("Alice T", "15145550111")


def test_hidden_caller_id_goes_out_private_but_911_never_does():
    caller = replace(CALLER, identity=Identity(None, None, hidden=True))
    hidden = next(s for s in call("5145551234", caller=caller).steps if isinstance(s, Ring))
    # The account's number stays in the plan: the carrier gets it asserted (P-Asserted-Identity).
    assert hidden.privacy and (hidden.caller_id_name, hidden.caller_id_number) == ("Acme", "15145550100")
    emergency = next(s for s in call("911", caller=caller).steps if isinstance(s, Ring))
    assert not emergency.privacy and emergency.caller_id_number == "15145550100"


def test_hidden_caller_id_keeps_the_extensions_own_outgoing_number_for_the_carrier():
    caller = replace(CALLER, identity=Identity("Alice T", "15145550111", hidden=True))
    ring = next(s for s in call("5145551234", caller=caller).steps if isinstance(s, Ring))
    assert ring.privacy and (ring.caller_id_name, ring.caller_id_number) == ("Alice T", "15145550111")


@pytest.mark.parametrize("number", ["911", "311", "511", "9911"])
def test_emergency_and_services_are_always_allowed(number):
    caller = replace(CALLER, long_distance="disabled", international="disabled")
    assert any(isinstance(s, Ring) for s in call(number, caller=caller).steps)


def test_disabled_long_distance_is_refused_with_a_prompt():
    plan = call("14185551234", caller=replace(CALLER, long_distance="disabled"))  # 418: long distance from 514
    assert Play("pbx/call-not-allowed.wav") in plan.steps and plan.steps[-1] == Hangup("OUTGOING_CALL_BARRED")


def test_international_with_access_code_prompts_then_checks_the_code_on_reentry():
    caller = replace(CALLER, international="code", international_code="4321")
    first = call("011331234567", caller=caller)
    assert isinstance(first.steps[-3], CollectDigits) and first.steps[-1] == Transfer("011331234567", "acme.test")
    assert Answer() in first.steps
    good = call("011331234567", caller=caller, pbx_stage="access-code:1", pbx_access_code="4321")
    assert any(isinstance(s, Ring) for s in good.steps) and Set("pbx_access_code", "") in good.steps
    bad = call("011331234567", caller=caller, pbx_stage="access-code:1", pbx_access_code="0000")
    assert bad.steps[-1] == Hangup("OUTGOING_CALL_BARRED") and not any(isinstance(s, Ring) for s in bad.steps)


def test_a_stage_of_another_extension_is_refused():
    caller = replace(CALLER, international="code", international_code="4321")
    plan = call("011331234567", caller=caller, pbx_stage="access-code:999", pbx_access_code="4321")
    assert plan.steps == (Hangup("CALL_REJECTED"),)


def test_outbound_recording_of_the_caller():
    plan = call("5145551234", caller=replace(CALLER, recording="outbound"))
    assert any(isinstance(s, Record) for s in plan.steps)


def test_no_carrier_gateway_is_a_clean_refusal():
    req = CallRequest("acme.test", "5145551234", "100", "", "u", {"user_name": "100", "domain_name": "acme.test"})
    plan = plan_internal(req, replace(ROUTING, gateway=None), Directory(CALLER))
    assert plan.steps == (Hangup("NO_ROUTE_DESTINATION"),)
