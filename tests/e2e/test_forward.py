"""Settings that send calls outside: forward always, hidden caller ID at the carrier."""
from __future__ import annotations

from .calls import channel, getvar, originate, wait_channel
from .world import DID_ALICE, OUTSIDE_FORWARD


def test_forward_always_sends_the_call_to_the_outside_number_through_the_carrier(rig, world, settings):
    settings("103", forward_mode="always", forward_destination=OUTSIDE_FORWARD)
    originate(rig.peer, "acme101", "103", caller_number="101")
    wait_channel(rig.peer, context="phones", dest="1" + OUTSIDE_FORWARD)
    assert channel(rig.peer, context="phones", dest="103") is None


def test_hidden_caller_id_reaches_the_carrier_anonymous_with_an_asserted_identity(rig, world, settings):
    settings("100", hide_caller_id=True)
    originate(rig.peer, "acme100", "5145559876", caller_number="100")
    leg = wait_channel(rig.peer, context="phones", dest="15145559876")["uuid"]
    # The From a carrier would show is anonymous; the identity it bills and gives 911 is asserted.
    assert getvar(rig.peer, leg, "sip_from_user").lower() == "anonymous"
    assert getvar(rig.peer, leg, "sip_from_display").lower() == "anonymous"
    assert DID_ALICE in getvar(rig.peer, leg, "sip_P-Asserted-Identity")
    assert getvar(rig.peer, leg, "sip_Privacy").lower() == "id"
