"""A contact added to two address books at once, in a real Chromium (guide 7.4 "Ajouter un
contact dans plusieurs carnets d'adresses"); a phone typed with spaces is refused beside the field."""
from __future__ import annotations

from fs_service.books import rules
from fs_service.db import db
from tests.browser.test_ui_browser import browser, log_in, serving  # noqa: F401
from tests.factories import PASSWORD, make_account

SCREENSHOT = "/tmp/books.png"


def test_admin_adds_one_contact_to_two_books_at_once(make_app, browser):
    app = make_app()
    with app.app_context():
        account, admin = make_account(name="Votre Entreprise Inc.", sip_domain="books.example.com")
        clients = rules.create_shared_book(admin, account, "Clients")
        db.session.commit()
        email, clients_id = admin.email, clients.id
    with serving(app) as base:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.set_default_timeout(10_000)
        log_in(page, base, email, PASSWORD)

        page.click("nav >> text=Carnets d'adresses")
        page.click("#add-contact")
        page.fill("#f-phone", "514 907 3400")
        page.fill("#f-first_name", "Yves")
        page.fill("#f-last_name", "Tremblay")
        page.check("#destination input[value=mine]")
        page.check(f"#destination input[value='{clients_id}']")
        page.click("#contact-form button[type=submit].primary")
        assert "Chiffres seulement" in page.locator("p.field-error[data-field=phone]").inner_text()
        assert page.is_checked(f"#destination input[value='{clients_id}']")  # the choice is kept

        page.fill("#f-phone", "5149073400")
        page.click("#contact-form button[type=submit].primary")
        assert "Contact ajouté avec succès." in page.locator(".flash-success").inner_text()
        counts = {row.get_attribute("data-book"): row.locator("td").nth(1).inner_text()
                  for row in page.locator("#books tbody tr").all()}
        assert counts["mine"] == "1" and counts[str(clients_id)] == "1" and counts["all"] == "1"
        page.click(f"#books tr[data-book='{clients_id}'] >> text=Clients")
        assert "Yves" in page.locator("#contacts").inner_text()
        page.screenshot(path=SCREENSHOT, full_page=True)
