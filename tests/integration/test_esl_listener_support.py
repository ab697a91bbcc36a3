"""Helpers shared by the ESL listener, status, parking and click-to-call tests (no tests here;
named test_esl_listener_* to live beside them).

A real listener (NodeListener + Lanes) runs against the fake FreeSWITCH over TCP and writes
to the real test database; recorded streams are replayed through the fake. Waiting is by
counting: the router counts events it received, the lanes say when everything queued landed.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass

import pytest

from esl_handlers.handlers import MODULES
from esl_handlers.lanes import Lanes
from esl_handlers.listener import NodeListener
from esl_handlers.protocol import EslParser, encode_frame
from fs_service.models import Account
from fs_service.settings import NodeConfig
from fs_service.status import queries as status
from tests.factories import make_account, make_extension
from tests.fakes.fake_freeswitch import FakeFreeSwitch
from tests.helpers import FIXTURES, until

ESL = FIXTURES / "esl"
PASSWORD = "esl-secret"


def script_state(fake: FakeFreeSwitch, registrations=(), channels=(), lots: str = "<lots>\n</lots>\n") -> None:
    """What the fake answers to the resync commands (rows as in the api transcript)."""
    fake.set_reply("show registrations as json", json.dumps({"row_count": len(registrations),
                                                             "rows": list(registrations)}) + "\n")
    fake.set_reply("show channels as json", json.dumps({"row_count": len(channels), "rows": list(channels)}) + "\n")
    fake.set_reply("valet_info", lots)


def reg_row(user: str, domain: str, call_id: str, expires_in: int = 300) -> dict:
    """A ``show registrations as json`` row (api transcript shape), expiring ``expires_in`` s from now."""
    return {"reg_user": user, "realm": domain, "token": call_id,
            "url": f"sofia/internal/sip:{user}@192.0.2.10:5060", "expires": str(int(time.time()) + expires_in),
            "network_ip": "192.0.2.10", "network_port": "5060", "network_proto": "udp", "hostname": "fs1",
            "metadata": ""}


def event_frames(scenario: str) -> list[tuple[dict, bytes]]:
    """The event frames of a recording (handshake frames dropped), as (outer headers, body)."""
    data = (ESL / scenario / "events-plain.esl").read_bytes()
    return [(f.headers, f.body) for f in EslParser().feed(data) if f.content_type == "text/event-plain"]


def raw(frames: list[tuple[dict, bytes]]) -> bytes:
    return b"".join(encode_frame({"Content-Type": "text/event-plain"}, body) for _, body in frames)


@dataclass
class Esl:
    """A running listener against a fake FreeSWITCH, with replay helpers."""

    app: object
    fake: FakeFreeSwitch
    listener: NodeListener
    lanes: Lanes

    def routed(self, frames) -> int:
        keys = set(self.listener.router.keys)
        return sum(1 for _, body in frames if _event_name(body) in keys)

    def send(self, frames, chunk_size: int = 0) -> None:
        """Send frames and wait until every routed event of them has been applied."""
        expected = self.listener.router.received + self.routed(frames)
        data = raw(frames)
        step = chunk_size or len(data) or 1
        for start in range(0, len(data), step):
            self.fake.inject(data[start:start + step])
        until(lambda: self.listener.router.received >= expected)
        assert self.lanes.wait_idle(5)

    def replay(self, scenario: str, chunk_size: int = 0) -> None:
        self.send(event_frames(scenario), chunk_size)

    def inject(self, headers: dict, body: str = "") -> None:
        expected = self.listener.router.received + 1
        self.fake.inject_event(headers, body)
        until(lambda: self.listener.router.received >= expected)
        assert self.lanes.wait_idle(5)

    def settle(self) -> None:
        assert self.lanes.wait_idle(5)


def _event_name(body: bytes) -> str:
    from esl_handlers.events import EventHeaders
    return EventHeaders(body).name


def start_listener(app, port: int, modules=MODULES, **options) -> tuple[NodeListener, Lanes]:
    lanes = Lanes(app)
    settings = dict(timeout=1.0, backoff=(0.05, 0.4), probe_interval=5.0, resync_interval=0, modules=modules)
    settings.update(options)
    listener = NodeListener(app, NodeConfig("fs1", "127.0.0.1", port, PASSWORD), lanes, **settings)
    listener.start()
    return listener, lanes


@pytest.fixture
def fake_fs():
    server = FakeFreeSwitch(password=PASSWORD).start()
    script_state(server)
    yield server
    server.stop()


@pytest.fixture
def esl(app, fake_fs):
    listener, lanes = start_listener(app, fake_fs.port)
    until(lambda: listener.connected)
    lanes.wait_idle(5)
    yield Esl(app, fake_fs, listener, lanes)
    listener.stop()
    lanes.stop()


@pytest.fixture
def tenants(app) -> dict[str, Account]:
    """The recorded accounts: acme.test with 100, 101, 102, 105 and beta.test with 200."""
    acme, _ = make_account(name="Acme", sip_domain="acme.test")
    beta, _ = make_account(name="Beta", sip_domain="beta.test")
    for number in ("100", "101", "102", "105"):
        make_extension(acme, number=number)
    make_extension(beta, number="200")
    return {"acme": acme, "beta": beta}


def states(account: Account) -> dict[str, str]:
    return {s.number: s.state for s in status.extension_states(account)}


__all__ = ["ESL", "PASSWORD", "Esl", "esl", "event_frames", "fake_fs", "raw", "reg_row", "script_state",
           "start_listener", "states", "tenants"]
