"""Numbers API (HRS-1..4): numbers, treatments, the week, exceptions, the closure message and
the preview; bad input is a 400 naming the field; admin-only; the operator adds numbers;
other tenants 404."""
from __future__ import annotations

from datetime import date

import pytest

from fs_service.db import db
from fs_service.models import PhoneNumber, ScheduleException, ScheduleRange, Treatment
from fs_service.numbers import schedules
from tests.factories import make_operator
from tests.integration.test_api_support import API, assert_error, bearer, count
from tests.integration.test_ui_numbers import site  # noqa: F401

WEEK = {"ranges": [{"weekday": d, "opens_at": "07:30", "closes_at": "16:30"} for d in range(4)]
        + [{"weekday": 4, "opens_at": "08:00", "closes_at": "12:00"},
           {"weekday": 4, "opens_at": "13:00", "closes_at": "17:00"}]}


def _url(site, tail: str = "", number=None) -> str:
    return f"{API}/accounts/{site.account.id}/numbers/{(number or site.number).id}{tail}"


def test_admin_reads_and_changes_a_number(client, site):
    headers = bearer(site.admin)
    listed = client.get(f"{API}/accounts/{site.account.id}/numbers", headers=headers).get_json()
    assert [n["e164"] for n in listed] == ["+15145550100"] and listed[0]["closure_code"]
    changed = client.patch(_url(site), json={"label": "Accueil", "timezone": "America/Vancouver",
                                             "open_treatment_id": site.ring.id}, headers=headers)
    assert changed.status_code == 200
    assert (changed.get_json()["timezone"], changed.get_json()["open_treatment_id"]) == \
        ("America/Vancouver", site.ring.id)


