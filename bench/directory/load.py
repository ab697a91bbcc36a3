"""The load generator: pure Python on gevent, one process, raw keep-alive sockets.

``python -m bench.directory.load SPEC_JSON`` prints one JSON line of results. Requests are pre-built
bytes (bench.directory.bodies); a response is read by Content-Length and checked: status 200 and
``a1-hash`` in the body, anything else counts as an error. Two modes:

- ``max``: every connection sends its next request as soon as the previous answer is read
  (closed loop): the server's maximum rate. Only answers completed inside the measuring
  window count.
- ``rate``: open loop. A scheduler releases request i at t0 + i/rate whatever happened before;
  an idle connection takes it, or it waits in the queue for one. Latency runs from the
  *scheduled* time to the end of the answer, so a slow server (or a late client) cannot hide
  its queueing (no coordinated omission). libev's timers fire up to ~1 ms late, so the
  scheduler sleeps until 2 ms before a due time, then spins on ``gevent.idle()`` (which lets
  every ready socket be served first): the load core shows ~100 % busy in this mode, by design.

Both sample their own CPU time and the server's (/proc/<pid>/stat) over the window, to show
which side is saturated.
"""
from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
from time import perf_counter as now  # noqa: E402

import gevent  # noqa: E402
from gevent.queue import Queue  # noqa: E402

from . import bodies  # noqa: E402
from .stats import Window, cpu_seconds  # noqa: E402

TIMER_SLACK = 0.002  # seconds before a due time at which the scheduler stops sleeping and spins


class Connection:
    def __init__(self, port: int, keepalive: bool = True) -> None:
        self.port = port
        self.keepalive = keepalive
        self.sock: socket.socket | None = None

    def _open(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def exchange(self, payload: bytes) -> tuple[int, bytes]:
        sock = self.sock = self.sock or self._open()
        sock.sendall(payload)
        data = sock.recv(65536)
        end = data.find(b"\r\n\r\n")
        while end < 0:
            data += self._more(sock)
            end = data.find(b"\r\n\r\n")
        head = data[:end].lower()
        start = head.find(b"\r\ncontent-length:")
        if start < 0:
            raise ConnectionError("no content-length")
        stop = head.find(b"\r\n", start + 2)
        need = end + 4 + int(head[start + 17:stop if stop > 0 else len(head)])
        while len(data) < need:
            data += self._more(sock)
        if b"\r\nconnection: close" in head:
            self.close()
        return int(data[9:12]), data[end + 4:need]

    @staticmethod
    def _more(sock: socket.socket) -> bytes:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed by server")
        return chunk


def _call(conn: Connection, payload: bytes, window: Window, started: float, scheduled: float) -> None:
    try:
        status, body = conn.exchange(payload)
        if not conn.keepalive:  # as mod_xml_curl does: one curl handle, so one TCP connection, per fetch
            conn.close()
        ok = status == 200 and b"a1-hash" in body
        reason = "" if ok else f"status-{status}" if status != 200 else "no-a1-hash"
    except (OSError, ConnectionError, ValueError) as exc:
        conn.close()
        reason = type(exc).__name__
    window.record(scheduled, started, now(), reason)


def run_max(spec: dict, reqs: list[bytes], window: Window) -> None:
    def worker(k: int) -> None:
        conn, i = Connection(spec["port"], spec["keepalive"]), k
        while (t := now()) < window.end:
            _call(conn, reqs[i % len(reqs)], window, t, t)
            i += spec["connections"]
        conn.close()

    gevent.joinall([gevent.spawn(worker, k) for k in range(spec["connections"])])


def run_rate(spec: dict, reqs: list[bytes], window: Window) -> None:
    queue: Queue = Queue()
    interval = 1.0 / spec["rate"]

    def scheduler() -> None:
        i = 0
        while (due := window.begin + i * interval) < window.end:
            if (delay := due - now()) > TIMER_SLACK:  # libev sleeps in whole ms, often late:
                gevent.sleep(delay - TIMER_SLACK)  # wake early, then yield until due
            while now() < due:
                gevent.idle()  # yields to every ready socket first
            queue.put((due, i))
            i += 1
        for _ in range(spec["connections"]):
            queue.put(None)

    def worker() -> None:
        conn = Connection(spec["port"], spec["keepalive"])
        while (item := queue.get()) is not None:
            due, i = item
            _call(conn, reqs[i % len(reqs)], window, now(), due)
        conn.close()

    gevent.joinall([gevent.spawn(scheduler), *[gevent.spawn(worker) for _ in range(spec["connections"])]])


def main(spec_path: str) -> None:
    spec = json.loads(open(spec_path).read())
    if spec["mode"] == "cold":  # each listed user once, a new connection each (bench.directory.cold)
        from .cold import run_cold  # it uses this module's Connection
        reqs = bodies.cold_pool(spec["cold"], port=spec["port"], user=spec["user"], password=spec["password"],
                                path=spec["path"])
        print(json.dumps(run_cold(spec, reqs, b"a1-hash")))
        return
    reqs = bodies.pool(spec["domains"], spec["numbers"], port=spec["port"], user=spec["user"],
                       password=spec["password"], path=spec["path"], size=spec.get("pool", 2000))
    start = now()
    window = Window(start, start + spec["warmup"], start + spec["warmup"] + spec["duration"])
    sampler = gevent.spawn(window.sample_cpu, spec["server_pid"], cpu_seconds)
    (run_max if spec["mode"] == "max" else run_rate)(spec, reqs, window)
    sampler.join()
    print(json.dumps(window.summary()))


if __name__ == "__main__":
    main(sys.argv[1])
