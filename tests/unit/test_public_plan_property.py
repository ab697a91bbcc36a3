"""Property (HRS-7): over random schedules, exceptions and instants, the real call plan always
does what the preview says — same state's treatment, closure message exactly when the
preview says the usual closed behaviour applies."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from hypothesis import given, settings, strategies as st

from fs_service.callplan.public import plan_public
from fs_service.callplan.public_model import TreatmentSnapshot
from fs_service.calls.steps import Play
from fs_service.numbers.schedule_rules import ClosureException, NumberRules, WeeklyRange, decide
from tests.unit.test_public_plan import World, entry, request

ZONES = ("America/Toronto", "America/Vancouver", "America/St_Johns", "Europe/Paris", "Australia/Lord_Howe", "UTC")
minutes = st.integers(0, 24 * 60 - 1).map(lambda m: time(m // 60, m % 60))
days = st.dates(date(2023, 1, 1), date(2029, 12, 31))


@st.composite
def ranges(draw) -> tuple[WeeklyRange, ...]:
    items = draw(st.lists(st.tuples(st.integers(0, 6), minutes, minutes), max_size=8))
    return tuple(WeeklyRange(i + 1, d, a, b) for i, (d, a, b) in enumerate(items))


@st.composite
def exceptions(draw) -> tuple[ClosureException, ...]:
    found = []
    for i in range(draw(st.integers(0, 5))):
        start = draw(days)
        end = start + timedelta(days=draw(st.integers(0, 40)))
        all_day = draw(st.booleans())
        a, b = sorted(draw(st.tuples(minutes, minutes)))
        treatment = draw(st.sampled_from([None, 100 + i]))
        found.append(ClosureException(10 + i, start, end, all_day, None if all_day else a, None if all_day else b,
                                      draw(st.booleans()), treatment))
    return tuple(found)


instants = st.datetimes(datetime(2023, 1, 1), datetime(2030, 1, 1), timezones=st.just(timezone.utc))


def message_world(rules: NumberRules) -> World:
    """Every treatment plays its own file, so the plan shows which one it chose."""
    treatments = {t: TreatmentSnapshot(t, "message", message_path=f"t{t}.wav") for t in (1, 2, *range(100, 106))}
    return World(entry(rules=rules, closure_message="closure.wav"), treatments=treatments)


def expected_plays(rules: NumberRules, at: datetime) -> list[str]:
    decision = decide(rules, at)
    return (["closure.wav"] if decision.default_closed else []) + [f"t{decision.treatment_id}.wav"]


@settings(max_examples=400, deadline=None)
@given(ranges(), exceptions(), st.sampled_from(ZONES), st.lists(instants, min_size=1, max_size=6))
def test_preview_and_call_plan_always_agree(weekly, closures, zone, moments):
    rules = NumberRules(zone, weekly, closures, open_treatment_id=1, closed_treatment_id=2)
    world = message_world(rules)
    for at in moments:
        plan = plan_public(request(), world, lambda: at)
        assert [s.file for s in plan.steps if isinstance(s, Play)] == expected_plays(rules, at)
        assert decide(rules, at).reason in plan.reason
