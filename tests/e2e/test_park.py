"""Call park on the real switch: 700 parks in the account's own lot, 701 takes the call back.

What is checked is what mod_valet_parking really did (its ``valet_parking::info`` events, the
lot ``valet_info`` lists, the channels and bridges of ``show channels`` / ``show calls``) and
what the control plane made of it (``parked_calls`` of the account status).

The slot is announced by mod_valet_parking itself (``valet_announce_ext``, spelled with the
sound packs' digit files, which the rig does not install): the announced slot is the one the
module parked the call in, so the lot and the event are what is asserted.
"""
from __future__ import annotations

import json
from xml.etree import ElementTree

from .calls import channel, getvar, originate, wait_channel
from .esl_client import EslClient
from .rig import wait_for
from .world import ACME


def _valet(events: EslClient, action: str, timeout: float = 15.0) -> dict:
    """The next ``valet_parking::info`` event with this Action (hold, bridge, exit)."""
    def next_one():
        event = events.next_event(0.5)
        return event if event and event.get("Action") == action else None
    return wait_for(next_one, timeout, interval=0, what=f"valet_parking::info Action {action}")


def _lot(rig, lot: str = ACME) -> dict[str, str]:
    """``valet_info``: slot -> parked uuid of the account's lot (empty when the lot is)."""
    root = ElementTree.fromstring(rig.sut.api(f"valet_info {lot}").strip() or "<lots/>")
    return {ext.text.strip(): ext.get("uuid") for node in root.iter("lot") if node.get("name") == lot
            for ext in node.iter("extension")}


def _parked(rig, world) -> list[dict]:
    return rig.operator.get(f"/accounts/{world.acme.id}/status")["parked_calls"]


def _bridged(rig, a: str, b: str) -> bool:
    calls = json.loads(rig.sut.api("show calls as json") or "{}").get("rows") or []
    return any({row.get("uuid"), row.get("b_uuid")} == {a, b} for row in calls)


def test_a_phone_dialing_700_is_parked_in_701_and_a_colleague_dialing_701_takes_the_call(rig, world):
    """100 dials 700: the switch answers it and mod_valet_parking holds it in slot 701 of the
    acme.test lot, shown in the account status as parked by 100. 101 dials 701: the switch
    bridges 101 to the very leg that was parked, and the lot and the list are empty again."""
    events = rig.sut.events("CUSTOM", "valet_parking::info")
    try:
        phone_100 = originate(rig.peer, "acme100", "700", caller_number="100")
        hold = _valet(events, "hold")
        parked = hold["Unique-ID"]
        assert (hold["Valet-Lot-Name"], hold["Valet-Extension"]) == (ACME, "701")
        # show channels is the core database, written a moment after the events: poll it.
        leg = wait_channel(rig.sut, uuid=parked, application="valet_park")
        assert (leg["name"], leg["dest"], leg["callstate"]) == (f"sofia/internal/100@{ACME}", "700", "ACTIVE")
        assert leg["application_data"] == f"{ACME} auto in 701 709"
        assert getvar(rig.sut, parked, "valet_parking_orbit_exten") == "100"  # rings 100 back on timeout
        assert _lot(rig) == {"701": parked}
        [shown] = wait_for(lambda: _parked(rig, world), what="the parked call in the account status")
        assert (shown["slot"], shown["caller_number"], shown["parked_by"]) == ("701", "100", "100")
        assert shown["node"] == "fs1"

        phone_101 = originate(rig.peer, "acme101", "701", caller_number="101")
        bridge = _valet(events, "bridge")
        retriever = bridge["Bridge-To-UUID"]
        assert (bridge["Unique-ID"], bridge["Valet-Extension"]) == (parked, "701")
        assert wait_channel(rig.sut, uuid=retriever)["name"] == f"sofia/internal/101@{ACME}"
        wait_for(lambda: _bridged(rig, parked, retriever), what="101's leg bridged to the parked leg")
        assert _lot(rig) == {}
        wait_for(lambda: _parked(rig, world) == [], what="the parked list to empty")
        # Both phones are still in the call (neither leg was dropped on the way).
        assert channel(rig.peer, uuid=phone_100) and channel(rig.peer, uuid=phone_101)
    finally:
        events.close()


def test_a_phone_blind_transferring_its_caller_to_700_parks_the_caller_for_that_phone(rig, world):
    """100 calls 101; 101's phone blind-transfers (REFER) the call to 700. The switch parks
    100's leg -- an authenticated phone of the account, but not the one that parked it: 101
    is (the leg 100 was bridged to; the peer's REFER carries a Referred-By with no user at
    all, so nothing here comes from that header), and a timed-out call rings 101 back."""
    events = rig.sut.events("CUSTOM", "valet_parking::info")
    try:
        originate(rig.peer, "acme100", "101", caller_number="100")
        answered = wait_channel(rig.peer, context="phones", dest="101", callstate="ACTIVE")
        assert rig.peer.api(f"uuid_deflect {answered['uuid']} sip:700@{ACME}").startswith("+OK")
        hold = _valet(events, "hold")
        parked, slot = hold["Unique-ID"], hold["Valet-Extension"]
        leg = wait_channel(rig.sut, uuid=parked, application="valet_park")
        assert (leg["name"], leg["dest"]) == (f"sofia/internal/100@{ACME}", "700")
        assert getvar(rig.sut, parked, "sip_refer_to") == f"<sip:700@{ACME}>"
        assert getvar(rig.sut, parked, "valet_parking_orbit_exten") == "101"  # never rung back on 100
        assert _lot(rig) == {slot: parked}
        [shown] = wait_for(lambda: _parked(rig, world), what="the parked call in the account status")
        assert (shown["slot"], shown["caller_number"], shown["parked_by"]) == (slot, "100", "101")
        wait_for(lambda: channel(rig.peer, uuid=answered["uuid"]) is None, what="101's phone to be off the call")
    finally:
        events.close()
