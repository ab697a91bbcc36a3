"""The first hour of an operator and an admin (issue 20), in a real Chromium: the operator enters
an account, a refused save brings the eye to its first field, warnings show before saving, quick
edit keeps its number column and header in place, menus never break an item onto two lines,
and a screenshot of every main page is kept (``.cache/screenshots/``, path printed)."""
from __future__ import annotations

from pathlib import Path

import pyotp

from fs_service.db import db
from fs_service.numbers import rules as numbers
from tests.browser.test_ui_browser import browser, serving  # noqa: F401
from tests.factories import OPERATOR_TOTP_SECRET, PASSWORD, make_account, make_extension, make_operator

SCREENSHOTS = Path(__file__).resolve().parents[2] / ".cache" / "screenshots"


def seeded(make_app, extensions: int = 3):
    app = make_app()
    with app.app_context():
        operator = make_operator()
        account, admin = make_account(name="Acme", sip_domain="acme.example.com")
        exts = [make_extension(account, str(100 + n), caller_id_name=f"Poste {n}") for n in range(extensions)]
        numbers.create_number(account, "+15145550100", label="Accueil")
        numbers.create_number(account, "+15145550199", label="Fax", is_fax=True)
        admin.can_fax = True
        db.session.commit()
        return app, operator.email, admin.email, account.id, exts[0].id


def log_in(page, base: str, email: str, operator: bool = False) -> None:
    page.goto(f"{base}/login")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit].primary")
    if operator:
        page.wait_for_url("**/login/code")
        page.fill("#f-code", pyotp.TOTP(OPERATOR_TOTP_SECRET).now())
        page.click("button[type=submit].primary")
        page.wait_for_url("**/operator/accounts")
    else:
        page.wait_for_url("**/accounts/*/")


def one_line_each(page, selector: str) -> list[str]:
    """The menu items whose text is broken onto more than one line."""
    return page.eval_on_selector_all(selector, """items => items.filter(a => {
        const lines = a.getClientRects().length, h = a.getBoundingClientRect().height;
        return lines > 1 || h > parseFloat(getComputedStyle(a).lineHeight) * 1.5; }).map(a => a.textContent)""")


def test_operator_enters_an_account_sees_its_whole_menu_and_comes_back(make_app, browser):
    app, operator, _admin, account_id, _ = seeded(make_app)
    with serving(app) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(10_000)
        log_in(page, base, operator, operator=True)
        assert page.locator(".accountnav").count() == 0
        page.click("table >> text=Acme")
        page.wait_for_url(f"**/accounts/{account_id}/")
        assert page.locator("#operator-in").inner_text().startswith("Opérateur dans Acme")
        menu = page.locator(".accountnav a").all_inner_texts()
        for entry in ("Tableau de bord", "Postes", "Numéros", "Menus d'accueil", "Liste noire", "Numéros de fax",
                      "Passerelle"):
            assert entry in menu, entry
        assert one_line_each(page, ".accountnav a, .mainnav a") == []

        page.click(".accountnav >> text=Numéros de fax")
        page.wait_for_url(f"**/accounts/{account_id}/fax/settings")
        page.click(".accountnav >> text=Passerelle")
        page.wait_for_url(f"**/operator/accounts/{account_id}/gateway")
        assert "Opérateur dans Acme" in page.locator("#operator-in").inner_text()
        page.click("#operator-in >> text=Retour aux comptes")
        page.wait_for_url("**/operator/accounts")
        assert page.locator("#operator-in").count() == 0


def test_a_refused_save_focuses_the_first_field_in_error_and_lists_it(make_app, browser):
    app, _operator, admin, account_id, ext_id = seeded(make_app)
    with serving(app) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(10_000)
        log_in(page, base, admin)
        page.goto(f"{base}/accounts/{account_id}/extensions/{ext_id}/settings")
        page.fill("#f-fmfm_ring_seconds", "999")  # far down the page
        page.click("#settings button[type=submit].primary")
        page.wait_for_load_state("load")
        focused = page.evaluate("document.activeElement.id")
        assert focused == "f-fmfm_ring_seconds"
        in_view = page.evaluate("""() => { const r = document.activeElement.getBoundingClientRect();
                                           return r.top >= 0 && r.bottom <= innerHeight; }""")
        assert in_view and page.evaluate("scrollY") > 500
        links = page.locator("#error-links a")
        label = page.locator("label[for=f-fmfm_ring_seconds]").inner_text()
        assert links.count() == 1 and links.inner_text() == label
        page.evaluate("scrollTo(0, 0)")
        links.first.click()
        assert page.evaluate("document.activeElement.id") == "f-fmfm_ring_seconds"