def test_week_exceptions_and_preview(client, site):
    headers = bearer(site.admin)
    client.patch(_url(site), json={"open_treatment_id": site.ring.id}, headers=headers)
    saved = client.put(_url(site, "/schedule"), json=WEEK, headers=headers)
    assert saved.status_code == 200 and len(saved.get_json()["ranges"]) == 6
    assert client.get(_url(site, "/schedule"), headers=headers).get_json() == saved.get_json()
    created = client.post(_url(site, "/exceptions"), json={"label": "Fête nationale", "start_date": "2026-06-24",
                                                           "repeat_yearly": True}, headers=headers)
    assert created.status_code == 201
    exc = created.get_json()
    assert (exc["end_date"], exc["kind"], exc["treatment_id"]) == ("2026-06-24", "all_day", None)

    def at(moment: str) -> dict:
        response = client.get(_url(site, "/preview"), query_string={"at": moment}, headers=headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    open_ = at("2026-06-22T10:00:00")
    assert (open_["state"], open_["treatment_id"]) == ("open", site.ring.id) and open_["rule_id"]
    assert at("2026-06-22T17:00:00")["state"] == "closed"
    assert at("2026-06-27T10:00:00")["state"] == "closed"  # Saturday
    holiday = at("2027-06-24T10:00:00")
    assert (holiday["state"], holiday["rule_id"], holiday["default_closed"]) == ("exception", exc["id"], True)
    assert at("2026-06-22T14:00:00Z")["state"] == "open"  # 10:00 in Toronto (EDT)
    patched = client.patch(_url(site, f"/exceptions/{exc['id']}"), json={"repeat_yearly": False}, headers=headers)
    assert patched.status_code == 200 and at("2027-06-24T10:00:00")["state"] == "open"
    assert client.delete(_url(site, f"/exceptions/{exc['id']}"), headers=headers).status_code == 204
    assert count(ScheduleException) == 0


BAD_WEEK = [
    ({"ranges": [{"weekday": 7, "opens_at": "08:00", "closes_at": "12:00"}]}, "ranges"),
    ({"ranges": [{"weekday": 0, "opens_at": "8h", "closes_at": "12:00"}]}, "ranges"),
    ({"ranges": [{"weekday": 0, "opens_at": "08:00", "closes_at": "08:00"}]}, "ranges"),
    ({"ranges": [{"weekday": 0, "opens_at": "08:00", "closes_at": "12:00"},
                 {"weekday": 0, "opens_at": "11:00", "closes_at": "13:00"}]}, "ranges"),
    ({}, "ranges"), ({"ranges": [], "extra": 1}, "extra"),
]


@pytest.mark.parametrize("body, field", BAD_WEEK)
def test_bad_week_is_400_and_changes_nothing(client, site, body, field):
    assert_error(client.put(_url(site, "/schedule"), json=body, headers=bearer(site.admin)),
                 400, "validation_error", field)
    assert count(ScheduleRange) == 0


BAD_EXCEPTION = [
    ({}, "start_date"), ({"start_date": "2026-02-30"}, "start_date"),
    ({"start_date": "2026-07-19", "end_date": "2026-07-01"}, "end_date"),
    ({"start_date": "2026-07-19", "kind": "between"}, "closed_from"),
    ({"start_date": "2026-07-19", "kind": "between", "closed_from": "14:00", "closed_until": "10:00"}, "closed_until"),
    ({"start_date": "2026-07-19", "kind": "never"}, "kind"),
    ({"start_date": "2026-07-19", "treatment_id": 999}, "treatment_id"),
    ({"start_date": "2026-07-19", "end_date": "2027-07-19", "repeat_yearly": True}, "end_date"),
]


@pytest.mark.parametrize("body, field", BAD_EXCEPTION)
def test_bad_exception_is_400_naming_the_field(client, site, body, field):
    assert_error(client.post(_url(site, "/exceptions"), json=body, headers=bearer(site.admin)),
                 400, "validation_error", field)
    assert count(ScheduleException) == 0


BAD_NUMBER = [({"timezone": "Mars/Olympus"}, "timezone"), ({"open_treatment_id": 999999}, "open_treatment_id"),
              ({"label": "x" * 81}, "label"), ({"e164": "+15145550111"}, "e164"),
              ({"closure_code": "1"}, "closure_code")]


@pytest.mark.parametrize("body, field", BAD_NUMBER)
def test_bad_number_changes_are_400(client, site, body, field):
    assert_error(client.patch(_url(site), json=body, headers=bearer(site.admin)), 400, "validation_error", field)


def test_preview_needs_a_valid_time(client, site):
    headers = bearer(site.admin)
    assert_error(client.get(_url(site, "/preview"), headers=headers), 400, "validation_error", "at")
    assert_error(client.get(_url(site, "/preview"), query_string={"at": "demain"}, headers=headers),
                 400, "validation_error", "at")


def test_closure_message_and_credentials(client, site):
    headers = bearer(site.admin)
    old = (site.number.closure_code, site.number.closure_password)
    body = client.put(_url(site, "/closure-message"), json={"closure_message_path": "pbx/office-closed.wav"},
                      headers=headers).get_json()
    assert body["closure_message_path"] == "pbx/office-closed.wav"
    assert_error(client.put(_url(site, "/closure-message"), json={"closure_message_path": "../../etc/passwd"},
                            headers=headers), 400, "validation_error", "closure_message_path")
    assert client.put(_url(site, "/closure-message"), json={"closure_message_path": None},
                      headers=headers).get_json()["closure_message_path"] is None
    fresh = client.post(_url(site, "/closure-credentials"), headers=headers).get_json()
    assert (fresh["closure_code"], fresh["closure_password"]) != old


def test_treatments_crud_and_bad_input(client, site):
    headers = bearer(site.admin)
    base = f"{API}/accounts/{site.account.id}/treatments"
    made = client.post(base, json={"kind": "mailbox", "mailbox_id": None}, headers=headers)
    assert_error(made, 400, "validation_error", "mailbox_id")
    made = client.post(base, json={"kind": "message", "message_path": "pbx/office-closed.wav", "message_then": "continue",
                                   "next_treatment_id": site.ring.id}, headers=headers)
    assert made.status_code == 201
    tid = made.get_json()["id"]
    assert len(client.get(base, headers=headers).get_json()) == 2
    assert client.put(f"{base}/{tid}", json={"kind": "hangup"}, headers=headers).get_json()["kind"] == "hangup"
    assert client.delete(f"{base}/{tid}", headers=headers).status_code == 204
    assert_error(client.post(base, json={"kind": "fax"}, headers=headers), 400, "validation_error", "kind")


def test_only_the_operator_adds_or_removes_numbers(client, site):
    base = f"{API}/accounts/{site.account.id}/numbers"
    assert_error(client.post(base, json={"e164": "+15145550111"}, headers=bearer(site.admin)), 403, "forbidden")
    assert_error(client.delete(_url(site), headers=bearer(site.admin)), 403, "forbidden")
    operator = bearer(make_operator())
    added = client.post(base, json={"e164": "514-555-0111"}, headers=operator)
    assert added.status_code == 201 and added.get_json()["e164"] == "+15145550111"
    assert_error(client.post(base, json={"e164": "+15145550199"}, headers=operator), 400, "number_taken", "e164")
    assert_error(client.post(base, json={"e164": "+4420794600"}, headers=operator), 400, "validation_error", "e164")
    assert client.delete(f"{base}/{added.get_json()['id']}", headers=operator).status_code == 204


def test_users_get_403_and_other_tenants_404(client, site):
    theirs = schedules.create_exception(site.other, site.foreign, start_date=date(2026, 1, 1))
    db.session.commit()
    user = bearer(site.user)
    assert_error(client.get(f"{API}/accounts/{site.account.id}/numbers", headers=user), 403, "forbidden")
    assert_error(client.get(_url(site, "/schedule"), headers=user), 403, "forbidden")
    assert_error(client.get(f"{API}/accounts/{site.account.id}/treatments", headers=user), 403, "forbidden")
    admin = bearer(site.admin)
    foreign = _url(site, number=site.foreign)
    for path in ("", "/schedule", "/exceptions", "/preview?at=2026-01-01T10:00"):
        assert_error(client.get(foreign + path, headers=admin), 404, "not_found")
    assert_error(client.put(foreign + "/schedule", json=WEEK, headers=admin), 404, "not_found")
    assert_error(client.patch(_url(site, f"/exceptions/{theirs.id}"), json={"label": "x"}, headers=admin),
                 404, "not_found")
    assert_error(client.delete(_url(site, f"/exceptions/{theirs.id}"), headers=admin), 404, "not_found")
    assert_error(client.get(f"{API}/accounts/{site.other.id}/numbers", headers=admin), 404, "not_found")
    assert count(PhoneNumber) == 2 and count(ScheduleException) == 1 and count(Treatment) == 1
