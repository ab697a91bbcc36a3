"""Calls from the public network: company numbers, welcome menu, blacklist, business hours."""
from __future__ import annotations

import pytest

from .calls import channel, originate, wait_channel, wait_event, wait_gone
from .rig import wait_for
from .world import BLOCKED_CALLER, DID_ALICE, DID_CLOSED, DID_MENU


def test_company_number_rings_its_extension_with_the_callers_id(rig, world):
    originate(rig.peer, "carrier", DID_ALICE, caller_number="4185551234", caller_name="Client Inc")
    phone = wait_channel(rig.peer, context="phones", dest="100")
    assert (phone["cid_num"], phone["cid_name"]) == ("4185551234", "Client Inc")
    public = wait_channel(rig.sut, direction="inbound", dest=DID_ALICE)
    assert public["context"] == "public" and public["name"].startswith("sofia/external/")


def _menu_leg(rig) -> str:
    leg = originate(rig.peer, "carrier", DID_MENU, caller_number="4185551234")
    wait_for(lambda: (channel(rig.sut, direction="inbound", dest=DID_MENU) or {}).get("application") == "ivr",
             what="the welcome menu running on the switch")
    return leg


@pytest.mark.parametrize("digits, extension", [("1", "101"), ("103", "103")], ids=["key-1", "dial-by-extension"])
def test_welcome_menu_routes_a_key_and_a_dialed_extension(rig, world, digits, extension):
    leg = _menu_leg(rig)
    rig.peer.api(f"uuid_send_dtmf {leg} {digits}")
    phone = wait_channel(rig.peer, context="phones", dest=extension)
    assert phone["cid_num"] == "4185551234"


def test_blacklisted_caller_is_rejected_before_any_phone_rings(rig, world):
    hangups = rig.sut.events("CHANNEL_HANGUP_COMPLETE")
    try:
        leg = originate(rig.peer, "carrier", DID_ALICE, caller_number=BLOCKED_CALLER)
        rejected = wait_event(hangups, **{"Caller-Caller-ID-Number": BLOCKED_CALLER, "Call-Direction": "inbound"})
    finally:
        hangups.close()
    wait_gone(rig.peer, leg)
    assert rejected["Hangup-Cause"] == "CALL_REJECTED", rejected["Hangup-Cause"]
    assert rejected.get("variable_answer_epoch", "0") == "0"  # refused unanswered: no charge to the caller
    assert channel(rig.peer, context="phones", dest="100") is None


def test_anonymous_caller_passes_the_blacklist_and_rings(rig, world):
    originate(rig.peer, "carrier", DID_ALICE, caller_number="anonymous", caller_name="anonymous",
              variables={"origination_privacy": "hide_name+hide_number"})
    phone = wait_channel(rig.peer, context="phones", dest="100")
    assert phone["cid_num"].lower() in ("anonymous", "0000000000", "")


def test_closed_number_runs_its_closed_treatment(rig, world):
    originate(rig.peer, "carrier", DID_CLOSED, caller_number="4185551234")
    wait_channel(rig.peer, context="phones", dest="103")
    assert channel(rig.peer, context="phones", dest="101") is None
