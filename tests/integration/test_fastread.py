"""fastread: reads outside the ORM see the latest commit, are typed as SQLAlchemy types them,
and on PostgreSQL survive a connection the server dropped (a restarted database) without the
caller noticing."""
from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa

from fs_service import fastread
from fs_service.db import db
from fs_service.models import Account, ScheduleException
from fs_service.numbers import rules as numbers, schedules
from tests.factories import make_account

BY_DOMAIN = sa.select(Account.id, Account.name).where(Account.sip_domain == sa.bindparam("domain"))


def test_a_read_sees_the_latest_commit(app):
    account, _ = make_account(name="Acme", sip_domain="acme.test")
    assert fastread.fetch_one(BY_DOMAIN, {"domain": "acme.test"}) == (account.id, "Acme")
    account.name = "Acme Inc"
    db.session.commit()
    assert fastread.fetch_one(BY_DOMAIN, {"domain": "acme.test"}).name == "Acme Inc"
    assert fastread.fetch_one(BY_DOMAIN, {"domain": "nobody.test"}) is None


def test_a_connection_the_server_dropped_is_replaced_on_postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no server to drop a connection")
    account, _ = make_account(sip_domain="acme.test")
    assert fastread.fetch_one(BY_DOMAIN, {"domain": "acme.test"}).id == account.id
    db.session.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    db.session.commit()
    assert fastread.fetch_one(BY_DOMAIN, {"domain": "acme.test"}).id == account.id


EXCEPTIONS_FROM = sa.select(ScheduleException.start_date, ScheduleException.repeat_yearly, ScheduleException.closed_from) \
    .where(ScheduleException.number_id == sa.bindparam("number_id"),
           ScheduleException.start_date >= sa.bindparam("first")).order_by(ScheduleException.start_date)


def test_rows_and_parameters_are_typed_as_sqlalchemy_types_them(app):
    """SQLite stores booleans as 0/1 and dates and times as text: a raw read would hand the
    planner ints and strings (and compare a date parameter with text its own way)."""
    account, _ = make_account(sip_domain="acme.test")
    number = numbers.create_number(account, "+15145550100")
    for day, yearly in ((date(2027, 1, 1), True), (date(2027, 3, 2), False), (date(2026, 5, 5), False)):
        schedules.create_exception(account, number, start_date=day, end_date=day, kind="between",
                                   closed_from=time(12), closed_until=time(13), repeat_yearly=yearly)
    db.session.commit()
    rows = fastread.fetch_all(EXCEPTIONS_FROM, {"number_id": number.id, "first": date(2027, 1, 1)})
    assert rows == [(date(2027, 1, 1), True, time(12)), (date(2027, 3, 2), False, time(12))]
    assert type(rows[1].repeat_yearly) is bool
    first = fastread.fetch_one(EXCEPTIONS_FROM, {"number_id": number.id, "first": date(2027, 2, 1)})
    assert first.start_date == date(2027, 3, 2)
    assert fastread.fetch_all(EXCEPTIONS_FROM, {"number_id": number.id, "first": date(2028, 1, 1)}) == []
