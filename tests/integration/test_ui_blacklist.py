"""Blacklist pages (BL-1..3, guide 8): list with search, create, edit, delete one, delete all
after confirmation, digits-only errors beside the field, admin-only, other tenants 404."""
from __future__ import annotations

import pytest

from fs_service.blacklist import rules as blacklist
from fs_service.db import db
from fs_service.models import BlacklistRule
from tests.integration.test_api_blacklist import site  # noqa: F401
from tests.integration.test_api_support import count, log_in

FORM = {"action": "block", "match": "equals", "digits": "5149073400"}


def _url(account, tail: str = "") -> str:
    return f"/accounts/{account.id}/blacklist{tail}"


def _as(client, user):
    log_in(client, user)
    return client


def _rules(account):
    db.session.expire_all()
    return [(r.action, r.match, r.digits) for r in blacklist.list_rules(account)]


def test_admin_creates_a_rule_and_sees_it_in_french(client, site):
    admin = _as(client, site.admin)
    page = admin.get(_url(site.account)).text
    assert "Liste noire" in page and "est égal à" in page and "fini par" in page and "Confirmer" in page
    response = admin.post(_url(site.account), data=FORM, follow_redirects=True)
    assert response.status_code == 200 and "5149073400" in response.text and "Bloquer" in response.text
    assert _rules(site.account) == [("block", "equals", "5149073400")]


def test_search_finds_digits_or_words(client, site):
    for match, digits in (("equals", "5149073400"), ("starts_with", "819"), ("contains", "5555")):
        blacklist.create_rule(site.account, match=match, digits=digits)
    db.session.commit()
    admin = _as(client, site.admin)
    page = admin.get(_url(site.account), query_string={"search": "907"}).text
    assert "5149073400" in page and "<code>819</code>" not in page
    page = admin.get(_url(site.account), query_string={"search": "contient"}).text
    assert "<code>5555</code>" in page and "<code>819</code>" not in page
    assert "Aucune règle ne correspond" in admin.get(_url(site.account), query_string={"search": "zz"}).text


BAD = [("digits", "514 907-3400"), ("digits", "514-907-3400"), ("digits", "abc"), ("digits", ""),
       ("digits", "1" * 21), ("action", "reject"), ("match", "like")]


@pytest.mark.parametrize("field, value", BAD)
def test_bad_input_is_400_beside_its_field_and_nothing_is_stored(client, site, field, value):
    response = _as(client, site.admin).post(_url(site.account), data={**FORM, field: value})
    assert response.status_code == 400
    assert f'data-field="{field}"' in response.text
    if field == "digits" and value:
        assert "Chiffres seulement, sans espace ni tiret" in response.text
        assert f'value="{value}"' in response.text  # shown again as typed
    assert _rules(site.account) == []


def test_duplicate_is_refused_beside_the_digits(client, site):
    admin = _as(client, site.admin)
    admin.post(_url(site.account), data=FORM)
    response = admin.post(_url(site.account), data=FORM)
    assert response.status_code == 400 and "Cette règle existe déjà." in response.text


def test_edit_and_delete_one_rule(client, site):
    rule = blacklist.create_rule(site.account, digits="514")
    db.session.commit()
    admin = _as(client, site.admin)
    assert 'value="514"' in admin.get(_url(site.account, f"/{rule.id}/edit")).text
    bad = admin.post(_url(site.account, f"/{rule.id}/edit"), data={**FORM, "digits": "51 4"})
    assert bad.status_code == 400 and _rules(site.account) == [("block", "equals", "514")]
    admin.post(_url(site.account, f"/{rule.id}/edit"), data={"action": "allow", "match": "starts_with",
                                                            "digits": "819"})
    assert _rules(site.account) == [("allow", "starts_with", "819")]
    assert "Supprimer la règle" in admin.get(_url(site.account, f"/{rule.id}/delete")).text
    admin.post(_url(site.account, f"/{rule.id}/delete"))
    assert _rules(site.account) == []


def test_delete_all_asks_for_a_ticked_confirmation(client, site):
    for digits in ("111", "222"):
        blacklist.create_rule(site.account, digits=digits)
    db.session.commit()
    admin = _as(client, site.admin)
    assert "2 règles seront supprimées." in admin.get(_url(site.account, "/delete-all")).text
    refused = admin.post(_url(site.account, "/delete-all"))
    assert refused.status_code == 400 and 'data-field="confirm"' in refused.text and len(_rules(site.account)) == 2
    done = admin.post(_url(site.account, "/delete-all"), data={"confirm": "on"}, follow_redirects=True)
    assert "2 règles supprimées." in done.text and _rules(site.account) == []
    assert count(BlacklistRule) == 1  # the other tenant's rule stays


def test_users_get_403_and_other_tenants_404(client, site):
    user = _as(client, site.user)
    assert user.get(_url(site.account)).status_code == 403
    assert user.post(_url(site.account), data=FORM).status_code == 403
    admin = _as(client, site.admin)
    assert admin.get(_url(site.other)).status_code == 404
    for tail in (f"/{site.foreign.id}/edit", f"/{site.foreign.id}/delete"):
        assert admin.get(_url(site.account, tail)).status_code == 404
        assert admin.post(_url(site.account, tail), data=FORM).status_code == 404
    assert count(BlacklistRule) == 1
    client.post("/logout")
    assert client.get(_url(site.account)).status_code == 302
