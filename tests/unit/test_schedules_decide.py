"""decide(): open / closed / exception at an instant, across time zones, DST, midnight,
ranges past midnight and around the week, yearly exceptions and February 29 (HRS-1, HRS-2)."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from fs_service.numbers.schedule_rules import (CLOSED, EXCEPTION, OPEN, ClosureException, NumberRules, WeeklyRange,
                                               decide)

UTC = timezone.utc
TORONTO = ZoneInfo("America/Toronto")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def week(*items) -> tuple[WeeklyRange, ...]:
    """("Mon-Thu" style) items: (weekday, "07:30", "16:30")."""
    return tuple(WeeklyRange(i + 1, day, time.fromisoformat(a), time.fromisoformat(b)) for i, (day, a, b) in
                 enumerate(items))


GUIDE = week(*[(d, "07:30", "16:30") for d in (MON, TUE, WED, THU)], (FRI, "08:00", "12:00"))  # guide 5.1


def rules(ranges=GUIDE, exceptions=(), tz="America/Toronto") -> NumberRules:
    return NumberRules(tz, ranges, tuple(exceptions), open_treatment_id=1, closed_treatment_id=2)


def local(*parts, tz=TORONTO) -> datetime:
    return datetime(*parts, tzinfo=tz)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize("at,state", [
    (local(2026, 7, 6, 7, 29, 59), CLOSED),  # Monday, a second before opening
    (local(2026, 7, 6, 7, 30), OPEN),
    (local(2026, 7, 6, 16, 29, 59), OPEN),
    (local(2026, 7, 6, 16, 30), CLOSED),  # half-open: closed at closing time
    (local(2026, 7, 10, 11, 59), OPEN),  # Friday short day
    (local(2026, 7, 10, 12, 0), CLOSED),
    (local(2026, 7, 11, 10, 0), CLOSED),  # Saturday: no range, closed all day
    (local(2026, 7, 12, 10, 0), CLOSED),  # Sunday
])
def test_weekly_ranges_are_half_open_wall_clock_intervals(at, state):
    assert decide(rules(), at).state == state


@pytest.mark.parametrize("tz,state", [
    ("America/Toronto", OPEN),  # 11:00 EDT
    ("America/Vancouver", OPEN),  # 08:00 PDT
    ("America/Halifax", OPEN),  # 12:00 ADT
    ("Europe/Paris", CLOSED),  # 17:00 CEST
    ("Asia/Tokyo", CLOSED),  # Tuesday 00:00
    ("UTC", OPEN),  # 15:00
])
def test_the_same_instant_is_judged_in_each_numbers_own_zone(tz, state):
    assert decide(rules(tz=tz), utc(2026, 7, 6, 15, 0)).state == state


@pytest.mark.parametrize("at,state", [
    (utc(2026, 3, 9, 11, 59), CLOSED),  # Monday after spring forward: 07:59 EDT (08:00 if still EST)
    (utc(2026, 3, 9, 12, 0), OPEN),  # 08:00 EDT
    (utc(2026, 3, 6, 12, 59), CLOSED),  # Friday before: 07:59 EST
    (utc(2026, 3, 6, 13, 0), OPEN),  # 08:00 EST
    (utc(2026, 11, 2, 12, 30), CLOSED),  # Monday after fall back: 07:30 EST
    (utc(2026, 11, 2, 13, 0), OPEN),
])
def test_daylight_saving_keeps_opening_at_the_same_wall_clock_time(at, state):
    monday_to_friday_8 = week(*[(d, "08:00", "17:00") for d in range(5)])
    assert decide(rules(monday_to_friday_8), at).state == state


@pytest.mark.parametrize("at,state", [
    (utc(2026, 3, 8, 6, 59, 59), CLOSED),  # 01:59:59 EST, just before the jump
    (utc(2026, 3, 8, 7, 0), OPEN),  # 03:00 EDT: 02:30 never happened, the range is already open
    (utc(2026, 3, 8, 8, 0), CLOSED),  # 04:00 EDT
])
def test_spring_forward_a_range_opening_in_the_skipped_hour_opens_after_the_jump(at, state):
    assert decide(rules(week((SUN, "02:30", "04:00"))), at).state == state


@pytest.mark.parametrize("at,state", [
    (utc(2026, 11, 1, 5, 15), OPEN),  # 01:15 EDT, first time
    (utc(2026, 11, 1, 5, 45), CLOSED),  # 01:45 EDT
    (utc(2026, 11, 1, 6, 15), OPEN),  # 01:15 EST, the repeated hour: same wall clock, same answer
    (utc(2026, 11, 1, 6, 45), CLOSED),  # 01:45 EST
])
def test_fall_back_the_repeated_hour_is_judged_by_its_wall_clock(at, state):
    assert decide(rules(week((SUN, "00:00", "01:30"))), at).state == state


@pytest.mark.parametrize("ranges,at,state", [
    (week((FRI, "22:00", "00:00")), local(2026, 7, 10, 23, 59, 59), OPEN),  # 00:00 as end = midnight
    (week((FRI, "22:00", "00:00")), local(2026, 7, 11, 0, 0), CLOSED),
    (week((FRI, "00:00", "00:00")), local(2026, 7, 10, 0, 0), OPEN),  # whole day
    (week((FRI, "00:00", "00:00")), local(2026, 7, 10, 23, 59, 59), OPEN),
    (week((FRI, "00:00", "00:00")), local(2026, 7, 11, 0, 0), CLOSED),
    (week((FRI, "08:00", "23:59")), local(2026, 7, 10, 23, 59, 30), OPEN),  # 23:59 as end = midnight
    (week((FRI, "22:00", "02:00")), local(2026, 7, 10, 21, 59), CLOSED),  # past midnight
    (week((FRI, "22:00", "02:00")), local(2026, 7, 11, 1, 59, 59), OPEN),  # Saturday morning part
    (week((FRI, "22:00", "02:00")), local(2026, 7, 11, 2, 0), CLOSED),
    (week((FRI, "22:00", "02:00")), local(2026, 7, 11, 22, 30), CLOSED),  # not on Saturday evening
    (week((SUN, "22:00", "02:00")), local(2026, 7, 13, 1, 0), OPEN),  # wraps the week into Monday
    (week((SUN, "22:00", "02:00")), local(2026, 7, 6, 1, 0), OPEN),  # …any Monday
    (week((MON, "08:00", "12:00"), (MON, "13:00", "17:00")), local(2026, 7, 6, 12, 30), CLOSED),  # lunch
    (week((MON, "08:00", "12:00"), (MON, "13:00", "17:00")), local(2026, 7, 6, 13, 0), OPEN),
])
def test_midnight_ranges_past_midnight_and_around_the_week(ranges, at, state):
    assert decide(rules(ranges), at).state == state


def closure(start, end=None, **kw) -> ClosureException:
    return ClosureException(kw.pop("id", 1), start, end or start, **kw)


LEAP_DAY_YEARLY = closure(date(2024, 2, 29), repeat_yearly=True)


@pytest.mark.parametrize("exception,day,closed", [
    (LEAP_DAY_YEARLY, date(2025, 2, 28), True),  # observed on Feb 28 in a non-leap year
    (LEAP_DAY_YEARLY, date(2025, 3, 3), False),
    (LEAP_DAY_YEARLY, date(2028, 2, 29), True),
    (LEAP_DAY_YEARLY, date(2028, 2, 28), False),  # a leap year keeps the real day
    (closure(date(2024, 2, 29)), date(2025, 2, 28), False),  # not yearly: once only
    (closure(date(2024, 2, 20), date(2024, 2, 29), repeat_yearly=True), date(2027, 2, 26), True),
    (closure(date(2024, 2, 20), date(2024, 2, 29), repeat_yearly=True), date(2027, 3, 1), False),
    (closure(date(2025, 12, 24), date(2026, 1, 2), repeat_yearly=True), date(2030, 1, 2), True),  # over New Year
    (closure(date(2025, 12, 24), date(2026, 1, 2), repeat_yearly=True), date(2029, 12, 31), True),
    (closure(date(2025, 12, 24), date(2026, 1, 2), repeat_yearly=True), date(2030, 1, 3), False),
    (closure(date(2025, 12, 24), date(2026, 1, 2), repeat_yearly=True), date(2030, 12, 23), False),
    (closure(date(2025, 12, 24), date(2026, 1, 2)), date(2026, 12, 28), False),
])
def test_exceptions_by_date_yearly_and_february_29(exception, day, closed):
    at = datetime.combine(day, time(10, 0), TORONTO)
    all_open = week(*[(d, "00:00", "00:00") for d in range(7)])
    assert (decide(rules(all_open, [exception]), at).state == EXCEPTION) is closed


def test_closed_between_two_times_leaves_the_rest_of_the_day_to_the_schedule():
    lunch = closure(date(2026, 7, 6), all_day=False, closed_from=time(11, 0), closed_until=time(14, 0))
    assert [decide(rules(exceptions=[lunch]), local(2026, 7, 6, h, m)).state for h, m in
            ((10, 59), (11, 0), (13, 59), (14, 0), (17, 0))] == [OPEN, EXCEPTION, EXCEPTION, OPEN, CLOSED]


def test_overlapping_exceptions_the_shortest_closure_wins_then_the_newest():
    holidays = closure(date(2026, 12, 24), date(2026, 12, 26), id=1, treatment_id=10)
    party = closure(date(2026, 12, 25), id=2, all_day=False, closed_from=time(10, 0), closed_until=time(12, 0),
                    treatment_id=20)
    same_a, same_b = closure(date(2026, 12, 28), id=3, treatment_id=30), closure(date(2026, 12, 28), id=4)
    found = rules(exceptions=[holidays, party, same_a, same_b])
    assert decide(found, local(2026, 12, 25, 11, 0)).rule_id == 2
    assert decide(found, local(2026, 12, 25, 13, 0)).rule_id == 1
    newest = decide(found, local(2026, 12, 28, 9, 0))
    assert (newest.rule_id, newest.treatment_id, newest.default_closed) == (4, 2, True)


def test_decision_says_which_treatment_and_why():
    opened = decide(rules(), local(2026, 7, 6, 9, 0))
    assert (opened.treatment_id, opened.rule_id, opened.default_closed) == (1, 1, False)
    assert opened.reason == "open: Monday 07:30–16:30"
    closed = decide(rules(), local(2026, 7, 11, 9, 0))
    assert (closed.treatment_id, closed.rule_id, closed.default_closed) == (2, None, True)
    own = decide(rules(exceptions=[closure(date(2026, 7, 6), label="Fête", treatment_id=9, id=7)]),
                 local(2026, 7, 6, 9, 0))
    assert (own.state, own.treatment_id, own.default_closed, own.rule_id) == (EXCEPTION, 9, False, 7)
    assert "'Fête'" in own.reason and own.local_time.tzinfo is not None


def test_a_naive_time_is_refused_rather_than_guessed():
    with pytest.raises(ValueError):
        decide(rules(), datetime(2026, 7, 6, 9, 0))
