"""Voicemail keys 0 / * of an internal caller (issue 7): ``pbx-treatment`` with
``pbx_stage=treatment:<id>`` in the account's context is planned by the treatment planner, with
every re-entry kept in that context; another account's ids are refused."""
from __future__ import annotations

from dataclasses import replace

from fs_service.callplan.internal import plan_internal
from fs_service.callplan.public_model import MenuSnapshot, TreatmentSnapshot
from fs_service.calls.model import CallRequest
from fs_service.calls.steps import (Answer, Hangup, Ivr, Play, Record, RecordClosure, Ring, Set, Transfer, Voicemail,
                                    VoicemailLogin)
from tests.unit.test_callplan_extension import BASE, ROUTING
from tests.unit.test_callplan_internal import Directory
from tests.unit.test_public_plan import World, entry

ALICE = replace(BASE, id=1, number="100", name="Alice", voicemail_box="100")
BRUNO = BASE  # 101, id 7
MENU = MenuSnapshot(20, 1, language="en", keys={"1": 11, "2": 12}, timeout_treatment_id=13, repeat_count=2)
TREATMENTS = {10: TreatmentSnapshot(10, "menu", menu_id=20),
              11: TreatmentSnapshot(11, "extension", extension_id=7),
              12: TreatmentSnapshot(12, "message", message_path="hours.wav", message_then="continue",
                                    next_treatment_id=14),
              13: TreatmentSnapshot(13, "mailbox", mailbox_id=55),
              14: TreatmentSnapshot(14, "voicemail_login"),
              15: TreatmentSnapshot(15, "hangup")}
FOREIGN_MENU = MenuSnapshot(21, 2)


def world() -> World:
    return World(entry(), treatments=dict(TREATMENTS), menus={20: MENU, 21: FOREIGN_MENU},
                 extensions={"100": ALICE, "101": BRUNO})


def internal(stage, destination="pbx-treatment", phone=True, caller=ALICE, **variables):
    """A re-entry in acme.test: Alice's phone (or a guest) with ``pbx_stage`` set by us."""
    if phone:
        variables = {"user_name": caller.number, "domain_name": "acme.test", **variables}
    req = CallRequest("acme.test", destination, "100", "Alice", "u", {"pbx_stage": stage, **variables})
    return plan_internal(req, ROUTING, Directory(caller, BRUNO), world())


def test_key_0_to_a_welcome_menu_runs_it_with_reentries_in_the_accounts_context():
    plan = internal("treatment:10")
    assert plan.steps == (
        Set("pbx_stage", ""), Set("default_language", "en"), Set("sound_prefix", "$${sound_prefix_en}"),
        Set("pbx_stage", "menu:20"), Answer(), Ivr("pbx_menu_20"),
        Set("pbx_stage", "menu-timeout:20"), Transfer("menu-timeout", "acme.test"))
    assert plan.reason == "treatment 10 from voicemail"


def test_a_menu_key_plans_its_treatment():
    plan = internal("menu:20", destination="1")
    assert plan.steps[:2] == (Set("pbx_stage", ""), Set("pbx_menu_failures", ""))
    ring = next(s for s in plan.steps if isinstance(s, Ring))
    assert ring.targets[0].address == "101@acme.test"


def test_message_then_continue_then_voicemail_login():
    assert internal("menu:20", destination="2").steps[2:] == (
        Answer(), Play("hours.wav"), VoicemailLogin("acme.test"))


def test_a_menu_dials_an_extension_and_8500():
    assert any(isinstance(s, Ring) for s in internal("menu:20", destination="101").steps)
    assert internal("menu:20", destination="8500").steps[-1] == VoicemailLogin("acme.test")


def test_8400_in_a_menu_is_for_a_phone_of_the_account_only():
    assert internal("menu:20", destination="8400").steps[-1] == RecordClosure("acme.test", None)
    guest = internal("menu:20", destination="8400", phone=False)
    assert RecordClosure("acme.test", None) not in guest.steps
    assert guest.steps[-1] == Transfer("menu-timeout", "acme.test")  # an invalid choice: the menu again


def test_an_invalid_choice_replays_the_menu_then_times_out():
    again = internal("menu:20", destination="9")
    assert Set("pbx_menu_failures", "1") in again.steps and again.steps[-1] == Transfer("menu-timeout", "acme.test")
    last = internal("menu:20", destination="9", pbx_menu_failures="1")
    assert last.steps[-1] == Voicemail("3000", "acme.test")  # the timeout treatment (mailbox 55)


def test_menu_timeout_plans_the_timeout_treatment():
    assert internal("menu-timeout:20", destination="menu-timeout").steps[-1] == Voicemail("3000", "acme.test")


def test_other_treatments_from_voicemail_keys():
    assert internal("treatment:15").steps == (Set("pbx_stage", ""), Hangup())
    assert internal("treatment:13").steps[-1] == Voicemail("3000", "acme.test")
    ring = next(s for s in internal("treatment:11", destination="101").steps if isinstance(s, Ring))
    assert ring.targets[0].address == "101@acme.test"


def test_a_phones_own_recording_setting_covers_the_extension_it_reaches():
    recorded = replace(ALICE, recording="all")
    assert any(isinstance(s, Record) for s in internal("treatment:11", caller=recorded).steps)


def test_a_guest_gets_the_treatment_too():
    assert internal("treatment:10", phone=False).steps[-1] == Transfer("menu-timeout", "acme.test")


def test_another_accounts_or_unknown_ids_are_refused():
    for stage in ("treatment:99", "menu:21", "menu-timeout:21", "menu:99"):
        plan = internal(stage, destination="1")
        assert plan.steps == (Set("pbx_stage", ""), Hangup("CALL_REJECTED")), stage
