"""Number pages (HRS-1..4, guide 4 and 5): the list, the weekly editor with the treatments,
exceptions, the preview (the dialplan's own decision), the closure message, the operator's
"add a number", bad input beside its field, admin-only, other tenants 404."""
from __future__ import annotations

import html
from datetime import date, time
from types import SimpleNamespace

import pytest

from fs_service.db import db
from fs_service.models import PhoneNumber, ScheduleException, Treatment
from fs_service.numbers import rules as numbers, schedules, treatments
from tests.factories import make_account, make_extension, make_operator, make_user
from tests.integration.test_api_support import count, log_in


@pytest.fixture
def site(app):
    account, admin = make_account(sip_domain="a.example.com")
    user = make_user(account)
    reception = make_extension(account, "201")
    number = numbers.create_number(account, "+15145550100", label="Main")
    ring = treatments.create_treatment(account, kind="extension", extension_id=reception.id)
    other, other_admin = make_account(sip_domain="b.example.com")
    foreign = numbers.create_number(other, "+15145550199")
    db.session.commit()
    return SimpleNamespace(account=account, admin=admin, user=user, number=number, ring=ring, reception=reception,
                           other=other, other_admin=other_admin, foreign=foreign)


def _url(site, tail: str = "", number=None) -> str:
    number = number or site.number
    return f"/accounts/{site.account.id}/numbers/{number.id}{tail}"


def _as(client, user):
    log_in(client, user)
    return client


def week_form(site, **overrides) -> dict:
    """Monday–Thursday 07:30–16:30, Friday 08:00–12:00 and 13:00–17:00, weekend closed."""
    form = {"label": "Main", "timezone": "America/Toronto", "open_treatment_id": str(site.ring.id),
            "closed_treatment_id": ""}
    for day in range(4):
        form |= {f"d{day}_from_0": "07:30", f"d{day}_to_0": "16:30", f"d{day}_from_1": "", f"d{day}_to_1": ""}
    form |= {"d4_from_0": "08:00", "d4_to_0": "12:00", "d4_from_1": "13:00", "d4_to_1": "17:00"}
    form |= {"d5_closed": "on", "d5_from_0": "", "d5_to_0": "", "d6_closed": "on"}
    return form | overrides


def _week(site):
    db.session.expire_all()
    return [(r.weekday, f"{r.opens_at:%H:%M}", f"{r.closes_at:%H:%M}") for r in schedules.week(site.account,
                                                                                             site.number)]


def test_the_list_shows_the_accounts_numbers_only(client, site):
    page = _as(client, site.admin).get(f"/accounts/{site.account.id}/numbers").text
    assert "+15145550100" in page and "+15145550199" not in page and "Numéros" in page
    assert "Ajouter un numéro à ce compte" not in page  # the operator's


def test_admin_saves_the_week_and_the_treatments(client, site):
    admin = _as(client, site.admin)
    page = admin.get(_url(site)).text
    assert "Fermé toute la journée" in page and "Lundi" in page and 'name="d0_from_1"' in page
    assert "America/Toronto" in page and "Poste 201" in page
    response = admin.post(_url(site), data=week_form(site), follow_redirects=True)
    assert response.status_code == 200 and "Numéro +15145550100 enregistré." in response.text
    assert _week(site) == [(0, "07:30", "16:30"), (1, "07:30", "16:30"), (2, "07:30", "16:30"),
                           (3, "07:30", "16:30"), (4, "08:00", "12:00"), (4, "13:00", "17:00")]
    assert site.number.open_treatment_id == site.ring.id and site.number.closed_treatment_id is None
    page = admin.get(_url(site)).text
    assert 'name="d4_from_1" value="13:00"' in page and 'name="d5_closed" value="on" checked' in page


def test_a_range_past_midnight_is_saved_and_said_back_after_the_save(client, site):
    """Without JavaScript the page cannot warn before saving; it says so after, each such day."""
    admin = _as(client, site.admin)
    response = admin.post(_url(site), data=week_form(site, d0_from_0="17:00", d0_to_0="09:00", d1_from_0="09:00",
                                                        d1_to_0="00:00"),
                          follow_redirects=True)
    assert response.status_code == 200 and "Numéro +15145550100 enregistré." in response.text
    page = html.unescape(response.text)
    assert "Lundi : de 17:00 à 09:00 passe minuit : ouvert jusqu'à 09:00 le lendemain." in page
    assert "Mardi : de" not in page  # 09:00 until midnight is not overnight
    assert _week(site)[0] == (0, "17:00", "09:00")


