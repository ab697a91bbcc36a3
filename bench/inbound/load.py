"""The load generator for inbound dialplan fetches (closed loop, keep-alive connections).

``python -m bench.inbound.load SPEC_JSON`` prints one JSON line. It reuses the sip_auth bench's
raw-socket HTTP client (bench.directory.load.Connection) and its measuring window (bench.directory.stats.Window);
only the answer check differs: a dialplan document with actions.
"""
from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from time import perf_counter as now  # noqa: E402

import gevent  # noqa: E402

from bench.directory.cold import run_cold  # noqa: E402
from bench.directory.load import Connection  # noqa: E402
from bench.directory.stats import Window, cpu_seconds  # noqa: E402

from . import bodies  # noqa: E402

EXPECTED = b'application="'
COLD_EXPECTED = b'application="ivr"'  # every cold number is open and runs its welcome menu


def _call(conn: Connection, payload: bytes, window: Window, started: float) -> None:
    try:
        status, body = conn.exchange(payload)
        ok = status == 200 and EXPECTED in body
        reason = "" if ok else f"status-{status}" if status != 200 else "no-actions"
    except (OSError, ConnectionError, ValueError) as exc:
        conn.close()
        reason = type(exc).__name__
    window.record(started, started, now(), reason)


def run_max(spec: dict, reqs: list[bytes], window: Window) -> None:
    def worker(k: int) -> None:
        conn, i = Connection(spec["port"]), k
        while (t := now()) < window.end:
            _call(conn, reqs[i % len(reqs)], window, t)
            i += spec["connections"]
        conn.close()

    gevent.joinall([gevent.spawn(worker, k) for k in range(spec["connections"])])


def main(spec_path: str) -> None:
    spec = json.loads(open(spec_path).read())
    if spec.get("cpu") is not None:
        os.sched_setaffinity(0, {spec["cpu"]})
    if spec.get("mode") == "cold":  # each listed number once, a new connection each (bench.directory.cold)
        reqs = bodies.cold_pool(spec["cold"], port=spec["port"], user=spec["user"], password=spec["password"],
                                path=spec["path"])
        print(json.dumps(run_cold(spec, reqs, COLD_EXPECTED)))
        return
    reqs = bodies.pool(spec["dids"], port=spec["port"], user=spec["user"], password=spec["password"],
                       size=spec.get("pool", 2000), path=spec["path"])
    start = now()
    window = Window(start, start + spec["warmup"], start + spec["warmup"] + spec["duration"])
    sampler = gevent.spawn(window.sample_cpu, spec["server_pid"], cpu_seconds)
    run_max(spec, reqs, window)
    sampler.join()
    print(json.dumps(window.summary()))


if __name__ == "__main__":
    main(sys.argv[1])
