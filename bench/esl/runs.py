"""The two measured runs and the feeder process they read from."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import gevent
import gevent.socket

from esl_handlers.connection import EslConnection
from esl_handlers.events import EventHeaders
from esl_handlers.facade import EslFacade
from esl_handlers.handlers import MODULES, HandlerModule, subscription
from esl_handlers.protocol import EslParser, encode_command
from esl_handlers.router import EventRouter
from fs_service.db import db
from fs_service.settings import NodeConfig
from pbx.app import MIGRATIONS, create_app
from pbx.config import load_settings
from pbx.server import freeze_startup_objects, start_esl_side

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "bench-secret"


@dataclass
class Result:
    rate: float  # events per wall second
    cpu_rate: float  # events per CPU second of this process
    detail: str = ""

    @property
    def on_cpu(self) -> float:
        """Share of the wall time this process ran: low means the run was disturbed (another
        process took the core, or the feeder could not keep up)."""
        return self.rate / self.cpu_rate


class Feeder:
    """``python -m bench.esl.feeder`` in the background, on its own core when possible."""

    def __init__(self, cpu: int | None) -> None:
        pin = (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.esl.feeder", PASSWORD], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, preexec_fn=pin,
                                     env={**os.environ, "PYTHONPATH": str(ROOT)})
        self.port = int(self.proc.stdout.readline())

    def __enter__(self) -> "Feeder":
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class _Client:
    """A bare ESL client (the ceiling, and the control channel that starts a stream)."""

    def __init__(self, port: int) -> None:
        self.sock = gevent.socket.create_connection(("127.0.0.1", port), timeout=10)
        self.parser, self.frames = EslParser(), []
        self.next()  # auth/request
        self.call(f"auth {PASSWORD}")

    def next(self):
        while not self.frames:
            self.frames += self.parser.feed(self.sock.recv(65536))
        return self.frames.pop(0)

    def call(self, line: str):
        self.sock.sendall(encode_command(line))
        return self.next()

    def close(self) -> None:
        self.sock.close()


def _prepare(feeder: Feeder, copies: int, hangup_delay: int) -> None:
    control = _Client(feeder.port)
    assert control.call(f"api bench_prepare {copies} {hangup_delay}").text.startswith("+OK")
    control.close()


def _start_stream(feeder: Feeder) -> None:
    control = _Client(feeder.port)
    assert control.call("api bench_stream").text.startswith("+OK")
    control.close()


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def ceiling(feeder: Feeder, copies: int, total: int, hangup_delay: int = 0) -> Result:
    """Read and split frames with EslParser over the socket, nothing else."""
    client = _Client(feeder.port)
    names, subclasses = subscription()
    client.call("event plain " + " ".join([*names, "CUSTOM", *subclasses]))
    parser, count = EslParser(), 0
    _prepare(feeder, copies, hangup_delay)
    started, cpu = time.perf_counter(), _cpu()
    _start_stream(feeder)
    while count < total:
        count += len(parser.feed(client.sock.recv(65536)))
    wall, cpu = time.perf_counter() - started, _cpu() - cpu
    client.close()
    return Result(total / wall, total / cpu)


def dispatch_floor(feeder: Feeder, copies: int, total: int, hangup_delay: int = 0) -> Result:
    """The production reader with nothing behind it: EslConnection (greenswitch subclass,
    EslParser over gevent's socket), each event's name read and its handler called -- a
    handler that only counts. What any feature pays before doing its own work."""
    received = [0]

    def count(event) -> None:
        event.name  # noqa: B018 -- what routing reads of every event
        received[0] += 1

    conn = EslConnection(NodeConfig("fs1", "127.0.0.1", feeder.port, PASSWORD), timeout=10)
    names, subclasses = subscription()
    for key in (*names, *subclasses):
        conn.register_handle(key, count)
    conn.connect()
    EslFacade(conn, timeout=10).subscribe(names, subclasses)
    _prepare(feeder, copies, hangup_delay)
    started, cpu = time.perf_counter(), _cpu()
    _start_stream(feeder)
    while received[0] < total:
        gevent.sleep(0.005)
    wall, cpu = time.perf_counter() - started, _cpu() - cpu
    conn.close(polite=False)
    return Result(total / wall, total / cpu)


def _app(workdir: str, port: int):
    import flask_migrate

    from tests.factories import make_account, make_extension

    settings = load_settings(environ={}, env="test", instance_path=workdir, log_level="ERROR",
                             database_url=f"sqlite:///{workdir}/bench.sqlite3", secret_key="bench",
                             xml_curl_password="bench", esl_password=PASSWORD,
                             freeswitch_nodes=f"fs1=127.0.0.1:{port}", esl_timeout=10.0)
    app = create_app(settings, dispatch_fs=False)
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        acme, _ = make_account(name="Acme", sip_domain="acme.test")
        beta, _ = make_account(name="Beta", sip_domain="beta.test")
        for number in ("100", "101", "102", "105"):
            make_extension(acme, number=number)
        make_extension(beta, number="200")
    return app


def replayed_modules(stream: bytes) -> tuple:
    """The handler modules with every handler's answer for ``stream`` worked out beforehand:
    each handler becomes a pop from its list of answers (None included), in wire order. The
    tables, lanes and core ``apply`` functions stay the real ones, so a run with these measures
    everything but reading headers and building changes."""
    from collections import deque

    answers: dict[tuple[str, str, int], deque] = {}
    for frame in EslParser().feed(stream):
        event = EventHeaders(frame.body)
        for module in MODULES:
            for index, handler in enumerate(module.table.get(event.name, ())):
                answers.setdefault((module.name, event.name, index), deque()).append(handler(event))

    def replay(key: tuple[str, str, int]):
        pop = answers.get(key, deque()).popleft
        return lambda event: pop()

    return tuple(
        HandlerModule(module.name, {name: tuple(replay((module.name, name, i)) for i in range(len(handlers)))
                                    for name, handlers in module.table.items()}, module.apply)
        for module in MODULES)


def applied(feeder: Feeder, copies: int, total: int, hangup_delay: int = 0, modules: tuple | None = None) -> Result:
    """The production path (``pbx esl``'s start_esl_side: listener, lanes, batched writes) into a
    fresh SQLite database, until the last event is committed. ``modules`` (replayed_modules)
    replaces the handlers' work, nothing else."""
    import sqlalchemy as sa

    with tempfile.TemporaryDirectory() as workdir:
        app = _app(workdir, feeder.port)
        freeze_startup_objects()  # as `pbx esl` and `pbx run` do
        side = start_esl_side(app)
        listener, lanes = side.listeners[0], side.lanes
        if modules is not None:  # before the listener greenlet first runs: nothing yielded yet
            listener.router = EventRouter(listener.node.name, lanes, modules)
        while not listener.connected or not lanes.wait_idle(0):
            gevent.sleep(0.01)
        base = listener.router.received
        _prepare(feeder, copies, hangup_delay)
        started, cpu = time.perf_counter(), _cpu()
        _start_stream(feeder)
        while listener.router.received - base < total:
            gevent.sleep(0.005)
        lanes.wait_idle()
        wall, cpu = time.perf_counter() - started, _cpu() - cpu
        detail = f"{lanes.batches} batches, failed={lanes.failed}"
        side.stop()
        with app.app_context():
            rows = {t: db.session.scalar(sa.text(f"SELECT count(*) FROM {t}"))
                    for t in ("registrations", "active_channels", "parked_calls")}
            db.engine.dispose()
        return Result(total / wall, total / cpu, f"{detail}, rows now {rows}")
