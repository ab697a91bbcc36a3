"""Audio conferences in Chromium (guide 16, CONF-1..3, CONF-6): an admin creates a single-use
room through the four-step wizard, a wrong step is refused beside its field with what was typed
kept, and the room's control widget then shows a participant joining -- replayed from the
recorded FreeSWITCH stream through the fake switch and the real ESL listener -- pushed by the
server, without reloading the page. Then the widget's "Mute" reaches the switch.
"""
from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from fs_service.db import db
from fs_service.models import Conference, MailDelivery
from tests.browser.test_status_browser import BUDGET, EslWorld, quick_streams, shows  # noqa: F401 - fixture
from tests.browser.test_ui_browser import browser, serving  # noqa: F401 - fixture
from tests.factories import PASSWORD, make_account, make_extension
from tests.integration.test_conference_waiting_room import WAIT_MOD, split_at
from tests.integration.test_esl_listener_support import event_frames

RECORDED_ROOM = "3001"  # the room number of the recorded stream (3001-acme.test)


def create_through_the_wizard(page, base: str, account_id: int) -> None:
    page.goto(f"{base}/accounts/{account_id}/conferences")
    page.click("#create-conference")
    page.check("input[name=kind][value=single_use]")
    page.click("#wizard-type button.primary")
    page.fill("#f-starts_at", "2026-12-24T10:30")
    page.select_option("#f-duration_minutes", "90")
    page.click("#wizard-info button.primary")  # no title
    assert page.locator(".field-error[data-field=title]").count() == 1
    assert page.input_value("#f-starts_at") == "2026-12-24T10:30"  # kept as typed
    page.fill("#f-title", "Meeting ventes")
    page.click("#wizard-info button.primary")
    page.wait_for_url("**/new/participants")
    page.fill("#f-name", "Ann Lee")
    page.fill("#f-email", "ann-at-example")
    page.select_option("#f-role", "admin")
    page.click("#wizard-participant button[value=add]")
    assert page.locator(".field-error[data-field=email]").count() == 1
    assert page.input_value("#f-name") == "Ann Lee"  # kept as typed
    page.fill("#f-email", "ann@example.com")
    page.click("#wizard-participant button[value=add]")
    assert page.locator("#draft-participants li[data-email='ann@example.com']").count() == 1
    page.click("#wizard-next")
    page.wait_for_url("**/new/summary")
    summary = page.inner_text("#wizard-summary")
    assert "Meeting ventes" in summary and "90 min" in summary and "Ann Lee" in summary
    page.click("#wizard-create")
    page.wait_for_url("**/conferences/*")


def test_an_admin_creates_a_room_and_watches_a_participant_join_live(make_app, browser, quick_streams):  # noqa: F811
    app = make_app()
    with app.app_context():
        acme, admin = make_account(name="Acme", sip_domain="acme.test")
        for number in ("100", "101"):
            make_extension(acme, number=number)
        email, account_id = admin.email, acme.id
    with EslWorld(app) as world, serving(app) as base:
        app.config["PBX"] = dataclasses.replace(app.config["PBX"], freeswitch_nodes=f"fs1=127.0.0.1:{world.port}")
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.set_default_timeout(10_000)
        page.goto(f"{base}/login")
        page.fill("#f-email", email)
        page.fill("#f-password", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url("**/accounts/*/")

        create_through_the_wizard(page, base, account_id)
        with app.app_context():
            room = db.session.scalar(sa.select(Conference))
            assert (room.kind, room.title, room.duration_minutes) == ("single_use", "Meeting ventes", 90)
            invited = sorted(d.recipient for d in db.session.scalars(sa.select(MailDelivery)))
            assert invited == sorted([email, "ann@example.com"])
            room.room_number = RECORDED_ROOM  # so the recorded events are this room's
            db.session.commit()
            room_id = room.id
        assert page.url.endswith(f"/conferences/{room_id}")
        assert page.locator("#invited li").count() == 2

        page.wait_for_function("() => Number(document.getElementById('conference-page').dataset.updates) >= 1")
        page.evaluate("() => { window.sameDocument = true; }")
        assert page.locator("#connected").get_attribute("data-count") == "0"
        joined, _ = split_at(event_frames(WAIT_MOD), "add-member")
        elapsed = shows(page, world, lambda esl: esl.send(joined),
                        "() => document.getElementById('connected').dataset.count === '1'")
        assert page.evaluate("() => window.sameDocument") is True  # pushed, never reloaded
        row = page.locator("#connected tbody tr")
        assert "Participant" in row.inner_text() and row.get_attribute("data-muted") == "false"
        print("conference widget latency", round(elapsed, 3))
        assert elapsed < BUDGET

        world.run(lambda esl: esl.fake.set_reply(f"conference {RECORDED_ROOM}-acme.test mute 1", "+OK mute 1\n"))
        row.locator("button[value=mute]").click()
        page.wait_for_selector(".flash-success")
        assert f"conference {RECORDED_ROOM}-acme.test mute 1" in world.run(lambda esl: esl.fake.api_commands())
        page.screenshot(path="/tmp/conference.png", full_page=True)
        page.close()
