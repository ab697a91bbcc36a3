"""The plan for a call to an extension, setting by setting (EXT-3, FWD-1..3, FMFM-1), as data."""
from __future__ import annotations

from dataclasses import replace

import pytest

from fs_service.callplan.extension_call import FOLLOW_ME_LEG_SECONDS, plan_extension, plan_forward_confirmed
from fs_service.calls.dialing import local_areas
from fs_service.calls.model import AccountRouting, ExtensionSnapshot, FollowMe, Forward, Identity
from fs_service.calls.steps import (RING_FOREVER, Answer, CollectDigits, Hangup, MarkRinging, Play, Record,
                                    RecordPrompt, Ring, Set, Target, Transfer, Voicemail)

ROUTING = AccountRouting(1, "acme.test", "carrier", Identity("Acme", "15145550100"), local_areas(["15145550100"]))
BASE = ExtensionSnapshot(
    id=7, number="101", name="Bruno", language="fr", music_on_hold="default", ring_seconds=20, dnd=False,
    dnd_mode="voicemail", busy_behaviour="ring", voicemail_box="101", forward=None, follow_me=None,
    recording="disabled", pickup_allowed=True, long_distance="unlimited", long_distance_code=None,
    international="disabled", international_code=None, identity=Identity(None, None))


def ext(**changes) -> ExtensionSnapshot:
    return replace(BASE, **changes)


def steps_of(plan, *kinds):
    return [step for step in plan.steps if isinstance(step, kinds)]


def only(plan, kind):
    found = steps_of(plan, kind)
    assert len(found) == 1, found
    return found[0]


def test_plain_extension_rings_for_its_duration_then_voicemail():
    plan = plan_extension(ext(), ROUTING)
    ring = only(plan, Ring)
    assert ring.targets == (Target("user", "101@acme.test"),) and ring.timeout == 20
    assert plan.steps[-1] == Voicemail("101", "acme.test", greeting="auto")
    assert Set("default_language", "fr") in plan.steps and MarkRinging("acme.test", "101") in plan.steps


@pytest.mark.parametrize("changes", [dict(ring_seconds=0), dict(voicemail_box=None)])
def test_ring_zero_or_no_voicemail_rings_forever_never_zero(changes):
    plan = plan_extension(ext(**changes), ROUTING)
    assert only(plan, Ring).timeout == RING_FOREVER


def test_no_voicemail_after_no_answer_hangs_up_with_no_answer():
    assert plan_extension(ext(voicemail_box=None), ROUTING).steps[-1] == Hangup("NO_ANSWER")


def test_language_sets_prompt_language_and_sound_prefix():
    plan = plan_extension(ext(language="en"), ROUTING)
    assert Set("default_language", "en") in plan.steps
    assert Set("sound_prefix", "$${sound_prefix_en}") in plan.steps


@pytest.mark.parametrize("mode,last", [("voicemail", Voicemail("101", "acme.test", greeting="auto")),
                                       ("busy", Hangup("USER_BUSY"))])
def test_dnd_never_rings(mode, last):
    plan = plan_extension(ext(dnd=True, dnd_mode=mode), ROUTING)
    assert not steps_of(plan, Ring) and plan.steps[-1] == last


def test_dnd_wins_over_forward_always():
    plan = plan_extension(ext(dnd=True, forward=Forward("always", "5145551234", False)), ROUTING)
    assert not steps_of(plan, Ring, Transfer)


def test_busy_callee_with_message_hears_busy_prompt():
    plan = plan_extension(ext(busy=True, busy_behaviour="message"), ROUTING)
    assert steps_of(plan, Play) == [Play("pbx/user-busy.wav")] and plan.steps[-1] == Hangup("USER_BUSY")


def test_busy_callee_with_voicemail_goes_to_busy_greeting():
    plan = plan_extension(ext(busy=True, busy_behaviour="voicemail"), ROUTING)
    assert plan.steps[-1] == Voicemail("101", "acme.test", greeting="busy") and not steps_of(plan, Ring)


def test_busy_callee_with_ring_behaviour_rings_anyway():
    assert steps_of(plan_extension(ext(busy=True, busy_behaviour="ring"), ROUTING), Ring)


def test_forward_always_to_external_rings_only_the_number_with_callee_identity():
    plan = plan_extension(ext(forward=Forward("always", "5145551234", False),
                              identity=Identity("Bruno G", "15145550199")), ROUTING)
    ring = only(plan, Ring)
    assert ring.targets == (Target("gateway", "15145551234", gateway="carrier"),)
    assert (ring.caller_id_name, ring.caller_id_number) == ("Bruno G", "15145550199")
    assert plan.steps[-1] == Voicemail("101", "acme.test", greeting="auto")


def test_forward_without_extension_identity_uses_the_account_number():
    ring = only(plan_extension(ext(forward=Forward("always", "5145551234", False)), ROUTING), Ring)
    assert ring.caller_id_number == "15145550100"


