"""Extension settings rules and shapes that need no database (EXT-3..5, FWD-2, FMFM-1)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from marshmallow import ValidationError

from fs_service.errors import Forbidden, ValidationFailed
from fs_service.extensions import settings as core, settings_rules as rules
from schema.extension_settings import AdminSettingsSchema, QuickEditSchema, UserSettingsSchema

FACTS = SimpleNamespace(extension_numbers={"101", "102"}, phone_numbers={"+15145550100": 1})  # 514 is local


def extension(**overrides) -> SimpleNamespace:
    values = dict(number="101", long_distance="unlimited", international="disabled", outbound_caller_id_name=None,
                  fmfm_enabled=False, forward_mode="off")
    return SimpleNamespace(**{**values, **overrides})


@pytest.mark.parametrize("number, problem", [
    ("102", None),
    ("101", rules.SELF_FORWARD),
    ("103", rules.NOT_AN_EXTENSION),
    ("911", rules.EMERGENCY_TARGET),
    ("9911", rules.EMERGENCY_TARGET),
    ("311", rules.EMERGENCY_TARGET),
    ("5145551234", None),
    ("15145551234", None),         # long distance, unlimited
    ("18005551234", None),         # toll free: always allowed
    ("011442071234567", rules.NEEDS_CODE),  # international disabled
    ("+442071234567", rules.NEEDS_CODE),
    ("123456", rules.INVALID_NUMBER),
])
def test_forward_targets(number, problem):
    assert rules.target_problem(FACTS, extension(), number, extension_ok=True) == problem


def test_a_forward_that_needs_an_access_code_is_refused_nobody_can_type_it():
    ext = extension(long_distance="code")
    for number in ("16135550123", "+16135550123", "6135550123"):  # long distance in every form
        assert rules.target_problem(FACTS, ext, number, extension_ok=True) == rules.NEEDS_CODE
    for number in ("5145550123", "15145550123", "+15145550123", "4385550123"):  # local (438: 514's overlay)
        assert rules.target_problem(FACTS, ext, number, extension_ok=True) is None


def test_follow_me_needs_an_external_number():
    assert rules.target_problem(FACTS, extension(), "102", extension_ok=False) == rules.EXTERNAL_ONLY


def test_the_result_reads_changes_over_stored_values():
    result = rules.Result(extension(), {"long_distance": "disabled"})
    assert (result.long_distance, result.number) == ("disabled", "101")


@pytest.mark.parametrize("text, e164", [("5145550100", "+15145550100"), ("15145550100", "+15145550100"),
                                        ("+15145550100", "+15145550100"), ("+442071234567", "+442071234567")])
def test_account_numbers_are_matched_in_any_usual_spelling(text, e164):
    assert rules.as_e164(text) == e164


def test_warnings_accents_for_admins_and_follow_me_under_forwarding():
    accented = extension(outbound_caller_id_name="Société")
    assert rules.warnings_for(accented, as_admin=True) == [rules.ACCENT_WARNING]
    assert rules.warnings_for(accented, as_admin=False) == []  # users never see that name
    assert rules.warnings_for(extension(outbound_caller_id_name="Societe"), as_admin=True) == []
    both = extension(fmfm_enabled=True, forward_mode="always")
    assert rules.warnings_for(both, as_admin=False) == [rules.FMFM_UNUSED_WARNING]


def test_admin_only_settings_are_forbidden_to_users_before_anything_else():
    with pytest.raises(Forbidden) as refused:
        core._allowed({"recording": "all", "ring_seconds": 5}, as_admin=False, replace=False)
    assert list(refused.value.details) == ["recording"]
    core._allowed({"recording": "all"}, as_admin=True, replace=False)


def test_unknown_settings_and_incomplete_replacements_are_refused():
    with pytest.raises(ValidationFailed) as unknown:
        core._allowed({"sip_password": "x"}, as_admin=True, replace=False)
    assert list(unknown.value.details) == ["sip_password"]
    with pytest.raises(ValidationFailed) as missing:
        core._allowed({"dnd": True}, as_admin=False, replace=True)
    assert set(missing.value.details) == set(core.USER_FIELDS) - {"dnd"}


@pytest.mark.parametrize("typed, stored", [("(514) 555-1234", "5145551234"), ("+1 514.555.1234", "+15145551234"),
                                           ("102", "102")])
def test_phone_numbers_are_kept_as_digits(typed, stored):
    assert UserSettingsSchema().load({"forward_destination": typed}) == {"forward_destination": stored}


@pytest.mark.parametrize("typed", ["sip:x@y", "1", "5145551234;x", "${x}", "++1514"])
def test_anything_else_is_not_a_phone_number(typed):
    with pytest.raises(ValidationError) as refused:
        UserSettingsSchema().load({"fmfm_number": typed})
    assert list(refused.value.messages) == ["fmfm_number"]


def test_an_emptied_box_means_none_and_user_schemas_have_no_admin_field():
    assert AdminSettingsSchema().load({"fmfm_number": "", "long_distance_code": ""}) == {
        "fmfm_number": None, "long_distance_code": None}
    with pytest.raises(ValidationError) as refused:
        UserSettingsSchema().load({"recording": "all"})
    assert list(refused.value.messages) == ["recording"]


def test_quick_edit_rows_are_keyed_by_extension_and_errors_by_cell():
    rows = QuickEditSchema().load({"extensions": [{"id": 7, "ring_seconds": 30}, {"id": 9, "dnd": True}]})
    assert rows == {7: {"ring_seconds": 30}, 9: {"dnd": True}}
    with pytest.raises(ValidationError) as refused:
        QuickEditSchema().load({"extensions": [{"id": 7, "ring_seconds": 999}, {"id": True}, {"id": 7},
                                               {"id": 9, "colour": "red"}]})
    assert set(refused.value.messages) == {"7.ring_seconds", "extensions.1", "7.id", "9.colour"}
