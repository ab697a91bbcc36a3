"""The status page in Chromium, fed by a real ESL listener replaying FreeSWITCH recordings:
every change shows within 2 s, pushed by the server, without reloading (STAT-1, PARK-2).

The fake FreeSWITCH and the NodeListener run in a thread of their own, with their own gevent
hub: Playwright's sync API blocks the main thread while it waits, and greenlets only run while
their hub's thread yields. The test talks to that thread through a queue.
"""
from __future__ import annotations

import dataclasses
import queue
import threading
import time

import gevent
import pytest

from tests.browser.test_ui_browser import browser, serving  # noqa: F401 - fixture
from tests.factories import PASSWORD, make_account, make_extension
from tests.fakes.fake_freeswitch import FakeFreeSwitch
from tests.helpers import until
from tests.integration.test_esl_listener import hangups_for
from tests.integration.test_esl_listener_support import (PASSWORD as ESL_PASSWORD, Esl, event_frames, script_state,
                                                         start_listener)
from tests.integration.test_parking import split_after_hold
from web.ui.status_stream import StatusStream

BUDGET = 2.0  # seconds from the event to the page (issue 4)


class EslWorld:
    """Fake FreeSWITCH + listener in their own thread; ``submit`` runs fn(esl) there."""

    def __init__(self, app) -> None:
        self.app, self.port = app, None
        self._jobs: queue.Queue = queue.Queue()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="esl-world", daemon=True)

    def __enter__(self) -> "EslWorld":
        self._thread.start()
        assert self._ready.wait(15), "the listener did not connect to the fake FreeSWITCH"
        return self

    def __exit__(self, *exc) -> None:
        self._jobs.put((None, None))
        self._thread.join(10)

    def submit(self, fn) -> queue.Queue:
        done: queue.Queue = queue.Queue()
        self._jobs.put((fn, done))
        return done

    def run(self, fn):
        kind, value = self.submit(fn).get(timeout=30)
        if kind == "error":
            raise value
        return value

    def _run(self) -> None:
        fake = FakeFreeSwitch(password=ESL_PASSWORD).start()
        script_state(fake)
        listener, lanes = start_listener(self.app, fake.port)
        try:
            until(lambda: listener.connected, timeout=10)
            esl, self.port = Esl(self.app, fake, listener, lanes), fake.port
            self._ready.set()
            while True:
                try:
                    fn, done = self._jobs.get_nowait()
                except queue.Empty:
                    gevent.sleep(0.005)
                    continue
                if fn is None:
                    return
                try:
                    done.put(("ok", fn(esl)))
                except Exception as exc:  # handed to the test thread
                    done.put(("error", exc))
        finally:
            listener.stop()
            lanes.stop()
            fake.stop()


def shows(page, world, action, condition: str) -> float:
    """Run ``action`` in the ESL world and wait until the page satisfies the JS ``condition``;
    returns the seconds from the first event sent to the change on screen."""
    started = time.monotonic()
    done = world.submit(action)
    page.wait_for_function(condition, polling=20, timeout=BUDGET * 1000 + 3000)
    elapsed = time.monotonic() - started
    kind, value = done.get(timeout=30)
    assert kind == "ok", value
    return elapsed


def states(**expected) -> str:
    checks = " && ".join(f"(document.querySelector(\"tr[data-number='{n.lstrip('x')}']\") || {{}}).dataset?.state"
                         f" === '{state}'" for n, state in expected.items())
    return f"() => {checks}"


@pytest.fixture
def quick_streams(monkeypatch):
    monkeypatch.setattr(StatusStream, "KEEPALIVE_SECONDS", 0.5)  # closed pages end their stream fast


def test_the_status_page_follows_freeswitch_live_without_reload(make_app, browser, quick_streams):  # noqa: F811
    app = make_app()
    with app.app_context():
        acme, admin = make_account(name="Acme", sip_domain="acme.test")
        beta, _ = make_account(name="Beta", sip_domain="beta.test")
        for number in ("100", "101", "102", "105"):
            make_extension(acme, number=number)
        make_extension(beta, number="200")
        email, account_id = admin.email, acme.id
    timings = {}
    with EslWorld(app) as world, serving(app) as base:
        app.config["PBX"] = dataclasses.replace(app.config["PBX"], freeswitch_nodes=f"fs1=127.0.0.1:{world.port}")
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.set_default_timeout(10_000)
        page.goto(f"{base}/login")
        page.fill("#f-email", email)
        page.fill("#f-password", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url("**/accounts/*/")
        page.goto(f"{base}/accounts/{account_id}/status")
        page.wait_for_function("() => Number(document.getElementById('status-page').dataset.updates) >= 1")
        page.evaluate("() => { window.sameDocument = true; }")
        assert page.locator(".node-down").count() == 0
        assert page.locator("tr[data-state='disconnected']").count() == 4

        timings["registration"] = shows(page, world, lambda esl: esl.replay("registration"), states(
            x100="available", x101="available", x102="available", x105="available"))
        frames = event_frames("internal-call-answered")
        timings["call"] = shows(page, world, lambda esl: esl.send(frames), states(x100="in_call", x101="in_call"))

        def hang_up(esl):
            for event in hangups_for(frames):
                esl.inject(event)
        timings["hangup"] = shows(page, world, hang_up, states(x100="available", x101="available"))
        timings["unregister"] = shows(page, world, lambda esl: esl.replay("unregister"), states(x102="disconnected"))
        parked, retrieved = split_after_hold(event_frames("park-and-retrieve"))
        timings["park"] = shows(page, world, lambda esl: esl.send(parked),
                                "() => !!document.querySelector('#parked-calls tr[data-slot=\"701\"]')")
        page.screenshot(path="/tmp/status.png", full_page=True)
        timings["retrieve"] = shows(page, world, lambda esl: esl.send(retrieved),
                                    "() => !document.querySelector('#parked-calls tr[data-slot=\"701\"]')")
        assert page.evaluate("() => window.sameDocument") is True  # pushed, never reloaded
        filters_and_full_screen_apply_at_once(page)
        page.close()
    print("status page latencies", {k: round(v, 3) for k, v in timings.items()})
    assert all(seconds < BUDGET for seconds in timings.values()), timings


def rows(page) -> list[str]:
    return page.eval_on_selector_all("#extension-states tbody tr", "rows => rows.map(r => r.dataset.number)")


def filters_and_full_screen_apply_at_once(page) -> None:
    """With JavaScript the filters apply as they change (the stream reconnects with them and
    the address follows), and full screen is a class plus the Fullscreen API."""
    page.select_option("#f-state", "available")
    page.wait_for_function("() => [...document.querySelectorAll('#extension-states tbody tr')]"
                           ".every(r => r.dataset.state === 'available')")
    assert "state=available" in page.url and rows(page) == ["100", "101", "105"]
    page.fill("#f-q", "105")
    page.wait_for_function("() => document.querySelectorAll('#extension-states tbody tr').length === 1")
    assert rows(page) == ["105"] and "q=105" in page.url
    page.click("#fullscreen-toggle")
    assert page.locator("#status-page.fullscreen").count() == 1 and "full=1" in page.url
    page.click("#fullscreen-toggle")
    assert page.locator("#status-page.fullscreen").count() == 0
