"""The operator inside an account (issue 20.1): from the accounts list, the account's whole menu
(the admin's plus the operator-only pages), an "operator in …" marker and a way back; every
entry opens."""
from __future__ import annotations

import re

import pytest

from tests.factories import PASSWORD, make_account, make_operator
from tests.helpers import ui_login

OPERATOR_ONLY = ("/fax/settings", "/gateway")


@pytest.fixture
def site(make_app):
    app = make_app()
    with app.app_context():
        operator = make_operator()
        account, admin = make_account(name="Acme", sip_domain="acme.example.com")
        return app, operator.email, admin.email, account.id


def logged_in(app, email):
    client = app.test_client()
    ui_login(client, email, PASSWORD)
    return client


def account_menu(html: str) -> list[str]:
    nav = re.search(r'<nav class="accountnav".*?</nav>', html, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(0)) if nav else []


def test_operator_enters_an_account_from_the_list_and_reaches_every_page(site):
    app, operator_email, _, account_id = site
    operator = logged_in(app, operator_email)
    listing = operator.get("/operator/accounts").text
    assert account_menu(listing) == []  # not inside an account yet
    entry = re.search(r'<a href="(/accounts/\d+/)">Acme</a>', listing).group(1)
    dashboard = operator.get(entry).text
    assert "Opérateur dans Acme" in dashboard
    links = account_menu(dashboard)
    assert links[0] == "/operator/accounts"  # the way back
    inside = [link for link in links if link.startswith(f"/accounts/{account_id}/")]
    for page in ("numbers", "menus", "blacklist", "fax", "emails", "extensions", "status", "voicemail"):
        assert f"/accounts/{account_id}/{page}" in inside
    assert f"/accounts/{account_id}/fax/settings" in inside
    assert f"/operator/accounts/{account_id}/gateway" in links
    for link in links:
        page = operator.get(link, follow_redirects=True)
        assert page.status_code == 200, link
        if link != "/operator/accounts":
            assert "Opérateur dans Acme" in page.text, link


def test_the_gateway_entry_saves_and_comes_back(site):
    app, operator_email, _, account_id = site
    operator = logged_in(app, operator_email)
    saved = operator.post(f"/operator/accounts/{account_id}/gateway",
                          data={"gateway_id": "", "next": f"/operator/accounts/{account_id}/gateway"})
    assert saved.status_code == 302 and saved.headers["Location"] == f"/operator/accounts/{account_id}/gateway"
    assert "Passerelle de Acme enregistrée." in operator.get(saved.headers["Location"]).text


def test_the_admin_sees_the_account_menu_without_the_operator_pages(site):
    app, _, admin_email, account_id = site
    admin = logged_in(app, admin_email)
    html = admin.get(f"/accounts/{account_id}/").text
    links = account_menu(html)
    assert f"/accounts/{account_id}/numbers" in links and "Opérateur dans" not in html
    assert not [link for link in links if link.endswith(OPERATOR_ONLY) or link.startswith("/operator")]
    assert admin.get(f"/operator/accounts/{account_id}/gateway").status_code == 403
