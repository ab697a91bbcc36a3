"""The UI in a real Chromium (Debian's), driven by Playwright, against the app served over HTTP.

No skip: a machine without Chromium fails this test with a clear message, because a UI that
was never rendered by a browser is not tested.
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

from tests.factories import PASSWORD, make_account, make_extension

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOT = "/tmp/ui.png"


@contextmanager
def serving(app):
    """The real WSGI server on an OS-chosen loopback port, in a thread, stopped on exit."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="ui-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def log_in(page, base: str, email: str, password: str) -> None:
    """Through the login form, as a person would; waits for the account's home page."""
    page.goto(f"{base}/")
    page.fill("#f-email", email)
    page.fill("#f-password", password)
    page.click("button[type=submit].primary")
    page.wait_for_url("**/accounts/*/")


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium is required for the browser tests: {CHROMIUM} not found "
                    "(apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_admin_logs_in_creates_an_extension_and_switches_to_english(make_app, browser):
    app = make_app()
    with app.app_context():
        account, admin = make_account(name="Acme Québec", sip_domain="acme.example.com")
        make_extension(account, "101", caller_id_name="Reception")
        email = admin.email
    with serving(app) as base:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.set_default_timeout(10_000)
        page.goto(f"{base}/")
        assert page.locator("h1").inner_text() == "Se connecter"
        page.fill("#f-email", email)
        page.fill("#f-password", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url("**/accounts/*/")
        assert "Acme Québec" in page.locator("h1").inner_text()

        page.click("text=Nouveau poste")
        page.check("input[name=number_pick][value='102']")
        page.fill("#f-caller_id_name", "Sales desk")
        page.check("input[name=assignment][value=admin]")
        page.click("text=Créer le poste")
        page.wait_for_url("**/extensions/*")
        assert "Poste 102 créé." in page.locator(".flash-success").inner_text()

        page.click("nav >> text=Postes")
        row = page.locator("tr[data-number='102']")
        assert "Sales desk" in row.inner_text()
        page.screenshot(path=SCREENSHOT, full_page=True)

        page.click("a[hreflang=en]")
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Extensions"
        assert page.locator("html").get_attribute("lang") == "en"
        assert "Sales desk" in page.locator("tr[data-number='102']").inner_text()
