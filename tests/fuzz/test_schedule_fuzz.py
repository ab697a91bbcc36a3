"""The business-hours evaluator (fs_service/numbers/schedule_rules.py) against random weeks, random
exceptions (shaped as fs_service.numbers.schedules accepts them) and random instants anywhere in any
zone: a decision every time, the one the written rules give, never a crash or a hang."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import given, strategies as st

from fs_service.numbers.schedule_rules import (CLOSED, EXCEPTION, OPEN, ClosureException, NumberRules, WeeklyRange,
                                               decide, end_seconds, in_year, seconds)
from tests.fuzz import FUZZ

ZONES = st.sampled_from(sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/")))
TIMES = st.builds(time, st.integers(0, 23), st.sampled_from([0, 1, 15, 29, 30, 45, 59]))
DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
# Year 1 to 9999, what the API's date fields let through, with the ends drawn often.
ANY_DATES = st.one_of(st.dates(), st.sampled_from([date(1, 1, 1), date(1, 3, 1), date(9999, 12, 31), date(9998, 12, 31)]))


@st.composite
def ranges(draw) -> tuple[WeeklyRange, ...]:
    items = draw(st.lists(st.tuples(st.integers(0, 6), TIMES, TIMES), max_size=8))
    return tuple(WeeklyRange(i + 1, day, a, b) for i, (day, a, b) in enumerate(items) if a != b)


@st.composite
def exceptions(draw, dates=DATES) -> tuple[ClosureException, ...]:
    out = []
    for i in range(draw(st.integers(0, 4))):
        start = draw(dates)
        yearly = draw(st.booleans())
        span = draw(st.integers(0, 364 if yearly else 40))
        try:
            end = start + timedelta(days=span)
        except OverflowError:
            end = start
        if yearly and start.year < 9999 and end >= in_year(start, start.year + 1):
            end = start
        window = draw(st.one_of(st.none(), st.tuples(TIMES, TIMES)))
        if window is not None and end_seconds(window[1]) <= seconds(window[0]):
            window = None
        out.append(ClosureException(i + 1, start, end, all_day=window is None,
                                    closed_from=window and window[0], closed_until=window and window[1],
                                    repeat_yearly=yearly, treatment_id=draw(st.sampled_from([None, 9]))))
    return tuple(out)


def rules_of(zone: str, week=(), closures=()) -> NumberRules:
    return NumberRules(zone, week, closures, open_treatment_id=1, closed_treatment_id=2)


def covered_by_week(week: tuple[WeeklyRange, ...], local: datetime) -> bool:
    """The written rule, restated plainly: half-open wall-clock ranges, past midnight wraps."""
    day, second = local.weekday(), local.hour * 3600 + local.minute * 60 + local.second
    for rng in week:
        start, end = seconds(rng.opens), end_seconds(rng.closes)
        if end > start and rng.weekday == day and start <= second < end:
            return True
        if end <= start and ((rng.weekday == day and second >= start) or ((rng.weekday + 1) % 7 == day and second < end)):
            return True
    return False


def instants(dates=DATES):
    return st.builds(lambda d, s, tz: datetime.combine(d, time(), tzinfo=tz) + timedelta(seconds=s),
                     dates, st.integers(0, 86399), st.sampled_from([timezone.utc, ZoneInfo("America/Toronto"),
                                                                   ZoneInfo("Asia/Kolkata")]))


@FUZZ
@given(ZONES, ranges(), instants())
def test_without_exceptions_open_exactly_when_a_weekly_range_covers_the_local_time(zone, week, at):
    decision = decide(rules_of(zone, week), at)
    local = at.astimezone(ZoneInfo(zone))
    assert decision.local_time == local
    assert decision.state == (OPEN if covered_by_week(week, local) else CLOSED)
    assert decision.treatment_id == (1 if decision.state == OPEN else 2)


@FUZZ
@given(ZONES, ranges(), exceptions(), instants())
def test_an_all_day_exception_on_the_local_date_always_wins(zone, week, closures, at):
    local = at.astimezone(ZoneInfo(zone))
    closures += (ClosureException(99, local.date(), local.date()),)
    decision = decide(rules_of(zone, week, closures), at)
    assert decision.state == EXCEPTION


@FUZZ
@given(ZONES, ranges(), exceptions(), st.lists(instants(), min_size=1, max_size=30))
def test_a_decision_does_not_depend_on_what_was_decided_before(zone, week, closures, moments):
    shared = rules_of(zone, week, closures)  # its per-date memo fills and clears as days vary
    for at in moments:
        assert decide(shared, at) == decide(rules_of(zone, week, closures), at)


@FUZZ
@given(ZONES, ranges(), exceptions(ANY_DATES), instants(ANY_DATES))
def test_any_date_the_api_accepts_gives_a_decision(zone, week, closures, at):
    try:
        decision = decide(rules_of(zone, week, closures), at)
    except OverflowError:  # the instant has no local time in this zone (year 1 or 9999 edge)
        assert at.year in (1, 9999)
        return
    assert decision.state in (OPEN, CLOSED, EXCEPTION)