def test_hidden_callee_forwards_privately_with_the_number_kept_for_the_carrier():
    plan = plan_extension(ext(forward=Forward("simultaneous", "5145551234", False),
                              identity=Identity(None, None, hidden=True)), ROUTING)
    carrier = only(plan, Ring).targets[1]
    assert carrier.kind == "gateway" and carrier.privacy
    assert (carrier.caller_id_name, carrier.caller_id_number) == ("Acme", "15145550100")


def test_forward_to_a_number_the_callee_may_not_call_is_skipped():
    plan = plan_extension(ext(forward=Forward("always", "0113312345678", False)), ROUTING)
    assert not steps_of(plan, Ring) and plan.steps[-1] == Voicemail("101", "acme.test", greeting="auto")


def test_forward_always_to_an_extension_transfers_to_it_with_a_hop_count():
    plan = plan_extension(ext(forward=Forward("always", "102", True)), ROUTING)
    assert Transfer("102", "acme.test") in plan.steps and Set("pbx_forward_hops", "1") in plan.steps


def test_forward_loops_stop_after_three_hops():
    plan = plan_extension(ext(forward=Forward("always", "102", True)), ROUTING, hops=3)
    assert not steps_of(plan, Transfer)


def test_forward_on_no_answer_rings_extension_first_then_destination():
    plan = plan_extension(ext(forward=Forward("no_answer", "5145551234", False)), ROUTING)
    first, second = steps_of(plan, Ring)
    assert first.targets == (Target("user", "101@acme.test"),) and first.timeout == 20
    assert second.targets[0].kind == "gateway"


def test_forward_simultaneous_rings_both_in_parallel():
    plan = plan_extension(ext(forward=Forward("simultaneous", "5145551234", False)), ROUTING)
    ring = only(plan, Ring)
    assert [t.kind for t in ring.targets] == ["user", "gateway"] and not ring.sequential


def test_forward_simultaneous_to_an_extension_rings_both_extensions():
    ring = only(plan_extension(ext(forward=Forward("simultaneous", "102", True)), ROUTING), Ring)
    assert ring.targets == (Target("user", "101@acme.test"), Target("user", "102@acme.test"))


def test_forward_confirm_asks_the_caller_to_press_1_after_the_ring_time():
    plan = plan_extension(ext(forward=Forward("confirm", "5145551234", False)), ROUTING)
    collect = only(plan, CollectDigits)
    assert collect.regex == "1" and collect.prompt == "pbx/press-1-to-forward.wav"
    assert Set("pbx_stage", "forward-confirm:7") in plan.steps and plan.steps[-1] == Transfer("101", "acme.test")


def test_forward_confirmed_with_1_rings_destination_else_voicemail():
    pressed = plan_forward_confirmed(ext(forward=Forward("confirm", "5145551234", False)), ROUTING, "1", 0)
    assert any(isinstance(step, Ring) for step in pressed)
    declined = plan_forward_confirmed(ext(forward=Forward("confirm", "5145551234", False)), ROUTING, "", 0)
    assert not any(isinstance(step, Ring) for step in declined)
    assert declined[-1] == Voicemail("101", "acme.test", greeting="auto")


FM = FollowMe("5145557777", ring_seconds=15, music_on_hold=False, screening=False, skip_greeting=False,
              pass_caller_id=False, extra_attempts=0)


def test_follow_me_rings_extension_for_its_time_then_the_number():
    plan = plan_extension(ext(follow_me=FM), ROUTING, caller_name="Client", caller_number="4185551234")
    first, second = steps_of(plan, Ring)
    assert first.timeout == 15 and second.targets == (Target("gateway", "15145557777", gateway="carrier"),)
    assert second.timeout == FOLLOW_ME_LEG_SECONDS and second.caller_id_number == "15145550100"


def test_follow_me_options_moh_screening_caller_id_attempts_skip_greeting():
    fm = replace(FM, music_on_hold=True, screening=True, pass_caller_id=True, extra_attempts=2, skip_greeting=True)
    plan = plan_extension(ext(follow_me=fm, music_on_hold="jazz"), ROUTING, caller_name="Client",
                          caller_number="4185551234")
    leg = steps_of(plan, Ring)[1]
    assert leg.ringback == "local_stream://jazz"
    assert leg.confirm.key == "1" and leg.confirm.prompts[1] == only(plan, RecordPrompt).path
    assert (leg.caller_id_name, leg.caller_id_number) == ("Client", "4185551234")
    assert len(leg.targets) == 3 and leg.sequential
    assert plan.steps[-1] == Voicemail("101", "acme.test", greeting="auto", skip_greeting=True)
    assert Answer() in plan.steps


def test_forward_wins_over_follow_me():
    plan = plan_extension(ext(forward=Forward("always", "5145551234", False), follow_me=FM), ROUTING)
    assert len(steps_of(plan, Ring)) == 1 and "forward" in plan.reason


@pytest.mark.parametrize("recording,record", [("inbound", True), ("all", True), ("outbound", False),
                                              ("disabled", False)])
def test_inbound_recording_by_callee_setting(recording, record):
    plan = plan_extension(ext(recording=recording), ROUTING)
    assert bool(steps_of(plan, Record)) is record


def test_caller_outbound_recording_records_internal_calls_too():
    assert steps_of(plan_extension(ext(), ROUTING, record=True), Record)
