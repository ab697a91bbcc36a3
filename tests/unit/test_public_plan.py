"""The public planner as data: numbers, screening, treatments, menus and re-entries, with an
in-memory world (no database) and an explicit "now"."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, time
from zoneinfo import ZoneInfo

from fs_service.blacklist.match import Matcher, Rule, caller_forms
from fs_service.callplan.public import plan_public
from fs_service.callplan.public_model import MenuSnapshot, NumberEntry, TreatmentSnapshot
from fs_service.calls.model import CallRequest
from fs_service.calls.steps import (Answer, Hangup, Ivr, Play, RecordClosure, Ring, Set, Transfer, Voicemail,
                                    VoicemailLogin)
from fs_service.numbers.schedule_rules import NumberRules, WeeklyRange
from tests.unit.test_callplan_extension import ROUTING, ext

TORONTO = ZoneInfo("America/Toronto")
OPEN_AT = datetime(2026, 7, 6, 10, 0, tzinfo=TORONTO)  # Monday
CLOSED_AT = datetime(2026, 7, 6, 20, 0, tzinfo=TORONTO)
NINE_TO_FIVE = tuple(WeeklyRange(d + 1, d, time(9), time(17)) for d in range(5))


@dataclass
class World:
    """The planner's questions answered from dicts."""
    entry: NumberEntry
    treatments: dict[int, TreatmentSnapshot] = field(default_factory=dict)
    menus: dict[int, MenuSnapshot] = field(default_factory=dict)
    extensions: dict[str, object] = field(default_factory=lambda: {"101": ext(), "102": ext(id=8, number="102")})
    rules: tuple[Rule, ...] = ()

    def number_by_e164(self, e164):
        return self.entry if e164 == self.entry.e164 else None

    def number_by_id(self, number_id):
        return self.entry if number_id == self.entry.id else None

    def screen(self, entry, caller_number, variables):
        return Matcher(self.rules).screen(caller_forms(caller_number, variables))

    def treatment(self, account_id, treatment_id):
        return self.treatments.get(treatment_id) if account_id == self.entry.account_id else None

    def menu(self, account_id, menu_id):
        found = self.menus.get(menu_id)
        return found if found and found.account_id == account_id else None

    def mailbox_number(self, account_id, mailbox_id):
        return {55: "3000"}.get(mailbox_id)

    def directory(self, entry):
        world = self

        class Directory:
            def extension(self, number):
                return world.extensions.get(number)

            def extension_by_id(self, extension_id):
                return next((e for e in world.extensions.values() if e.id == extension_id), None)

            def standalone_mailbox(self, number):
                return {"3000": "3000"}.get(number)
        return Directory()

    def routing(self, entry):
        return ROUTING


def entry(**changes) -> NumberEntry:
    base = NumberEntry(id=4, account_id=1, domain="acme.test", e164="+15145550100",
                       rules=NumberRules("America/Toronto", NINE_TO_FIVE, (), open_treatment_id=1,
                                         closed_treatment_id=2))
    return replace(base, **changes)


def world(**changes) -> World:
    found = World(entry(**changes.pop("entry", {})), **changes)
    found.treatments = {1: TreatmentSnapshot(1, "extension", extension_id=7),
                        2: TreatmentSnapshot(2, "message", message_path="closed.wav"), **found.treatments}
    return found


def request(destination="5145550100", caller="4185551234", **variables) -> CallRequest:
    return CallRequest("public", destination, caller, "Client Inc", "uuid-1", variables)


def plan(w: World, at=OPEN_AT, **kw):
    return plan_public(request(**kw), w, lambda: at)


def test_every_carrier_form_of_the_did_finds_the_number():
    for dialed in ("5145550100", "15145550100", "+15145550100"):
        assert plan(world(), destination=dialed).steps[0] == Set("pbx_number_id", "4")


def test_unknown_or_malformed_destination_is_unallocated():
    for dialed in ("5145550199", "100", "anonymous", ""):
        assert plan(world(), destination=dialed).steps == (Hangup("UNALLOCATED_NUMBER"),)


def test_open_rings_the_extension_inline_never_through_the_account_context():
    steps = plan(world()).steps
    ring = next(s for s in steps if isinstance(s, Ring))
    assert ring.targets[0].address == "101@acme.test" and steps[-1] == Voicemail("101", "acme.test", greeting="auto")
    assert not [s for s in steps if isinstance(s, Transfer)]


def test_closed_plays_the_closed_message_and_says_why():
    found = plan(world(), at=CLOSED_AT)
    assert found.steps[1:] == (Answer(), Play("closed.wav"), Hangup())
    assert "closed: outside business hours (Monday 20:00)" in found.reason


def test_closure_message_only_before_the_usual_closed_behaviour():
    w = world(entry=dict(closure_message="/msg/closure.wav"))
    assert plan(w, at=CLOSED_AT).steps[1:] == (Answer(), Play("/msg/closure.wav"), Play("closed.wav"), Hangup())
    assert Play("/msg/closure.wav") not in plan(w).steps


