"""The inbound planner's rules hold only the exceptions near the call's day (issue 15: reading
all of a number's exceptions was most of a cold call). For any instant, in the zones furthest
from UTC, and with the rules read on the UTC day before the instant (a call that crossed
midnight between reading its rules and its clock), ``decide`` must answer exactly as with every
exception of the number (schedules.rules_for, what the preview uses)."""
from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta, timezone

from hypothesis import HealthCheck, given, settings, strategies as st

from fs_service.callplan.public_cache import load_rules, utc_day
from fs_service.db import db
from fs_service.numbers import rules as numbers, schedules
from fs_service.numbers.schedule_rules import decide, in_year
from tests.factories import make_account

ZONES = ("Pacific/Kiritimati", "Etc/GMT+12", "America/Toronto")  # UTC+14, UTC-12, the default
BASE = date(2027, 12, 30)  # near New Year: yearly closures that cross it, and Feb 29 a few years on
# The days the calls are placed around: New Year (the window crosses it: every yearly closure
# kept), February 28 of a non-leap year (a yearly Feb 29 is observed that day) and of a leap
# year, and midsummer (yearly closures filtered by month and day, none of the edge cases).
BASES = (BASE, date(2027, 2, 27), date(2028, 2, 28), date(2027, 7, 1))

closure = st.fixed_dictionaries(dict(
    start=st.integers(-400, 400) | st.tuples(st.integers(-4, 0), st.integers(-45, 5))
    | st.just(date(2024, 2, 29)) | st.just(date(2023, 2, 28)),
    length=st.integers(0, 40), repeat_yearly=st.booleans(), between=st.booleans()))
instant = st.integers(-3 * 24 * 60, 3 * 24 * 60)


_made = itertools.count(100)  # hypothesis runs every example on the same database


def _number(zone: str, closures: list[dict], base: date = BASE):
    """``start`` is a date, a number of days from ``base``, or (years, days) from ``base``: a
    closure of an earlier year starting or ending just before the calls, yearly ones included."""
    n = next(_made)
    account, _ = make_account(sip_domain=f"window{n}.test")
    number = numbers.create_number(account, f"+151455{n:05d}", timezone=zone)
    schedules.set_week(account, number, [dict(weekday=d, opens_at=time(8), closes_at=time(17)) for d in range(5)])
    for c in closures:
        start = c["start"]
        if isinstance(start, int):
            start = base + timedelta(days=start)
        elif isinstance(start, tuple):
            start = in_year(base, base.year + start[0]) + timedelta(days=start[1])
        schedules.create_exception(account, number, start_date=start, end_date=start + timedelta(days=c["length"]),
                                   kind="between" if c["between"] else "all_day", closed_from=time(12),
                                   closed_until=time(13), repeat_yearly=c["repeat_yearly"])
    db.session.commit()
    return number


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(base=st.sampled_from(BASES), zone=st.sampled_from(ZONES), closures=st.lists(closure, min_size=1, max_size=6),
       minutes=st.lists(instant, min_size=1, max_size=8))
def test_the_rules_near_the_day_decide_as_all_of_the_numbers_exceptions(app, base, zone, closures, minutes):
    number = _number(zone, closures, base)
    every = schedules.rules_for(number)
    for at in (datetime.combine(base, time(), timezone.utc) + timedelta(minutes=m) for m in minutes):
        for read_on in (utc_day(at), utc_day(at - timedelta(seconds=1)), utc_day(at) - timedelta(days=1)):
            near = load_rules((number.id, read_on))
            assert decide(near, at) == decide(every, at), (zone, at, read_on)


def test_far_exceptions_are_left_out_and_yearly_ones_kept_when_the_window_crosses_new_year(app):
    number = _number("America/Toronto", [dict(start=BASE - timedelta(days=300), length=0, repeat_yearly=False,
                                              between=False),
                                         dict(start=BASE - timedelta(days=300), length=0, repeat_yearly=True,
                                              between=False),
                                         dict(start=BASE + timedelta(days=1), length=0, repeat_yearly=False,
                                              between=True)])
    near = load_rules((number.id, BASE))
    assert sorted((e.start, e.repeat_yearly) for e in near.exceptions) == [
        (BASE - timedelta(days=300), True), (BASE + timedelta(days=1), False)]


def _yearly(start: date, length: int = 0) -> dict:
    return dict(start=start, length=length, repeat_yearly=True, between=False)


def test_far_yearly_exceptions_are_left_out_by_month_and_day(app):
    number = _number("America/Toronto", [_yearly(date(2020, 3, 5)), _yearly(date(2019, 7, 3)),
                                         _yearly(date(2021, 6, 20), 9), _yearly(date(2021, 7, 5), 9),
                                         _yearly(date(2020, 12, 30), 3), _yearly(date(2020, 6, 1), 27)])
    near = load_rules((number.id, date(2027, 7, 1)))  # window June 29 .. July 3
    assert sorted(e.start for e in near.exceptions) == [  # March 5, July 5 and June 1-28 are out
        date(2019, 7, 3), date(2020, 12, 30), date(2021, 6, 20)]  # New Year's one is kept whole


def test_a_yearly_february_29_is_kept_for_february_28_of_a_non_leap_year(app):
    number = _number("Pacific/Kiritimati", [_yearly(date(2024, 2, 29))])
    near = load_rules((number.id, date(2027, 2, 26)))  # window Feb 24 .. 28, read the day before
    at = datetime(2027, 2, 27, 12, tzinfo=timezone.utc)  # Feb 28 02:00 in Kiritimati (UTC+14)
    assert [e.start for e in near.exceptions] == [date(2024, 2, 29)]
    assert decide(near, at).state == "exception" and decide(near, at) == decide(schedules.rules_for(number), at)
    assert load_rules((number.id, date(2027, 3, 3))).exceptions == ()  # window Mar 1 .. 5
