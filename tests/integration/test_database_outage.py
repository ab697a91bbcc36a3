"""The database going away during traffic (issue 16, part 4): every door fails fast with a
clear error, nothing the switch reported is lost, and everything recovers by itself when the
database is back -- same process, no restart.

- xml_curl answers HTTP 503 (mod_xml_curl then tries the next binding, then the static XML:
  NOTES §1), the API a JSON 503 ``database_unavailable``, the UI a plain 503 page;
- ESL events that arrive meanwhile are held by their lane and applied once it is back, and
  a live status page left open shows them (its push stream outlives the outage).

PostgreSQL: a server of the test's own (tests/throwaway_postgres.py) stopped in fast mode
(every connection cut, as in a restart or failover) while requests run, then started again.
SQLite: another process holding the write lock; xml_curl reads (WAL) go on, writes (an API
call too: it records the token's last use) wait busy_timeout, then get the same 503.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
from dataclasses import dataclass

import flask_migrate
import gevent
import pytest

from esl_handlers.lanes import Lanes
from esl_handlers.listener import NodeListener
from fs_service.db import db
from fs_service.models import Extension
from pbx.app import MIGRATIONS, create_app
from pbx.config import load_settings
from tests.conftest import POSTGRES_ADMIN_URL, FreshRequestClient
from tests.factories import make_account, make_extension
from tests.helpers import until, xml_curl_body
from tests.integration.test_api_support import bearer, log_in
from tests.integration.test_esl_listener_support import (event_frames, fake_fs, raw,  # noqa: F401 - fixtures
                                                         start_listener, states)
from tests.throwaway_postgres import ThrowawayPostgres, postgres_bin

XML_CURL = {"Authorization": "Basic ZnJlZXN3aXRjaDp4bWwtc2VjcmV0",  # freeswitch:xml-secret
            "Content-Type": "application/x-www-form-urlencoded"}
SIP_AUTH = xml_curl_body("registration", "0022-directory-sip_auth.form")  # 105@acme.test
DIALPLAN = xml_curl_body("internal-call-answered", "0031-dialplan-101.form")  # 100 calls 101
FAIL_FAST_SECONDS = 2.0


@dataclass
class Site:
    app: object
    account_id: int
    extension_id: int
    api: dict
    ui: FreshRequestClient

    def hit(self, door: str):
        """One request through ``door``: (status, seconds, response)."""
        client = self.app.test_client()
        started = time.monotonic()
        if door == "directory":
            response = client.post("/freeswitch/xml", data=SIP_AUTH, headers=XML_CURL,
                                   environ_base={"REMOTE_ADDR": "127.0.0.1"})
        elif door == "dialplan":
            response = client.post("/freeswitch/xml", data=DIALPLAN, headers=XML_CURL,
                                   environ_base={"REMOTE_ADDR": "127.0.0.1"})
        elif door == "api-read":
            response = client.get(f"/api/v1/accounts/{self.account_id}/extensions", headers=self.api)
        elif door == "api-write":
            response = client.patch(f"/api/v1/accounts/{self.account_id}/extensions/{self.extension_id}",
                                    json={"caller_id_name": f"Desk {time.monotonic_ns() % 1000}"}, headers=self.api)
        else:
            response = self.ui.get(f"/accounts/{self.account_id}/extensions")
        return response.status_code, time.monotonic() - started, response


DOORS = ("directory", "dialplan", "api-read", "api-write", "ui")


class LivePage(threading.Thread):
    """The live status page's push stream (web/ui/status.py), read as a browser would."""

    def __init__(self, site: Site) -> None:
        super().__init__(daemon=True)
        self.site, self.text, self.error = site, "", None
        self.start()

    def run(self) -> None:
        response = self.site.ui.get(f"/accounts/{self.site.account_id}/status/stream?full=1", buffered=False)
        try:
            for chunk in response.response:
                self.text += chunk.decode() if isinstance(chunk, bytes) else chunk
        except Exception as exc:
            self.error = exc

    def shows(self, number: str, state: str) -> bool:
        last = self.text.rpartition("event: status")[2]
        return f'data-number="{number}" data-state="{state}"' in last


def assert_clear_outage_answer(door: str, response) -> None:
    if door in ("directory", "dialplan"):
        assert response.data == b"database unavailable\n"
        assert response.headers["Retry-After"]
    elif door.startswith("api"):
        assert response.get_json()["error_id"] == "database_unavailable"
    else:
        assert b'data-error-id="database_unavailable"' in response.data


def open_site(base_settings: dict, url: str) -> Site:
    app = create_app(load_settings(environ={}, **{**base_settings, "database_url": url}), dispatch_fs=False)
    app.test_client_class = FreshRequestClient
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        acme, admin = make_account(name="Acme", sip_domain="acme.test")
        for number in ("100", "101", "102", "105"):
            make_extension(acme, number=number)
        extension_id = db.session.query(Extension.id).filter_by(number="101").scalar()
        api = bearer(admin)
        ui = app.test_client()
        log_in(ui, admin)
        site = Site(app, acme.id, extension_id, api, ui)
        db.session.remove()
    return site


def run_listener(site: Site, port: int) -> tuple[NodeListener, Lanes]:
    listener, lanes = start_listener(site.app, port, probe_interval=1.0)
    lanes.outage_backoff = (0.1, 1.0)
    until(lambda: listener.connected)
    assert lanes.wait_idle(5)
    return listener, lanes