def test_blocked_caller_is_rejected_and_nothing_else_happens():
    found = plan(world(rules=(Rule(1, "block", "equals", "4185551234"),)))
    assert found.steps == (Hangup("CALL_REJECTED"),) and "rule #1" in found.reason


def test_missing_treatments_fall_back_to_clear_messages():
    w = world(entry=dict(rules=NumberRules("America/Toronto", NINE_TO_FIVE)))
    assert Play("pbx/not-in-service.wav") in plan(w).steps
    assert Play("pbx/office-closed.wav") in plan(w, at=CLOSED_AT).steps


def test_message_then_continue_follows_the_chain_and_stops_a_loop():
    w = world(treatments={1: TreatmentSnapshot(1, "message", message_path="a.wav", message_then="continue",
                                               next_treatment_id=3),
                          3: TreatmentSnapshot(3, "message", message_path="b.wav", message_then="continue",
                                               next_treatment_id=1)})
    plays = [s.file for s in plan(w).steps if isinstance(s, Play)]
    assert plays == ["a.wav", "b.wav"] and plan(w).steps[-1] == Hangup()


def test_mailbox_and_voicemail_login_treatments():
    w = world(treatments={1: TreatmentSnapshot(1, "mailbox", mailbox_id=55),
                          2: TreatmentSnapshot(2, "voicemail_login")})
    assert plan(w).steps[-1] == Voicemail("3000", "acme.test")
    assert plan(w, at=CLOSED_AT).steps[-1] == VoicemailLogin("acme.test")


def menu_world(**menu_changes) -> World:
    menu = replace(MenuSnapshot(9, 1, keys={"1": 3}, timeout_treatment_id=2, repeat_count=3), **menu_changes)
    return world(treatments={1: TreatmentSnapshot(1, "menu", menu_id=9), 3: TreatmentSnapshot(3, "hangup")},
                 menus={9: menu})


def test_menu_treatment_answers_runs_ivr_and_comes_back_for_the_timeout():
    steps = plan(menu_world()).steps
    assert steps[-4:] == (Answer(), Ivr("pbx_menu_9"), Set("pbx_stage", "menu-timeout:9"),
                          Transfer("menu-timeout", "public"))
    assert Set("pbx_stage", "menu:9") in steps


def test_menu_reentries_key_8500_8400_extension_invalid_and_timeout():
    w, stage = menu_world(), dict(pbx_number_id="4", pbx_stage="menu:9")
    assert plan(w, destination="1", **stage).steps[-1] == Hangup()
    assert plan(w, destination="8500", **stage).steps[-1] == VoicemailLogin("acme.test")
    assert plan(w, destination="8400", **stage).steps[-1] == RecordClosure("acme.test", 4)
    assert any(isinstance(s, Ring) for s in plan(w, destination="102", **stage).steps)
    invalid = plan(w, destination="77", **stage).steps
    assert Set("pbx_menu_failures", "1") in invalid and Play("pbx/menu-invalid.wav") in invalid
    last = plan(w, destination="77", pbx_menu_failures="2", **stage).steps
    assert Play("closed.wav") in last and Ivr("pbx_menu_9") not in last
    timeout = plan(w, destination="menu-timeout", pbx_number_id="4", pbx_stage="menu-timeout:9").steps
    assert Play("closed.wav") in timeout


def test_dial_by_extension_off_refuses_extensions_but_not_8500():
    w, stage = menu_world(dial_by_extension=False), dict(pbx_number_id="4", pbx_stage="menu:9")
    assert not any(isinstance(s, Ring) for s in plan(w, destination="102", **stage).steps)
    assert plan(w, destination="8500", **stage).steps[-1] == VoicemailLogin("acme.test")


def test_a_menu_that_times_out_into_itself_hangs_up_instead_of_looping():
    w = menu_world(timeout_treatment_id=1)
    steps = plan(w, destination="menu-timeout", pbx_number_id="4", pbx_stage="menu-timeout:9").steps
    assert steps[-1] == Hangup() and Ivr("pbx_menu_9") not in steps


def test_reentry_for_an_unknown_number_id_is_treated_as_a_new_call():
    assert plan(world(), pbx_number_id="99").steps[0] == Set("pbx_number_id", "4")


def test_blind_transfer_of_an_inbound_call_stays_within_the_account():
    w, again = world(), dict(pbx_number_id="4")
    assert any(isinstance(s, Ring) for s in plan(w, destination="102", **again).steps)
    assert plan(w, destination="3000", **again).steps[-1] == Voicemail("3000", "acme.test")
    assert plan(w, destination="8500", **again).steps[-1] == VoicemailLogin("acme.test")
    assert plan(w, destination="5145551234", **again).steps[-1] == Hangup("CALL_REJECTED")  # no transferring phone


def test_a_conference_treatment_sends_the_caller_to_the_room_entry_in_the_accounts_context():
    w = world(treatments={1: TreatmentSnapshot(1, "conference"), 2: TreatmentSnapshot(2, "conference")})
    assert plan(w).steps[-1] == Transfer("8300", "acme.test")
    assert plan(w, at=CLOSED_AT).steps[-1] == Transfer("8300", "acme.test")
