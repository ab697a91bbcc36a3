"""Loopback HTTP clients for the load tests: open-loop request streams at a fixed rate, one
blocking connection per thread (the test process is not monkey-patched, so real threads; the
main thread keeps yielding to gevent so the fake FreeSWITCH goes on answering)."""
from __future__ import annotations

import http.client
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable

import gevent

Check = Callable[[int, bytes], bool]


@dataclass
class Tally:
    seconds: float = 0.0  # from the first request due to the last answer
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lag: float = 0.0  # how far behind its schedule the stream fell at worst (s)
    slow: list[tuple[float, float]] = field(default_factory=list)  # (at s, took s) of answers over 1 s
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else 0.0


def post(conn: http.client.HTTPConnection, path: str, body: bytes, headers: dict) -> tuple[int, bytes]:
    conn.request("POST", path, body=body, headers=headers)
    reply = conn.getresponse()
    return reply.status, reply.read()


def _stream(port: int, path: str, requests: list[tuple[bytes, Check]], headers: dict, rate: float,
            seconds: float, offset: float, started: float, tally: Tally) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    interval, sent = 1.0 / rate, 0
    while True:
        due = started + offset + sent * interval
        if due - started >= seconds:
            break
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        else:
            tally.lag = max(tally.lag, now - due)
        body, check = requests[sent % len(requests)]
        begun = time.monotonic()
        try:
            status, data = post(conn, path, body, headers)
            error = None if check(status, data) else f"HTTP {status}: {data[:200]!r}"
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        took = time.monotonic() - begun
        tally.add(took, error)
        if took > 1.0:
            tally.slow.append((round(begun - started, 1), round(took, 2)))
        sent += 1
    conn.close()


def sustained(port: int, path: str, requests: list[tuple[bytes, Check]], headers: dict, *, rate: float,
              seconds: float, threads: int = 20) -> Tally:
    """``rate`` requests per second for ``seconds``, spread over ``threads`` keep-alive
    connections (as mod_xml_curl fetches from several FreeSWITCH threads at once), each request
    sent when due, not when the previous one ended."""
    tally, started = Tally(), time.monotonic() + 0.2
    workers = [threading.Thread(target=_stream, args=(port, path, requests[i::threads] or requests, headers,
                                                      rate / threads, seconds, i / rate, started, tally))
               for i in range(threads)]
    for worker in workers:
        worker.start()
    wait_threads(workers, seconds + 30)
    tally.seconds = time.monotonic() - started
    return tally


def wait_threads(workers: list[threading.Thread], timeout: float) -> None:
    """Join while letting this thread's gevent hub run (the fake FreeSWITCH lives there)."""
    deadline = time.monotonic() + timeout
    while any(w.is_alive() for w in workers):
        assert time.monotonic() < deadline, "load threads did not finish in time"
        gevent.sleep(0.05)


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its Content-Type."""
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    for name, filename, content in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