BAD_WEEK = [
    ({"d0_from_0": "7h30"}, "d0_from_0"), ({"d0_to_0": "25:00"}, "d0_to_0"), ({"d0_to_0": ""}, "d0_to_0"),
    ({"d0_from_0": "", "d0_to_0": "16:30"}, "d0_from_0"), ({"d1_to_0": "07:30"}, "d1_to_0"),
    ({"d0_from_1": "12:00", "d0_to_1": "13:00"}, "week"), ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"open_treatment_id": "999999"}, "open_treatment_id"), ({"closed_treatment_id": "abc"}, "closed_treatment_id"),
    ({"label": "x" * 81}, "label"),
]


@pytest.mark.parametrize("changes, field", BAD_WEEK)
def test_bad_week_is_400_beside_its_field_and_nothing_is_stored(client, site, changes, field):
    response = _as(client, site.admin).post(_url(site), data=week_form(site, **changes))
    assert response.status_code == 400, response.text
    assert f'data-field="{field}"' in response.text
    assert _week(site) == [] and site.number.open_treatment_id is None


def test_exception_added_edited_and_deleted(client, site):
    admin = _as(client, site.admin)
    form = {"label": "Vacances", "start_date": "2026-07-19", "end_date": "2026-08-01", "kind": "all_day",
            "closed_from": "", "closed_until": "", "treatment_id": ""}
    response = admin.post(_url(site, "/exceptions/new"), data=form, follow_redirects=True)
    assert response.status_code == 200 and "Exceptions (1)" in response.text and "2026-07-19" in response.text
    exc = schedules.list_exceptions(site.account, site.number)[0]
    assert (exc.start_date, exc.end_date, exc.kind, exc.repeat_yearly, exc.treatment_id) == \
        (date(2026, 7, 19), date(2026, 8, 1), "all_day", False, None)
    edit = _url(site, f"/exceptions/{exc.id}/edit")
    assert 'value="2026-07-19"' in admin.get(edit).text
    admin.post(edit, data={**form, "kind": "between", "closed_from": "12:00", "closed_until": "00:00",
                           "repeat_yearly": "on", "treatment_id": str(site.ring.id)})
    db.session.expire_all()
    assert (exc.kind, exc.closed_from, exc.closed_until, exc.repeat_yearly, exc.treatment_id) == \
        ("between", time(12), time(0), True, site.ring.id)
    admin.post(_url(site, f"/exceptions/{exc.id}/delete"))
    assert count(ScheduleException) == 0


BAD_EXCEPTION = [
    ({"start_date": ""}, "start_date"), ({"start_date": "2026-13-01"}, "start_date"),
    ({"end_date": "2026-07-01"}, "end_date"), ({"kind": "between"}, "closed_from"),
    ({"kind": "between", "closed_from": "14:00", "closed_until": "10:00"}, "closed_until"),
    ({"kind": "sometimes"}, "kind"), ({"treatment_id": "999999"}, "treatment_id"),
    ({"end_date": "2027-08-01", "repeat_yearly": "on"}, "end_date"),
]


@pytest.mark.parametrize("changes, field", BAD_EXCEPTION)
def test_bad_exception_is_400_beside_its_field(client, site, changes, field):
    form = {"label": "", "start_date": "2026-07-19", "end_date": "", "kind": "all_day", "treatment_id": ""}
    response = _as(client, site.admin).post(_url(site, "/exceptions/new"), data={**form, **changes})
    assert response.status_code == 400 and f'data-field="{field}"' in response.text
    assert count(ScheduleException) == 0


