"""Cases tests/fuzz found in the business-hours rules, kept as explicit regressions."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from fs_service.numbers.schedule_rules import CLOSED, EXCEPTION, ClosureException, NumberRules, decide
from tests.integration.test_api_numbers import _url
from tests.integration.test_api_support import bearer
from tests.integration.test_ui_numbers import site  # noqa: F401

UTC = timezone.utc


def yearly(start: date, end: date) -> NumberRules:
    return NumberRules("UTC", (), (ClosureException(1, start, end, repeat_yearly=True),))


@pytest.mark.parametrize("at,state", [
    (datetime(1, 1, 1, 5, tzinfo=UTC), EXCEPTION),  # asked for the occurrence of year 0: crashed
    (datetime(1, 1, 3, 5, tzinfo=UTC), CLOSED),
])
def test_a_yearly_exception_on_new_years_day_of_year_one(at, state):
    assert decide(yearly(date(2020, 1, 1), date(2020, 1, 2)), at).state == state


def test_a_yearly_exception_across_new_year_is_observed_on_the_last_day_of_9999():
    rules = yearly(date(2020, 12, 30), date(2021, 1, 2))  # the occurrence ending in year 10000: crashed
    assert decide(rules, datetime(9999, 12, 31, 5, tzinfo=UTC)).state == EXCEPTION
    assert decide(rules, datetime(9999, 12, 29, 5, tzinfo=UTC)).state == CLOSED


def test_the_api_accepts_a_yearly_exception_starting_in_9999_and_previews_within_its_stated_years(client, site):
    headers = bearer(site.admin)  # "less than a year" was checked against year 10000: a 500
    created = client.post(_url(site, "/exceptions"), json={"start_date": "9999-12-01", "repeat_yearly": True},
                          headers=headers)
    assert created.status_code == 201, created.get_json()
    for moment in ("0001-01-01T12:00:00", "9999-12-01T12:00:00"):  # outside the preview's 2000-2099: a 400
        refused = client.get(_url(site, "/preview"), query_string={"at": moment}, headers=headers)
        assert refused.status_code == 400 and "at" in refused.get_json()["details"], (moment, refused.get_json())
    preview = client.get(_url(site, "/preview"), query_string={"at": "2099-12-01T12:00:00"}, headers=headers)
    assert preview.status_code == 200, preview.get_json()
    assert preview.get_json()["state"] == "exception"  # a yearly exception is its day of every year