def test_follow_me_while_forwarding_is_warned_before_saving(make_app, browser):
    app, _operator, admin, account_id, ext_id = seeded(make_app)
    with serving(app) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(10_000)
        log_in(page, base, admin)
        page.goto(f"{base}/accounts/{account_id}/extensions/{ext_id}/settings")
        warning = page.locator("[data-warning=forward_enabled]")
        assert warning.is_hidden()
        page.check("#settings [name=forward_enabled]")
        assert warning.is_hidden()
        page.check("#settings [name=fmfm_enabled]")
        assert warning.is_visible() and "renvoi" in warning.inner_text()
        assert page.locator("[data-warning=fmfm_enabled]").is_visible()
        page.uncheck("#settings [name=forward_enabled]")
        assert warning.is_hidden()


def test_an_overnight_range_is_said_before_saving(make_app, browser):
    app, _operator, admin, account_id, _ = seeded(make_app)
    with app.app_context():
        number_id = numbers.find_number("+15145550100").id
    with serving(app) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(10_000)
        log_in(page, base, admin)
        page.goto(f"{base}/accounts/{account_id}/numbers/{number_id}")
        page.fill("input[name=d0_from_0]", "17:00")
        page.fill("input[name=d0_to_0]", "09:00")
        note = page.locator(".overnight-warning").first
        assert note.is_visible() and "lendemain" in note.inner_text()
        page.fill("input[name=d0_to_0]", "18:00")
        assert note.is_hidden()


def test_quick_edit_keeps_the_number_column_and_header_and_hides_column_groups(make_app, browser):
    app, _operator, admin, account_id, _ = seeded(make_app, extensions=30)
    with serving(app) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(10_000)
        log_in(page, base, admin)
        page.goto(f"{base}/accounts/{account_id}/extensions/quick-edit")
        box = page.locator(".quick-edit-scroll")
        frame = box.bounding_box()
        assert frame["x"] + frame["width"] <= 1280  # the table scrolls inside its box, not the page
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        number_cell = page.locator("tr[data-number='100'] .sticky-col")
        header = page.locator("thead tr:nth-child(2) th.sticky-col")
        before = number_cell.bounding_box()
        box.evaluate("b => b.scrollTo(b.scrollWidth, 0)")
        assert box.evaluate("b => b.scrollLeft") > 300
        after = number_cell.bounding_box()
        assert abs(after["x"] - before["x"]) < 1 and number_cell.inner_text() == "100"
        header_top = header.bounding_box()["y"]
        box.evaluate("b => b.scrollTo(b.scrollLeft, b.scrollHeight)")
        assert box.evaluate("b => b.scrollTop") > 300
        assert abs(header.bounding_box()["y"] - header_top) < 1  # the header stays on top
        page.screenshot(path=str(SCREENSHOTS / "quick-edit-scrolled.png"))

        width = box.evaluate("b => b.scrollWidth")
        page.uncheck("#show-permissions")
        page.uncheck("#show-config")
        assert page.locator("td.g-permissions").first.is_hidden()
        assert box.evaluate("b => b.scrollWidth") < width
        page.click("button[type=submit].primary")  # hidden columns are still sent as they were
        page.wait_for_load_state("load")
        assert page.locator(".flash-success").count() == 1


def test_a_screenshot_of_every_main_page(make_app, browser):
    app, operator, admin, account_id, _ = seeded(make_app)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with serving(app) as base:
        for who, email, width in (("operator", operator, 1400), ("admin", admin, 1280)):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.set_default_timeout(10_000)
            log_in(page, base, email, operator=who == "operator")
            page.goto(f"{base}/accounts/{account_id}/")
            links = page.eval_on_selector_all(".mainnav a, .accountnav a", "items => items.map(a => a.href)")
            shots = 0
            for link in dict.fromkeys(links):
                page.goto(link)
                assert one_line_each(page, ".accountnav a, .mainnav a") == [], link
                name = link.removeprefix(base).strip("/").replace("/", "_") or "home"
                page.screenshot(path=str(SCREENSHOTS / f"{who}-{name}.png"), full_page=True)
                shots += 1
            assert shots >= 10
            page.close()
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, base, admin)
        page.goto(f"{base}/accounts/{account_id}/fax/send")
        submit = page.locator("#fax-submit")
        submit.evaluate("b => { b.disabled = true; }")
        assert float(submit.evaluate("b => getComputedStyle(b).opacity")) < 0.6  # visibly disabled
        page.screenshot(path=str(SCREENSHOTS / "admin-fax-send.png"), full_page=True)
    print(f"screenshots in {SCREENSHOTS}")