def test_preview_says_what_happens_and_why(client, site):
    admin = _as(client, site.admin)
    admin.post(_url(site), data=week_form(site))
    admin.post(_url(site, "/exceptions/new"), data={"label": "Fête", "start_date": "2026-06-24", "kind": "all_day"})
    page = admin.get(_url(site), query_string={"at_date": "2026-06-22", "at_time": "10:00"}).text
    assert 'data-state="open"' in page and "Ouvert" in page and "Poste 201" in page and "Lundi 07:30" in page
    page = admin.get(_url(site), query_string={"at_date": "2026-06-22", "at_time": "17:00"}).text
    assert 'data-state="closed"' in page and "en dehors des heures" in page
    page = admin.get(_url(site), query_string={"at_date": "2026-06-24", "at_time": "10:00"}).text
    assert 'data-state="exception"' in page and "Fête" in page
    bad = admin.get(_url(site), query_string={"at_date": "demain", "at_time": "10:00"}).text
    assert 'data-field="at_date"' in bad and 'id="decision"' not in bad


def test_closure_message_code_regenerate_and_delete(client, site):
    numbers.set_closure_message(site.account, site.number, "pbx/office-closed.wav")
    db.session.commit()
    old = (site.number.closure_code, site.number.closure_password)
    admin = _as(client, site.admin)
    page = admin.get(_url(site)).text
    assert old[0] in page and old[1] in page and "Supprimer le message" in page
    admin.post(_url(site, "/closure/regenerate"))
    db.session.expire_all()
    assert (site.number.closure_code, site.number.closure_password) != old
    admin.post(_url(site, "/closure/delete"))
    db.session.expire_all()
    assert site.number.closure_message_path is None


def test_create_a_treatment_from_the_number_page(client, site):
    admin = _as(client, site.admin)
    response = admin.post(_url(site, "/treatments"), data={"t_kind": "hangup"})
    assert response.status_code == 302 and count(Treatment) == 2
    bad = admin.post(_url(site, "/treatments"), data={"t_kind": "extension", "t_extension_id": ""})
    assert bad.status_code == 400 and 'data-field="t_extension_id"' in bad.text and count(Treatment) == 2
    bad = admin.post(_url(site, "/treatments"), data={"t_kind": "message", "t_message_path": "../x.exe"})
    assert bad.status_code == 400 and 'data-field="t_message_path"' in bad.text


def test_the_operator_adds_and_removes_numbers(client, site):
    operator = _as(client, make_operator())
    page = operator.get(f"/accounts/{site.account.id}/numbers").text
    assert "Ajouter un numéro à ce compte" in page
    response = operator.post(f"/accounts/{site.account.id}/numbers", data={"e164": "(514) 555-0111"})
    assert response.status_code == 302
    added = numbers.find_number("+15145550111")
    assert added.account_id == site.account.id and added.timezone == site.account.timezone
    for bad in ("555-0111", "+15145550100", "+15145550199"):
        refused = operator.post(f"/accounts/{site.account.id}/numbers", data={"e164": bad})
        assert refused.status_code == 400 and 'data-field="e164"' in refused.text
    operator.post(f"/accounts/{site.account.id}/numbers/{added.id}/delete")
    assert numbers.find_number("+15145550111") is None


def test_admins_cannot_add_numbers_users_get_403_other_tenants_404(client, site):
    admin = _as(client, site.admin)
    assert admin.post(f"/accounts/{site.account.id}/numbers", data={"e164": "+15145550111"}).status_code == 403
    assert admin.post(_url(site, "/delete")).status_code == 403
    assert admin.get(f"/accounts/{site.other.id}/numbers").status_code == 404
    foreign = _url(site, number=site.foreign)
    assert admin.get(foreign).status_code == 404
    assert admin.post(foreign, data=week_form(site)).status_code == 404
    assert admin.post(foreign + "/closure/regenerate").status_code == 404
    assert admin.get(foreign + "/exceptions/new").status_code == 404
    theirs = schedules.create_exception(site.other, site.foreign, start_date=date(2026, 1, 1))
    db.session.commit()
    assert admin.post(_url(site, f"/exceptions/{theirs.id}/delete")).status_code == 404
    assert admin.get(_url(site, f"/exceptions/{theirs.id}/edit")).status_code == 404
    user = _as(client, site.user)
    assert user.get(f"/accounts/{site.account.id}/numbers").status_code == 403
    assert user.get(_url(site)).status_code == 403
    assert count(PhoneNumber) == 2
