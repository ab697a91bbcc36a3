"""plan_extension is memoised per snapshot object: the same plan object (and so the same
rendered document) serves every call to an unchanged extension, and nothing that changes the
plan is ever ignored."""
from __future__ import annotations

from fs_service.callplan.extension_call import plan_extension
from fs_service.calls.model import FollowMe
from fs_service.calls.steps import Plan, Ring
from tests.unit.test_callplan_extension import ROUTING, ext
from tests.unit.test_dialplan_render import OPTIONS
from xml_curl.dialplan import render

FOLLOW = FollowMe("5145557777", 15, False, False, False, False, 0)


def test_an_unchanged_extension_gets_the_same_shared_plan_and_document():
    callee = ext()
    first = plan_extension(callee, ROUTING, caller_name="Alice", caller_number="100")
    again = plan_extension(callee, ROUTING, caller_name="Bob", caller_number="102")
    assert first is again and first.shared
    assert render(first, "acme.test", OPTIONS) is render(again, "acme.test", OPTIONS)


def test_the_call_facts_that_change_a_plan_are_part_of_the_key():
    callee = ext(recording="disabled")
    plain = plan_extension(callee, ROUTING)
    assert plan_extension(callee, ROUTING, record=True) != plain
    assert plan_extension(callee, ROUTING, hops=1) is not plain
    passing = ext(follow_me=FollowMe("5145557777", 15, False, False, False, True, 0))
    by_alice = plan_extension(passing, ROUTING, caller_name="Alice", caller_number="100")
    by_bob = plan_extension(passing, ROUTING, caller_name="Bob", caller_number="102")
    assert [s.caller_id_number for s in by_alice.steps if isinstance(s, Ring)][-1] == "100"
    assert [s.caller_id_number for s in by_bob.steps if isinstance(s, Ring)][-1] == "102"


def test_new_settings_are_a_new_snapshot_and_a_new_plan():
    before = plan_extension(ext(ring_seconds=20), ROUTING)
    after = plan_extension(ext(ring_seconds=35), ROUTING)
    assert [s.timeout for s in after.steps if isinstance(s, Ring)] == [35]
    assert before is not after and render(before, "acme.test", OPTIONS) != render(after, "acme.test", OPTIONS)


def test_a_busy_callee_is_planned_for_this_call_only():
    callee = ext(busy=True, busy_behaviour="message")
    plan = plan_extension(callee, ROUTING)
    assert not plan.shared and plan_extension(callee, ROUTING) is not plan


def test_sharing_does_not_change_equality():
    callee = ext(follow_me=FOLLOW)
    shared = plan_extension(callee, ROUTING)
    assert shared == Plan(shared.steps, shared.reason)
