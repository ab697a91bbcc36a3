"""A phone's display list in a real Chromium (guide 7.5): the admin adds three colleagues from
the company book, ticks them as favourites, moves the last one up with ▲, saves; the phone's
provisioning file then has the three BLF keys in that order."""
from __future__ import annotations

from urllib.request import urlopen

from fs_service.db import db
from fs_service.phones import rules
from tests.browser.test_ui_browser import browser, log_in, serving  # noqa: F401 (fixture)
from tests.factories import PASSWORD, make_account, make_extension
from tests.unit.test_provisioning_render import key_values


def test_admin_orders_a_phones_favourites_and_the_phone_gets_them_in_order(make_app, browser):
    app = make_app()
    with app.app_context():
        account, admin = make_account(name="Acme", sip_domain="acme.example.com")
        ext = {n: make_extension(account, n, caller_id_name=name)
               for n, name in (("101", "Reception"), ("103", "Chloé"), ("104", "Denis"), ("105", "Eve"))}
        device = rules.add_phone(account, mac="00:15:65:AA:BB:CC", name="Desk", model="yealink_t46u")
        rules.assign(account, device, ext["101"].id, 1)
        db.session.commit()
        email, secret = admin.email, device.secret
    with serving(app) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(10_000)
        log_in(page, base, email, PASSWORD)
        page.click("nav >> text=Téléphones")
        page.click("text=Carnets d'adresses sur le téléphone")
        page.click("#books li[data-book='company'] a")
        for number in ("103", "104", "105"):
            page.click(f"#contacts tr[data-contact='{number}'] button")
            page.wait_for_selector(f"#entries tr:has-text('({number})')")
        for box in page.locator("#entries input[name^=favourite-]").all():
            box.check()
        page.check("input[name=configure_books]")
        page.click("#entries tr:nth-child(3) button[title='Monter']")  # 105 above 104
        page.wait_for_selector(".flash-success")
        assert [row.inner_text().split("(")[-1].rstrip(")")
                for row in page.locator("#entries td.entry-name").all()] == ["103", "105", "104"]
        with urlopen(f"{base}/provisioning/{secret}/001565aabbcc.cfg", timeout=10) as reply:
            kv = key_values(reply.read())
    assert [(kv[f"linekey.{k}.type"], kv[f"linekey.{k}.value"]) for k in (2, 3, 4)] == [
        ("16", "103"), ("16", "105"), ("16", "104")]
