"""A number's "create a treatment" form in a real Chromium (issue 20 item 4): only the chosen
kind's fields show, the message is chosen in a list and its play button plays it."""
from __future__ import annotations

from fs_service.db import db
from fs_service.numbers import rules as numbers
from tests.browser.test_fax_browser import logged_in_page
from tests.browser.test_ui_browser import browser, serving  # noqa: F401
from tests.factories import make_account, make_extension
from tests.unit.test_audio_files import wav
from web.ui import prompt_audio

SCREENSHOT = "/tmp/treatment-form.png"


def _shown(page, name: str) -> bool:
    return page.is_visible(f"[name={name}]")


def test_the_form_shows_the_chosen_kinds_fields_and_plays_the_chosen_message(make_app, browser, tmp_path,
                                                                             monkeypatch):
    monkeypatch.setattr(prompt_audio, "PROMPT_SOUNDS", tmp_path)
    (tmp_path / "fr" / "pbx").mkdir(parents=True)
    (tmp_path / "fr" / "pbx" / "office-closed.wav").write_bytes(wav(seconds=3))
    app = make_app()
    with app.app_context():
        account, admin = make_account(name="Acme", sip_domain="acme.example.com")
        make_extension(account, "201")
        number = numbers.create_number(account, "+15145550100", label="Main")
        db.session.commit()
        email, url = admin.email, f"/accounts/{account.id}/numbers/{number.id}"
    with serving(app) as base:
        page, violations = logged_in_page(browser, base, email)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{base}{url}")

        assert _shown(page, "t_extension_id")  # the default kind: ring an extension
        assert not any(_shown(page, n) for n in ("t_mailbox_id", "t_menu_id", "t_message_path", "t_message_then",
                                                   "t_next_treatment_id"))
        page.select_option("[name=t_kind]", "conference")
        assert not _shown(page, "t_extension_id") and page.is_visible("[data-kinds=conference]")
        page.select_option("[name=t_kind]", "message")
        assert _shown(page, "t_message_path") and _shown(page, "t_message_then")
        assert not _shown(page, "t_extension_id") and not _shown(page, "t_next_treatment_id")
        page.select_option("[name=t_message_then]", "continue")
        assert _shown(page, "t_next_treatment_id")

        assert not page.is_visible("#play-message")  # nothing chosen yet
        page.select_option("[name=t_message_path]", "pbx/office-closed.wav")
        page.click("#play-message")
        page.wait_for_function("() => { const a = document.getElementById('message-player');"
                               " return !a.paused && a.currentTime > 0.2; }")
        assert page.evaluate("document.getElementById('message-player').getAttribute('src')") == \
            "/prompts/fr/office-closed.wav"
        page.screenshot(path=SCREENSHOT, full_page=True)

        page.select_option("[name=t_message_then]", "hangup")
        page.click("#treatments button[type=submit]")
        assert page.locator(".flash-success").count() == 1
        assert "Message enregistré" in page.inner_text("[name=open_treatment_id]")
        assert violations == []  # the form's script runs under the page's Content-Security-Policy
