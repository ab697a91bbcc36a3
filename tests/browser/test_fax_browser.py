"""The fax pages' scripts in Chromium under the Content-Security-Policy (no inline script):
the send form checks each chosen PDF at once, the outbox refreshes a fax on its way."""
from __future__ import annotations

import sqlalchemy as sa
from reportlab.lib.pagesizes import LETTER, landscape

from fs_service.db import db
from fs_service.models import FaxJob
from tests.browser.test_ui_browser import browser, serving  # noqa: F401 - fixture
from tests.factories import PASSWORD
from tests.integration.test_fax_worker_support import build_world
from tests.unit.test_fax_support import make_pdf


def logged_in_page(browser, base, email):  # noqa: F811 - the fixture's value
    page = browser.new_page()
    page.set_default_timeout(10_000)
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda error: violations.append(str(error)))
    page.goto(f"{base}/login")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url("**/accounts/*/**")
    return page, violations


def pdf_file(name: str, content: bytes) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": content}


def test_the_send_form_checks_each_pdf_and_blocks_a_bad_one(make_app, browser, tmp_path):  # noqa: F811
    app = make_app(fax_storage=str(tmp_path / "fax"))
    with app.app_context():
        world = build_world(app, None)
        account_id, email = world.account.id, world.sender.email
    with serving(app) as base:
        page, violations = logged_in_page(browser, base, email)
        page.goto(f"{base}/accounts/{account_id}/fax/send")
        page.set_input_files("#f-documents", [pdf_file("paysage.pdf", make_pdf(landscape(LETTER)))])
        page.wait_for_selector("#file-verdicts li.field-error:has-text('paysage.pdf')")
        assert page.locator("#fax-submit").is_disabled()

        page.set_input_files("#f-documents", [pdf_file("contrat.pdf", make_pdf(LETTER))])
        page.wait_for_selector("#file-verdicts li:has-text('✓ contrat.pdf')")
        assert page.locator("#fax-submit").is_enabled()
        assert violations == []


def test_the_outbox_refreshes_a_fax_on_its_way_without_a_reload(make_app, browser, tmp_path):  # noqa: F811
    app = make_app(fax_storage=str(tmp_path / "fax"))
    with app.app_context():
        world = build_world(app, None)
        job = world.submit()
        db.session.execute(sa.update(FaxJob).where(FaxJob.id == job.id).values(state="sending", pages_sent=1))
        db.session.commit()
        account_id, job_id, email = world.account.id, job.id, world.sender.email
    with serving(app) as base:
        page, violations = logged_in_page(browser, base, email)
        page.goto(f"{base}/accounts/{account_id}/fax/outbox")
        row = page.locator(f"#job-{job_id}")
        assert row.get_attribute("data-active") == "true"
        with app.app_context():
            db.session.execute(sa.update(FaxJob).where(FaxJob.id == job_id).values(state="sent", pages_sent=2))
            db.session.commit()
        page.wait_for_selector(f"#job-{job_id}[data-active=false]")
        assert "state-sent" in row.locator(".fax-state .pill").get_attribute("class")
        assert violations == []
