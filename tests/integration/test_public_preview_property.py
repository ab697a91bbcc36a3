"""Property (HRS-7), end to end: schedules and exceptions saved through the core, then for random
instants the preview (schedules.preview) and the recorded inbound request answered with the
clock frozen at that instant play the same treatment — through the database, the per-process
rules cache and the XML renderer."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from hypothesis import HealthCheck, event, given, settings, strategies as st

from fs_service.callplan import clock
from fs_service.db import db
from fs_service.numbers import rules as numbers, schedules, treatments
from tests.factories import make_account
from tests.integration.test_public_calls import call, plays

minutes = st.integers(0, 24 * 60 - 1).map(lambda m: time(m // 60, m % 60))


@st.composite
def week(draw) -> list[dict]:
    """Valid weeks: per weekday, sorted distinct boundaries paired up (lunch closures included)."""
    ranges = []
    for day in draw(st.sets(st.integers(0, 6), max_size=5)):
        bounds = sorted(draw(st.sets(st.integers(1, 24 * 60 - 1), min_size=2, max_size=4)))
        ranges += [dict(weekday=day, opens_at=time(a // 60, a % 60), closes_at=time(b // 60, b % 60))
                   for a, b in zip(bounds[::2], bounds[1::2])]
    return ranges


def near(c: dict) -> st.SearchStrategy[datetime]:
    """Instants in or around an exception, this year or a later one."""
    offset = st.integers(-1, c["length"] + 1).map(lambda d: timedelta(days=d))
    years = st.integers(0, 2) if c["repeat_yearly"] else st.just(0)
    return st.builds(lambda o, y, m: datetime.combine(c["start_date"] + o + timedelta(days=365 * y),
                                                      time(m // 60, m % 60), timezone.utc) + timedelta(hours=5),
                     offset, years, st.integers(0, 24 * 60 - 1))
closure = st.fixed_dictionaries(dict(
    start_date=st.dates(date(2025, 1, 1), date(2028, 12, 31)), length=st.integers(0, 20),
    between=st.booleans(), window=st.tuples(minutes, minutes).map(sorted), repeat_yearly=st.booleans(),
    own_treatment=st.booleans()))
instants = st.datetimes(datetime(2025, 1, 1), datetime(2029, 6, 1), timezones=st.just(timezone.utc))


def _setup(app):
    account, _ = make_account(name="Prop", sip_domain="acme.test")
    number = numbers.create_number(account, "+15145550100", timezone="America/Toronto")
    opened = treatments.create_treatment(account, kind="message", message_path="pbx/vm-greeting-menu.wav")
    closed = treatments.create_treatment(account, kind="message", message_path="pbx/vm-not-available.wav")
    own = treatments.create_treatment(account, kind="message", message_path="pbx/vm-goodbye.wav")
    numbers.update_number(account, number, dict(open_treatment_id=opened.id, closed_treatment_id=closed.id))
    numbers.set_closure_message(account, number, "pbx/closure-saved.wav")
    db.session.commit()
    return account, number, own


def _save(account, number, own, ranges, closures) -> None:
    for exc in list(number.exceptions):
        schedules.delete_exception(account, exc)
    schedules.set_week(account, number, ranges)
    for c in closures:
        schedules.create_exception(
            account, number, start_date=c["start_date"], end_date=c["start_date"] + timedelta(days=c["length"]),
            kind="between" if c["between"] and c["window"][0] < c["window"][1] else "all_day",
            closed_from=c["window"][0], closed_until=c["window"][1], repeat_yearly=c["repeat_yearly"],
            treatment_id=own.id if c["own_treatment"] else None)
    db.session.commit()


def _expected(decision) -> list[str]:
    chosen = {"open": "pbx/vm-greeting-menu.wav"}.get(decision.state, "pbx/vm-goodbye.wav" if not decision.default_closed else "pbx/vm-not-available.wav")
    return (["pbx/closure-saved.wav"] if decision.default_closed else []) + [chosen]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_preview_and_the_real_call_agree_through_the_database(app, client, data):
    if not hasattr(app, "_prop_world"):
        app._prop_world = _setup(app)
    account, number, own = app._prop_world
    closures = data.draw(st.lists(closure, max_size=4))
    _save(account, number, own, data.draw(week()), closures)
    moments = data.draw(st.lists(instants, min_size=1, max_size=2))
    moments += [data.draw(near(c)) for c in closures]
    try:
        for at in moments:
            preview = schedules.preview(account, number, at)
            event(preview.state)
            clock.set_clock(lambda: at)
            assert plays(call(client)) == _expected(preview), preview.reason
    finally:
        clock.set_clock(None)
