"""The OpenAPI document itself: valid OpenAPI 3.0.3 (what generated clients and schemathesis
read), timestamps answered in RFC 3339 with their offset, and the preview's year range stated
and enforced."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

from openapi_spec_validator import validate

from fs_service.db import db
from fs_service.numbers import rules as numbers
from schema.common import Timestamp
from schema.numbers import PREVIEW_YEARS
from tests.factories import make_account
from tests.integration.test_api_support import API, assert_error, bearer

RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")


def test_the_document_is_valid_openapi_3_0_3(client) -> None:
    document = client.get(f"{API}/openapi.json").get_json()
    assert document["openapi"] == "3.0.3"
    validate(document)  # raises on the first violation (e.g. a response without description)


def test_every_rule_of_the_preview_is_in_the_document(client) -> None:
    document = client.get(f"{API}/openapi.json").get_json()
    (at,) = document["paths"][f"{API}/accounts/{{account_id}}/numbers/{{number_id}}/preview"]["get"]["parameters"]
    first, last = PREVIEW_YEARS
    assert at["schema"]["pattern"] == "^20[0-9]{2}-" and f"{first} to {last}" in at["description"]
    ids = document["paths"][f"{API}/accounts/{{account_id}}"]["parameters"][0]["schema"]
    assert ids == {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}


def test_naive_utc_from_the_database_is_answered_with_z() -> None:
    field = Timestamp()
    assert field.serialize("at", {"at": datetime(2026, 12, 6, 2, 23, 18, 300853)}) == "2026-12-06T02:23:18.300853Z"
    toronto = datetime(2026, 12, 5, 21, 23, 18, tzinfo=ZoneInfo("America/Toronto"))
    assert field.serialize("at", {"at": toronto}) == "2026-12-06T02:23:18Z"
    assert field.serialize("at", {"at": None}) is None


def test_api_timestamps_carry_their_offset(app, client) -> None:
    account, admin = make_account()
    headers = bearer(admin)
    rule = client.post(f"{API}/accounts/{account.id}/blacklist", json={"digits": "5149073400"}, headers=headers)
    assert rule.status_code == 201 and RFC3339_UTC.match(rule.get_json()["created_at"]), rule.get_json()
    number = numbers.create_number(account, "+15145550100", timezone="America/Toronto")
    db.session.commit()
    url = f"{API}/accounts/{account.id}/numbers/{number.id}/preview"
    decision = client.get(url, query_string={"at": "2026-07-01T12:00:00"}, headers=headers).get_json()
    assert decision["local_time"] == "2026-07-01T12:00:00-04:00", decision


def test_the_preview_refuses_years_outside_its_range(app, client) -> None:
    account, admin = make_account()
    number = numbers.create_number(account, "+15145550100", timezone="America/Toronto")
    db.session.commit()
    headers = bearer(admin)
    url = f"{API}/accounts/{account.id}/numbers/{number.id}/preview"
    for at in ("0213-01-01T12:00:00", "1899-12-31T12:00:00", "2100-01-01T00:00:00"):
        response = client.get(url, query_string={"at": at}, headers=headers)
        body = assert_error(response, 400, "validation_error", "at")
        assert body["details"]["at"] == ["the year must be from 2000 to 2099"]


def test_every_zone_has_a_whole_minute_offset_in_the_preview_years() -> None:
    """Why the range is enough: RFC 3339 offsets are hours and minutes; zoneinfo gives
    seconds-precise local mean time only long before 2000."""
    first, last = PREVIEW_YEARS
    for name in available_timezones():
        zone = ZoneInfo(name)
        day = datetime(first, 1, 1, tzinfo=timezone.utc)
        while day.year <= last:
            offset = day.astimezone(zone).utcoffset()
            assert offset.total_seconds() % 60 == 0, (name, day, offset)
            assert RFC3339.match(day.astimezone(zone).isoformat()), (name, day)
            day += timedelta(days=365 * 10 + 90)
    assert date(first, 1, 1) < date(last, 12, 31)


def test_an_id_too_large_to_exist_is_a_404_not_a_database_overflow(app, client) -> None:
    account, admin = make_account()
    huge = 2**63 + 1
    response = client.get(f"{API}/accounts/{account.id}/extensions/{huge}", headers=bearer(admin))
    assert_error(response, 404, "not_found")
    body = {"gateway_id": huge}
    assert_error(client.put(f"{API}/accounts/{account.id}/gateway", json=body, headers=bearer(admin)),
                 400, "validation_error", "gateway_id")


def test_quick_edit_rows_are_documented_with_every_setting_and_the_id(client) -> None:
    document = client.get(f"{API}/openapi.json").get_json()
    body = document["paths"][f"{API}/accounts/{{account_id}}/extensions"]["patch"]["requestBody"]
    request = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    rows = document["components"]["schemas"][request]["properties"]["extensions"]["items"]["$ref"].rsplit("/", 1)[1]
    row = document["components"]["schemas"][rows]
    assert "id" in row["required"]
    assert {"ring_seconds", "forward_mode", "fmfm_number", "long_distance"} <= set(row["properties"])
