"""The weekly editor, an exception and the preview, in a real Chromium (guide 5.1–5.2, HRS-7)."""
from __future__ import annotations

from fs_service.db import db
from fs_service.numbers import rules as numbers
from tests.browser.test_ui_browser import browser, serving  # noqa: F401
from tests.factories import PASSWORD, make_account

SCREENSHOT = "/tmp/schedule.png"


def test_admin_sets_hours_adds_an_exception_and_previews_calls(make_app, browser):
    app = make_app()
    with app.app_context():
        account, admin = make_account(name="Acme Québec", sip_domain="acme.example.com")
        numbers.create_number(account, "+15145550100", label="Main")
        db.session.commit()
        email = admin.email
    with serving(app) as base:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.set_default_timeout(10_000)
        page.goto(f"{base}/")
        page.fill("#f-email", email)
        page.fill("#f-password", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url("**/accounts/*/")

        page.click("nav >> text=Numéros")
        page.click("tr[data-number='+15145550100'] >> text=Heures et comportement")
        assert "Comportement du numéro +15145550100" in page.locator("h1").inner_text()
        for day in range(5):  # Monday–Friday 07:30–16:30, the weekend stays closed
            page.uncheck(f"input[name=d{day}_closed]")
            page.fill(f"input[name=d{day}_from_0]", "07:30")
            page.fill(f"input[name=d{day}_to_0]", "16:30")
        page.click("#settings button[type=submit]")
        assert "Numéro +15145550100 enregistré." in page.locator(".flash-success").inner_text()
        assert page.input_value("input[name=d2_to_0]") == "16:30"
        assert page.is_checked("input[name=d5_closed]")

        page.click("text=Ajouter une exception")
        page.fill("#f-label", "Fête nationale")
        page.fill("#f-start_date", "2026-06-24")
        page.check("input[name=kind][value=all_day]")
        page.check("input[name=repeat_yearly]")
        page.click("#exception-form button[type=submit]")
        assert "Exception ajoutée." in page.locator(".flash-success").inner_text()
        assert "Exceptions (1)" in page.locator("#exceptions h2").inner_text()

        page.fill("#f-at_date", "2027-06-24")
        page.fill("#f-at_time", "10:00")
        page.click("#preview button[type=submit]")
        decision = page.locator("#decision")
        assert decision.get_attribute("data-state") == "exception"
        assert "Exception" in decision.inner_text() and "Fête nationale" in decision.inner_text()
        assert "Comportement fermé par défaut" in decision.inner_text()

        page.fill("#f-at_date", "2027-06-23")
        page.fill("#f-at_time", "10:00")
        page.click("#preview button[type=submit]")
        assert page.locator("#decision").get_attribute("data-state") == "open"
        page.screenshot(path=SCREENSHOT, full_page=True)
