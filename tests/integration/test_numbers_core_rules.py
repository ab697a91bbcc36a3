"""Core rules for weekly schedules, exceptions, the preview and blacklist rules, and the table of
bad inputs each schema refuses naming the field (and changing nothing)."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest
from marshmallow import ValidationError

from fs_service.blacklist import rules as blacklist
from fs_service.db import db
from fs_service.errors import NotFound, ValidationFailed
from fs_service.models import BlacklistRule, CallVersion
from fs_service.numbers import rules as numbers, schedules, treatments
from schema.blacklist import DeleteAllRulesSchema, RuleCreateSchema, RuleUpdateSchema
from schema.menus import MenuCreateSchema, MenuKeysSchema
from schema.numbers import ClosureMessageSchema, NumberCreateSchema, PreviewQuerySchema, TreatmentSchema
from schema.schedules import ExceptionCreateSchema, WeekSchema
from tests.factories import make_account


@pytest.fixture
def acme(app):
    account, _ = make_account(name="Acme", sip_domain="acme.test")
    number = numbers.create_number(account, "+15145550100")
    db.session.commit()
    return account, number


def r(day: int, opens: str, closes: str) -> dict:
    return dict(weekday=day, opens_at=time.fromisoformat(opens), closes_at=time.fromisoformat(closes))


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(ValidationFailed) as error:
        call(*args, **kwargs)
    return next(iter(error.value.details))


def test_week_is_saved_whole_and_renews_the_rules_token(acme):
    account, number = acme
    token = number.rules_token
    week = [r(0, "13:00", "17:00"), r(0, "08:00", "12:00"), r(4, "22:00", "02:00")]
    saved = schedules.set_week(account, number, week)
    assert [(s.weekday, s.opens_at) for s in saved] == [(0, time(8)), (0, time(13)), (4, time(22))]
    assert number.rules_token != token
    assert schedules.set_week(account, number, []) == []


@pytest.mark.parametrize("ranges,field", [
    ([r(0, "08:00", "12:00"), r(0, "11:00", "13:00")], "ranges"),  # overlap
    ([r(4, "22:00", "02:00"), r(5, "01:00", "09:00")], "ranges"),  # past midnight into Saturday's range
    ([r(6, "22:00", "02:00"), r(0, "00:00", "08:00")], "ranges"),  # Sunday wraps into Monday
    ([r(0, "09:00", "09:00")], "closes_at"),
    ([r(7, "09:00", "10:00")], "weekday"),
])
def test_impossible_weeks_are_refused_and_change_nothing(acme, ranges, field):
    account, number = acme
    schedules.set_week(account, number, [r(2, "09:00", "17:00")])
    assert refused(schedules.set_week, account, number, ranges) == field
    assert [(s.weekday, s.opens_at) for s in schedules.week(account, number)] == [(2, time(9))]


def test_exceptions_are_checked(acme):
    account, number = acme
    create = lambda **kw: schedules.create_exception(account, number, **kw)  # noqa: E731
    assert refused(create, start_date=date(2026, 5, 2), end_date=date(2026, 5, 1)) == "end_date"
    assert refused(create, start_date=date(2026, 5, 2), end_date=date(2027, 5, 2), repeat_yearly=True) == "end_date"
    assert refused(create, start_date=date(2026, 5, 2), kind="between", closed_from=time(9)) == "closed_until"
    assert refused(create, start_date=date(2026, 5, 2), kind="between", closed_from=time(9),
                   closed_until=time(8)) == "closed_until"
    assert refused(create, start_date=None) == "start_date"
    late = create(start_date=date(2026, 5, 2), kind="between", closed_from=time(18), closed_until=time(0))
    assert late.closed_until == time(0) and late.end_date == date(2026, 5, 2)


def test_exception_crud_and_tenant_isolation(acme):
    account, number = acme
    other, _ = make_account(name="Beta", sip_domain="beta.test")
    hang_up = treatments.create_treatment(account, kind="hangup")
    exc = schedules.create_exception(account, number, label="Noël", start_date=date(2026, 12, 25), repeat_yearly=True)
    schedules.update_exception(account, exc, dict(treatment_id=hang_up.id, end_date=date(2026, 12, 26)))
    assert schedules.get_exception(account, exc.id).treatment_id == hang_up.id
    assert schedules.numbers_with_exceptions(account) == {number.id: 1}
    with pytest.raises(NotFound):
        schedules.get_exception(other, exc.id)
    assert refused(schedules.update_exception, account, exc, dict(number_id=3)) == "number_id"
    schedules.delete_exception(account, exc)
    db.session.commit()
    assert schedules.list_exceptions(account, number) == []


def test_preview_reads_a_naive_time_as_the_numbers_wall_clock(acme):
    account, number = acme
    schedules.set_week(account, number, [r(d, "08:00", "17:00") for d in range(5)])
    schedules.create_exception(account, number, start_date=date(2026, 12, 25))
    assert schedules.preview(account, number, datetime(2026, 12, 24, 16, 59)).state == "open"
    assert schedules.preview(account, number, datetime(2026, 12, 24, 17, 0)).state == "closed"
    assert schedules.preview(account, number, datetime(2026, 12, 25, 10, 0)).state == "exception"
    assert schedules.preview(account, number, datetime(2026, 12, 24, 15, 30, tzinfo=timezone.utc)).state == "open"
    numbers.update_number(account, number, dict(timezone="America/Vancouver"))
    assert schedules.preview(account, number, datetime(2026, 12, 24, 15, 30, tzinfo=timezone.utc)).state == "closed"


@pytest.mark.parametrize("digits", ["514 907-3400", "514-907-3400", "514907340O", "+15149073400", "", " ",
                                    "123456789012345678901", "５１４"])
def test_blacklist_digits_only_naming_the_field_and_nothing_saved(acme, digits):
    account, _ = acme
    with pytest.raises(ValidationFailed) as error:
        blacklist.create_rule(account, digits=digits)
    assert error.value.details == {"digits": ["digits only, without spaces or dashes (e.g. 5149073400)"]}
    assert db.session.query(BlacklistRule).count() == 0


def test_blacklist_crud_search_and_delete_all(acme):
    account, _ = acme
    other, _ = make_account(name="Beta", sip_domain="beta.test")
    first = blacklist.create_rule(account, digits="5149073400")
    blacklist.create_rule(account, action="allow", match="starts_with", digits="418")
    blacklist.create_rule(other, digits="5149073400")
    assert refused(blacklist.create_rule, account, digits="5149073400") == "digits"  # duplicate
    assert refused(blacklist.create_rule, account, action="deny", digits="1") == "action"
    assert [x.digits for x in blacklist.list_rules(account, "907 34")] == ["5149073400"]
    assert [x.digits for x in blacklist.list_rules(account, "commence")] == ["418"]
    assert [x.digits for x in blacklist.list_rules(account, "bloquer")] == ["5149073400"]
    assert len(blacklist.list_rules(account)) == 2 and blacklist.list_rules(account, "zzz") == []
    blacklist.update_rule(account, first, dict(match="ends_with", digits="3400"))
    with pytest.raises(NotFound):
        blacklist.get_rule(other, first.id)
    assert blacklist.delete_all_rules(account) == 2
    db.session.commit()
    assert blacklist.list_rules(account) == [] and len(blacklist.list_rules(other)) == 1


def test_blacklist_matcher_is_rebuilt_only_when_rules_change(acme):
    account, _ = acme
    blacklist.create_rule(account, digits="4185551234")
    db.session.commit()
    token = db.session.get(CallVersion, account.id).blacklist_token
    compiled = blacklist.matcher(account.id, token)
    assert blacklist.matcher(account.id, token) is compiled
    blacklist.create_rule(account, digits="4185550000")
    db.session.commit()
    fresh = db.session.get(CallVersion, account.id).blacklist_token
    assert fresh != token and not blacklist.screen(account.id, fresh, "4185550000").allowed


BAD_INPUTS = [
    (NumberCreateSchema, {"e164": "call me"}, "e164"),
    (NumberCreateSchema, {"e164": "+15145550100", "owner": 3}, "owner"),
    (ClosureMessageSchema, {"closure_message_path": "/tmp/$x.wav"}, "closure_message_path"),
    (TreatmentSchema, {"kind": "extension"}, "extension_id"),
    (TreatmentSchema, {"kind": "teleport"}, "kind"),
    (TreatmentSchema, {"kind": "message", "message_path": "pbx/office-closed.wav", "message_then": "continue"}, "next_treatment_id"),
    (PreviewQuerySchema, {"at": "tomorrow"}, "at"),
    (WeekSchema, {"ranges": [{"weekday": 8, "opens_at": "08:00", "closes_at": "09:00"}]}, "ranges"),
    (WeekSchema, {"ranges": [{"weekday": 1, "opens_at": "25:00", "closes_at": "09:00"}]}, "ranges"),
    (ExceptionCreateSchema, {"start_date": "2026-02-30"}, "start_date"),
    (ExceptionCreateSchema, {"start_date": "2026-05-02", "end_date": "2026-05-01"}, "end_date"),
    (ExceptionCreateSchema, {"start_date": "2026-05-02", "kind": "between"}, "closed_from"),
    (RuleCreateSchema, {"digits": "514 907-3400"}, "digits"),
    (RuleCreateSchema, {"digits": "5149073400", "match": "regex"}, "match"),
    (RuleUpdateSchema, {"action": "maybe"}, "action"),
    (DeleteAllRulesSchema, {"confirm": False}, "confirm"),
    (MenuCreateSchema, {"name": "Accueil", "repeat_count": 0}, "repeat_count"),
    (MenuCreateSchema, {"name": ""}, "name"),
    (MenuKeysSchema, {"keys": {"#": 1}}, "keys"),
]


@pytest.mark.parametrize("schema,data,field", BAD_INPUTS)
def test_each_schema_refuses_bad_input_naming_the_field(schema, data, field):
    with pytest.raises(ValidationError) as error:
        schema().load(data)
    assert field in error.value.messages
