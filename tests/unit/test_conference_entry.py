"""Planning the phone entry of a room (CONF-1, CONF-3): room number then code, right / wrong /
early / late / ended, attempt limits; and the time rules (10 min early, 3 h cut)."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from fs_service.calls import stages
from fs_service.calls.model import CallRequest
from fs_service.calls.steps import CollectDigits, Hangup, JoinConference, Play, RecordPrompt, Set, Transfer
from fs_service.conferences import entry, rules
from fs_service.conferences.entry_model import Admission, RoomEntry

START = datetime(2026, 12, 10, 19, 0, tzinfo=timezone.utc)
PERMANENT = RoomEntry(1, "4321", "4321-acme.test", "permanent", None, 180, "fr")
SINGLE = RoomEntry(2, "5555", "5555-acme.test", "single_use", START, 60, "en")


class Book:
    """The rooms of one account, in memory, recording what the entry wrote."""

    def __init__(self, *rooms: RoomEntry) -> None:
        self.rooms = {r.id: r for r in rooms}
        self.codes = {(1, "1111"): Admission("participant"), (1, "9999"): Admission("admin"),
                      (2, "2222"): Admission("participant", 7, "Bob"), (2, "8888"): Admission("admin", 8, "Ann")}
        self.failures: list[int] = []
        self.admitted: list[tuple] = []

    def room_by_number(self, number):
        return next((r for r in self.rooms.values() if r.number == number), None)

    def room_by_id(self, room_id):
        return self.rooms.get(room_id)

    def admission(self, room_id, code):
        return self.codes.get((room_id, code))

    def failures_since(self, room_id, since):
        return self.failures.count(room_id)

    def record_failure(self, room_id, caller):
        self.failures.append(room_id)

    def let_in(self, room_id, uuid, admission, caller_number):
        self.admitted.append((room_id, uuid, admission.role, caller_number))

    def name_file(self, uuid):
        return f"/storage/acme.test/conferences/name-{uuid}.wav"


def request(stage: str, **variables) -> CallRequest:
    return CallRequest("acme.test", "8300", "101", "Alice", "uuid-1", {stages.VARIABLE: stage, **variables})


def step(plan, kind):
    return [s for s in plan.steps if isinstance(s, kind)]


def test_8300_asks_the_room_number_then_re_enters_with_the_room_stage():
    plan = entry.plan_start("acme.test", "fr")
    collect, = step(plan, CollectDigits)
    assert collect.variable == entry.ROOM_VARIABLE and collect.prompt == "pbx/conf-enter-room.wav"
    assert (collect.min_digits, collect.max_digits) == (4, 5)  # the # ends the input, never left over
    assert Set(stages.VARIABLE, "conference-room:1") in plan.steps
    assert plan.steps[-1] == Transfer("8300", "acme.test")


def test_a_known_room_asks_the_code_in_the_room_language():
    book = Book(PERMANENT, SINGLE)
    plan = entry.plan_room(request("conference-room:1", pbx_conf_room="5555"), book, "acme.test", 1, START)
    assert Set("sound_prefix", "$${sound_prefix_en}") in plan.steps
    assert Set(stages.VARIABLE, "conference-code:2.1") in plan.steps
    assert step(plan, CollectDigits)[0].variable == entry.CODE_VARIABLE


def test_an_unknown_room_is_asked_again_then_goodbye_after_three_tries():
    book = Book(PERMANENT)
    again = entry.plan_room(request("", pbx_conf_room="0000"), book, "acme.test", 1, START)
    assert Play("pbx/conf-bad-room.wav") in again.steps and Set(stages.VARIABLE, "conference-room:2") in again.steps
    last = entry.plan_room(request("", pbx_conf_room="0000"), book, "acme.test", 3, START)
    assert Play("pbx/conf-too-many.wav") in last.steps and last.steps[-1] == Hangup()


@pytest.mark.parametrize("minutes_before, joinable", [(11, False), (10, True), (9, True), (0, True)])
def test_a_single_use_room_opens_ten_minutes_before_its_start(minutes_before, joinable):
    now = START - timedelta(minutes=minutes_before)
    plan = entry.plan_room(request("", pbx_conf_room="5555"), Book(SINGLE), "acme.test", 1, now)
    assert bool(step(plan, CollectDigits)) is joinable
    if not joinable:
        assert Play("pbx/conf-too-early.wav") in plan.steps and plan.steps[-1] == Hangup()


def test_a_single_use_room_is_refused_after_its_planned_end_plus_grace():
    end = START + timedelta(minutes=60) + rules.GRACE
    open_plan = entry.plan_room(request("", pbx_conf_room="5555"), Book(SINGLE), "acme.test", 1,
                                end - timedelta(seconds=1))
    late = entry.plan_room(request("", pbx_conf_room="5555"), Book(SINGLE), "acme.test", 1, end)
    assert step(open_plan, CollectDigits)
    assert Play("pbx/conf-ended.wav") in late.steps and late.steps[-1] == Hangup()


def test_a_participant_code_joins_without_moderator_and_is_remembered_by_uuid():
    book = Book(SINGLE)
    plan = entry.plan_code(request("", pbx_conf_code="2222"), book, "acme.test", 2, 1, START)
    assert step(plan, JoinConference) == [JoinConference("5555-acme.test", "en", moderator=False)]
    assert book.admitted == [(2, "uuid-1", "participant", "101")]
    # marked before anything can end the call: its hangup closes an attendance that never joined
    assert plan.steps.index(Set("pbx_conf_expected", "true")) < plan.steps.index(step(plan, JoinConference)[0])


def test_a_room_announcing_members_records_the_name_before_the_join():
    plan = entry.plan_code(request("", pbx_conf_code="2222"), Book(replace(SINGLE, announce=True)), "acme.test", 2, 1,
                           START)
    kinds = [type(s) for s in plan.steps]
    say = plan.steps.index(Play("pbx/conf-say-name.wav"))
    assert plan.steps[say + 1] == RecordPrompt("/storage/acme.test/conferences/name-uuid-1.wav", 4)
    assert kinds.index(JoinConference) == say + 2


def test_a_room_without_announcements_asks_no_name():
    plan = entry.plan_code(request("", pbx_conf_code="2222"), Book(SINGLE), "acme.test", 2, 1, START)
    assert not step(plan, RecordPrompt) and Play("pbx/conf-say-name.wav") not in plan.steps


def test_an_admin_code_joins_as_moderator():
    plan = entry.plan_code(request("", pbx_conf_code="8888"), Book(SINGLE), "acme.test", 2, 1, START)
    assert step(plan, JoinConference)[0].moderator is True


def test_a_wrong_code_is_counted_and_asked_again_up_to_three_times():
    book = Book(SINGLE)
    again = entry.plan_code(request("", pbx_conf_code="0000"), book, "acme.test", 2, 1, START)
    assert Play("pbx/conf-bad-code.wav") in again.steps and Set(stages.VARIABLE, "conference-code:2.2") in again.steps
    last = entry.plan_code(request("", pbx_conf_code="0000"), book, "acme.test", 2, 3, START)
    assert not step(last, CollectDigits) and last.steps[-1] == Hangup()
    assert book.failures == [2, 2] and book.admitted == []


def test_a_room_with_too_many_recent_wrong_codes_accepts_no_code_not_even_a_right_one():
    book = Book(SINGLE)
    book.failures = [2] * entry.ROOM_FAILURES
    plan = entry.plan_code(request("", pbx_conf_code="8888"), book, "acme.test", 2, 1, START)
    assert not step(plan, JoinConference) and Play("pbx/conf-too-many.wav") in plan.steps


def test_a_code_stage_naming_another_accounts_room_is_a_goodbye():
    plan = entry.plan_stage(request("conference-code:99.1", pbx_conf_code="1111"), Book(PERMANENT), "acme.test",
                            stages.CONFERENCE_CODE, "99.1", START)
    assert not step(plan, JoinConference) and plan.steps[-1] == Hangup()


def test_any_room_is_cut_three_hours_after_it_started_and_single_use_at_its_planned_end():
    started = START
    assert rules.seconds_left(PERMANENT, started, started) == 3 * 3600
    assert rules.seconds_left(PERMANENT, started, started + timedelta(hours=4)) == 0
    assert rules.seconds_left(SINGLE, started, started) == (60 * 60 + int(rules.GRACE.total_seconds()))
    early = RoomEntry(3, "7777", "7777-acme.test", "single_use", START, 180, "fr")
    assert rules.seconds_left(early, START - timedelta(minutes=10), START - timedelta(minutes=10)) == 3 * 3600
