"""Call park as data and as dialplan actions (PARK-1): who parks, who is rung back, which lot."""
from __future__ import annotations

from dataclasses import replace

from fs_service.callplan.internal import plan_internal
from fs_service.calls.model import CallRequest
from fs_service.calls.park import plan_park
from fs_service.calls.steps import Answer, Hangup, Park, Plan, RetrieveParked, Transfer
from fs_service.park.lot import ParkPlan
from tests.unit.test_callplan_extension import BASE, ROUTING
from tests.unit.test_callplan_internal import Directory
from tests.unit.test_dialplan_render import OPTIONS, actions
from xml_curl.dialplan import render

LOT = ParkPlan("acme.test", "700", 701, 709, 120)
ALICE = replace(BASE, id=1, number="100", name="Alice", music_on_hold="moh")


def test_700_answers_parks_in_the_lowest_free_slot_and_rings_the_parker_back():
    plan = plan_park("700", LOT, "acme.test", ALICE)
    assert plan.steps == (Answer(), Park("acme.test", 701, 709, 120, "100", "acme.test", "moh"), Hangup())


def test_a_slot_retrieves_that_slot_and_hangs_up_cleanly_when_it_is_empty():
    assert plan_park("703", LOT, "acme.test", None).steps == (Answer(), RetrieveParked("acme.test", 703), Hangup())
    assert plan_park("710", LOT, "acme.test", ALICE) is None


def test_a_blind_transferred_caller_rings_back_the_phone_that_transferred_it():
    plan = plan_park("700", LOT, "acme.test", None, transferor=ALICE)
    park = plan.steps[1]
    assert (park.return_to, park.return_context, park.timeout) == ("100", "acme.test", 120)
    assert plan.steps[-1] == Transfer("100", "acme.test")  # lot full or # pressed: back to the parker


def test_a_guest_nobody_parked_waits_without_ring_back_and_hears_music():
    park = plan_park("700", LOT, "acme.test", None).steps[1]
    assert (park.return_to, park.timeout, park.music) == (None, 0, "default")


class ParkingDirectory(Directory):
    def park_plan(self, destination, caller, transferor=None):
        return plan_park(destination, LOT, "acme.test", caller, transferor)


def test_the_internal_planner_finds_the_transferor_only_for_guests_of_this_account():
    directory = ParkingDirectory(ALICE, BASE, legs={"leg-101": "101", "leg-555": "555"})
    guest = CallRequest("acme.test", "700", "4185551234", "Client", "u", {"last_bridge_to": "leg-101"})
    assert plan_internal(guest, ROUTING, directory).steps[1].return_to == "101"
    stranger = replace(guest, variables={"last_bridge_to": "leg-555", "sip_h_Referred-By": "<sip:101@acme.test>"})
    assert plan_internal(stranger, ROUTING, directory).steps[1].return_to is None
    own = CallRequest("acme.test", "700", "100", "Alice", "u",
                      {"user_name": "100", "domain_name": "acme.test", "last_bridge_to": "leg-101"})
    assert plan_internal(own, ROUTING, directory).steps[1].return_to == "100"


def test_a_phone_blind_transferring_its_internal_caller_to_700_is_the_parker_not_the_caller():
    """On an internal call the transferred party is an authenticated phone itself (seen on a
    real switch: 101 REFERs 100 to 700, 100's own leg re-enters at 700 with sip_refer_to)."""
    directory = ParkingDirectory(ALICE, replace(BASE, id=2, number="101", name="Bruno"), legs={"leg-101": "101"})
    alice = {"user_name": "100", "domain_name": "acme.test", "sip_refer_to": "<sip:700@acme.test>"}
    transferred = CallRequest("acme.test", "700", "100", "Alice", "u", {**alice, "last_bridge_to": "leg-101"})
    plan = plan_internal(transferred, ROUTING, directory)
    assert (plan.steps[1].return_to, plan.steps[-1]) == ("101", Transfer("101", "acme.test"))
    anonymous = replace(transferred, variables={**alice, "last_bridge_to": "leg-gone"})
    assert plan_internal(anonymous, ROUTING, directory).steps[1].return_to is None  # nobody to ring back
    earlier = replace(transferred, variables={**alice, "sip_refer_to": "<sip:103@acme.test>",
                                              "last_bridge_to": "leg-101"})
    assert plan_internal(earlier, ROUTING, directory).steps[1].return_to == "100"  # a REFER to elsewhere


def test_park_renders_every_ring_back_variable_then_valet_park_auto_in():
    xml = render(plan_park("700", LOT, "acme.test", ALICE), "acme.test", OPTIONS)
    assert actions(xml) == [
        ("answer", ""), ("set", "valet_parking_timeout=120"), ("set", "valet_parking_orbit_exten=100"),
        ("set", "valet_parking_orbit_dialplan=XML"), ("set", "valet_parking_orbit_context=acme.test"),
        ("set", "valet_hold_music=local_stream://moh"), ("valet_park", "acme.test auto in 701 709"),
        ("hangup", "NORMAL_CLEARING")]


def test_a_park_without_ring_back_clears_what_an_earlier_park_left_on_the_channel():
    found = actions(render(Plan.of(Park("acme.test", 701, 709)), "acme.test", OPTIONS))
    assert found[:4] == [("set", "valet_parking_timeout="), ("set", "valet_parking_orbit_exten="),
                         ("set", "valet_parking_orbit_dialplan="), ("set", "valet_parking_orbit_context=")]


def test_retrieve_takes_only_that_slot_and_never_parks_the_caller_for_long():
    found = actions(render(Plan.of(RetrieveParked("acme.test", 701)), "acme.test", OPTIONS))
    assert found == [("set", "valet_parking_orbit_exten="), ("set", "valet_parking_timeout=3"),
                     ("valet_park", "acme.test auto out 701 701")]