def acme_states(site: Site) -> dict[str, str]:
    from fs_service.models import Account
    with site.app.app_context():
        try:
            return states(db.session.get(Account, site.account_id))
        finally:
            db.session.remove()


def inject(fake, scenario: str) -> None:
    fake.inject(raw(event_frames(scenario)))


@pytest.mark.skipif(not POSTGRES_ADMIN_URL, reason="PostgreSQL pass only (PBX_TEST_POSTGRES_URL)")
def test_a_postgresql_restart_during_traffic_fails_fast_and_recovers_by_itself(base_settings, fake_fs):
    bin_dir = postgres_bin()
    assert bin_dir is not None, "PostgreSQL server binaries (initdb, pg_ctl) are needed on the PostgreSQL pass"
    server = ThrowawayPostgres(bin_dir).init()
    server.start()
    listener = lanes = None
    try:
        site = open_site(base_settings, server.url)
        listener, lanes = run_listener(site, fake_fs.port)
        inject(fake_fs, "registration")
        until(lambda: acme_states(site) == dict.fromkeys(("100", "101", "102", "105"), "available"))
        assert {door: site.hit(door)[0] for door in DOORS} == dict.fromkeys(DOORS, 200)
        page = LivePage(site)
        until(lambda: page.shows("102", "available"), 10)

        stopped, restarted = threading.Event(), threading.Event()

        def restart() -> None:
            time.sleep(0.3)
            server.stop("fast")
            stopped.set()
            time.sleep(3.0)
            server.start()
            restarted.set()

        thread = threading.Thread(target=restart)
        thread.start()
        outcomes, during, unregistered = [], set(), False
        while not restarted.is_set():
            for door in DOORS:
                status, seconds, response = site.hit(door)
                outcomes.append((door, status, seconds))
                if status == 503:
                    during.add(door)
                    assert_clear_outage_answer(door, response)
            if stopped.is_set() and not unregistered:
                inject(fake_fs, "unregister")  # 102 goes away while nothing can be written
                unregistered = True
            gevent.sleep(0.05)
        thread.join()
        assert {status for _, status, _ in outcomes} <= {200, 503}, outcomes
        slow = [(door, round(s, 2)) for door, _, s in outcomes if s > FAIL_FAST_SECONDS]
        assert not slow, f"requests that did not fail fast: {slow}"
        assert during == set(DOORS), "every door saw the outage"

        # Back by itself: the pools reconnect, the held events land, nothing is lost.
        until(lambda: all(site.hit(door)[0] == 200 for door in DOORS), 15)
        assert lanes.wait_idle(20)
        assert acme_states(site) == {"100": "available", "101": "available", "102": "disconnected",
                                     "105": "available"}
        assert lanes.outages >= 1 and lanes.failed == 0
        until(lambda: page.shows("102", "disconnected"), 10)  # the page open all along caught up
        assert page.error is None
    finally:
        if listener is not None:
            listener.stop()
            lanes.stop()
        server.destroy()


def test_a_locked_sqlite_database_fails_writes_with_the_same_clear_error_then_recovers(
        base_settings, fake_fs, tmp_path):
    path = tmp_path / "outage.sqlite3"
    site = open_site(base_settings, f"sqlite:///{path}")
    listener, lanes = run_listener(site, fake_fs.port)
    try:
        inject(fake_fs, "registration")
        until(lambda: acme_states(site) == dict.fromkeys(("100", "101", "102", "105"), "available"))
        locker = sqlite3.connect(path, isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            inject(fake_fs, "unregister")
            until(lambda: lanes.outages >= 1, 15)  # the lane found the database locked and waits
            for door in ("directory", "dialplan"):
                assert site.hit(door)[0] == 200, door  # WAL: calls are still routed
            status, seconds, response = site.hit("api-write")
            assert status == 503
            assert_clear_outage_answer("api-write", response)
            assert seconds < 5.0 + FAIL_FAST_SECONDS  # busy_timeout, then the answer
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        assert lanes.wait_idle(20)
        assert acme_states(site)["102"] == "disconnected"
        assert lanes.failed == 0
        assert site.hit("api-write")[0] == 200
    finally:
        listener.stop()
        lanes.stop()
        with site.app.app_context():
            db.engine.dispose()


def test_an_unreachable_postgresql_is_a_503_in_seconds_not_a_hang(base_settings):
    """Nothing listens on the port: connect refused at once; the pool does not queue for 30 s."""
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"postgresql+psycopg://nobody@127.0.0.1:{port}/none"
    app = create_app(load_settings(environ={}, **{**base_settings, "database_url": url}), dispatch_fs=False)
    client = app.test_client()
    for _ in range(3):
        started = time.monotonic()
        response = client.post("/freeswitch/xml", data=SIP_AUTH, headers=XML_CURL,
                               environ_base={"REMOTE_ADDR": "127.0.0.1"})
        assert response.status_code == 503 and time.monotonic() - started < FAIL_FAST_SECONDS
    response = client.get("/api/v1/accounts/1/extensions", headers={"Authorization": "Bearer pbx_x"})
    assert (response.status_code, response.get_json()["error_id"]) == (503, "database_unavailable")
