"""The status page's push stream (Server-Sent Events): the fragment at once, then only changes,
bounded life, resume without resend, ends when the page closes, no idle database connection."""
from __future__ import annotations

import http.client
import time
from contextlib import contextmanager
from urllib.parse import urlencode

import pytest

from fs_service.db import db
from tests.browser.test_ui_browser import serving
from tests.factories import PASSWORD, make_account, make_extension
from tests.helpers import until
from tests.integration.test_api_support import log_in
from tests.integration.test_ui_status import office, register, url  # noqa: F401 - fixture
from web.ui import status_stream
from web.ui.status_stream import StatusStream


@pytest.fixture
def fast(monkeypatch):
    monkeypatch.setattr(StatusStream, "POLL_SECONDS", 0.05)
    monkeypatch.setattr(StatusStream, "KEEPALIVE_SECONDS", 0.2)


@contextmanager
def streaming(client, path: str, **headers):
    """The stream's chunks as text; closed on exit (newest first, as Flask's contexts expect)."""
    response = client.get(path, headers=headers, buffered=False)
    try:
        yield response, (chunk.decode() for chunk in response.response)
    finally:
        response.close()


def next_event(chunks, timeout: float = 3.0) -> str:
    """The next ``status`` event (keepalives skipped)."""
    deadline = time.monotonic() + timeout
    for chunk in chunks:
        if "event: status" in chunk:
            return chunk
        assert time.monotonic() < deadline, "no status event in time"
    raise AssertionError("stream ended")


def test_the_stream_sends_the_live_fragment_at_once_then_each_change(client, office, fast):
    log_in(client, office.alice)
    with streaming(client, url(office, "/stream?state=&sort=number")) as (response, chunks):
        assert response.mimetype == "text/event-stream" and response.headers["Cache-Control"] == "no-cache"
        assert next(chunks) == "retry: 1000\n\n"
        first = next_event(chunks)
        assert 'data: <tr data-number="100" data-state="disconnected"' in first  # one line each, no indent
        assert first.startswith("id: ") and first.endswith("\n\n")
        register("100")
        changed = next_event(chunks)
        assert 'data-number="100" data-state="available"' in changed
        assert 'name="csrf_token"' in changed and 'name="target" value="100"' in changed


def test_a_reconnect_with_the_last_event_id_gets_nothing_until_something_changes(client, office, fast):
    log_in(client, office.alice)
    with streaming(client, url(office, "/stream")) as (_, chunks):
        event_id = next_event(chunks).split("\n", 1)[0].removeprefix("id: ")
    with streaming(client, url(office, "/stream"), **{"Last-Event-ID": event_id}) as (_, again):
        assert next(again).startswith("retry:") and next(again) == ": keepalive\n\n"
        register("101")
        assert 'data-number="101" data-state="available"' in next_event(again)


def test_a_stream_ends_after_its_lifetime_and_the_browser_reconnects(client, office, fast, monkeypatch):
    monkeypatch.setattr(StatusStream, "LIFETIME_SECONDS", 0.3)
    log_in(client, office.alice)
    started = time.monotonic()
    with streaming(client, url(office, "/stream")) as (_, chunks):
        body = "".join(chunks)
    assert time.monotonic() - started < 2 and body.startswith("retry: 1000") and body.count("event: status") == 1
    assert not status_stream.ACTIVE


def login_cookie(base: str, email: str) -> str:
    host = base.removeprefix("http://")
    conn = http.client.HTTPConnection(host, timeout=5)
    conn.request("POST", "/login", urlencode({"email": email, "password": PASSWORD}),
                 {"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    assert response.status == 302
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    conn.close()
    return cookie


def test_a_closed_page_ends_its_stream_and_an_idle_stream_holds_no_db_connection(make_app, monkeypatch):
    monkeypatch.setattr(StatusStream, "KEEPALIVE_SECONDS", 0.2)  # the real poll period (0.5 s)
    app = make_app()
    with app.app_context():
        account, admin = make_account(sip_domain="acme.test")
        make_extension(account, number="100")
        account_id, email = account.id, admin.email
        db.session.close()
        with serving(app) as base:
            conn = http.client.HTTPConnection(base.removeprefix("http://"), timeout=5)
            conn.request("GET", f"/accounts/{account_id}/status/stream",
                         headers={"Cookie": login_cookie(base, email)})
            response = conn.getresponse()
            assert response.status == 200
            while b"event: status" not in response.fp.readline():
                pass
            assert len(status_stream.ACTIVE) == 1
            samples = []
            for _ in range(20):
                samples.append(db.engine.pool.checkedout())
                time.sleep(0.03)
            assert max(samples) <= 1 and samples.count(0) >= 15  # only during a poll's few queries
            response.close()  # the page is closed: its socket goes away
            conn.close()
            until(lambda: not status_stream.ACTIVE, timeout=5)
