"""Parent side of the sandboxed PDF probe: a few idle probe servers (:mod:`fax._pdf_probe`),
lent to one validation at a time.

Why a pool rather than one shared server: a hostile file holds its server until the deadline
(seconds); other uploads in the same process borrow another server instead of queueing
behind it. Idle servers are kept (at most :data:`MAX_IDLE`, ~40 MB each) so the pypdf import
is paid once per process, not once per file. A server that misbehaves in any way is killed,
never returned to the pool.

Waiting is done with ``select`` on the server's stdout, which gevent's monkey-patching makes
cooperative: a web worker keeps serving while a document is checked.
"""
from __future__ import annotations

import atexit
import json
import logging
import os
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

from ._pdf_probe import REQUEST, RESPONSE

log = logging.getLogger("pbx.fax")

MAX_IDLE = 2
# Servers checking at once: 50 uploads at once used to start 50 servers, whose pypdf imports
# shared two cores until each missed its deadline (tests/load). The others wait their turn.
MAX_BUSY = max(2, os.cpu_count() or 2)
QUEUE_WAIT = 60.0  # seconds an upload may wait for a free server
GRACE = 3.0  # seconds the server may take beyond the child's deadline before we give up on it
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)
_idle: list["ProbeServer"] = []
_lock = threading.Lock()
_busy = threading.BoundedSemaphore(MAX_BUSY)  # cooperative under gevent's monkey-patching


class ProbeUnavailable(RuntimeError):
    """The probe server did not answer (not a verdict on the file)."""


class ProbeServer:
    def __init__(self, memory_bytes: int) -> None:
        self.memory_bytes = memory_bytes
        self.process = subprocess.Popen(
            [sys.executable, "-m", "fax._pdf_probe", str(memory_bytes)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_env(), close_fds=True)

    def ask(self, data: bytes, timeout: float) -> dict:
        """Send one document; the server's JSON answer (see :mod:`fax._pdf_probe`)."""
        try:
            self.process.stdin.write(REQUEST.pack(len(data), timeout) + data)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise ProbeUnavailable(f"probe server gone ({exc})") from None
        deadline = time.monotonic() + timeout + GRACE
        (length,) = RESPONSE.unpack(self._read(RESPONSE.size, deadline))
        return json.loads(self._read(length, deadline))

    def _read(self, size: int, deadline: float) -> bytes:
        fd, chunks, got = self.process.stdout.fileno(), [], 0
        while got < size:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise ProbeUnavailable("probe server did not answer in time")
            chunk = os.read(fd, size - got)
            if not chunk:
                raise ProbeUnavailable(f"probe server exited (code {self.process.poll()})")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """Ask politely (end of input), then make sure."""
        try:
            self.process.stdin.close()
            self.process.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait(timeout=2)
        self.process.stdout.close()


def ask(data: bytes, timeout: float, memory_bytes: int) -> dict:
    """Have one document inspected by a pooled server."""
    if not _busy.acquire(timeout=QUEUE_WAIT):
        raise ProbeUnavailable("every probe server stayed busy")
    try:
        server = _borrow(memory_bytes)
        try:
            answer = server.ask(data, timeout)
        except BaseException:
            server.process.kill()
            server.close()
            raise
        _give_back(server)
        return answer
    finally:
        _busy.release()


def shutdown() -> None:
    """Stop the idle servers (at exit, in tests, and before measuring memory)."""
    with _lock:
        servers, _idle[:] = list(_idle), []
    for server in servers:
        server.close()


def _borrow(memory_bytes: int) -> ProbeServer:
    with _lock:
        while _idle:
            server = _idle.pop()
            if server.alive() and server.memory_bytes == memory_bytes:
                return server
            server.close()
    return ProbeServer(memory_bytes)


def _give_back(server: ProbeServer) -> None:
    with _lock:
        if server.alive() and len(_idle) < MAX_IDLE:
            _idle.append(server)
            return
    server.close()


def _env() -> dict[str, str]:
    """Make sure the server imports this same ``fax`` package, even from an uninstalled tree."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
    return env


atexit.register(shutdown)
