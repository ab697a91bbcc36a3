from tests.browser.test_ui_browser import serving, browser  # noqa
from tests.factories import PASSWORD
from tests.integration.test_api_voicemail_support import app, site, add_message, add_greeting  # noqa
from fs_service.db import db

def test_probe(app, site, browser):
    add_message(site.own, seconds=2.0, caller="4185550001")
    add_message(site.own, folder="saved", seconds=1.0)
    db.session.commit()
    email, acc, box = site.admin.email, site.account.id, site.own.id
    with serving(app) as base:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(f"{base}/login")
        page.fill("input[name=email]", email); page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{base}/accounts/{acc}/voicemail")
        page.screenshot(path="/tmp/vmprobe/list.png", full_page=True)
        page.goto(f"{base}/accounts/{acc}/voicemail/new")
        page.screenshot(path="/tmp/vmprobe/new.png", full_page=True)
        page.goto(f"{base}/accounts/{acc}/voicemail/{box}")
        page.wait_for_function("document.querySelector('audio').readyState >= 1 || true")
        dur = page.evaluate("""() => new Promise(r => { const a = document.querySelector('audio'); a.preload='metadata';
            a.addEventListener('loadedmetadata', () => r(a.duration)); a.addEventListener('error', () => r('error:' + (a.error && a.error.code))); a.load(); })""")
        print("DURATION", dur)
        page.screenshot(path="/tmp/vmprobe/box.png", full_page=True)
        page.goto(f"{base}/accounts/{acc}/voicemail/{box}/empty")
        page.screenshot(path="/tmp/vmprobe/empty.png", full_page=True)
