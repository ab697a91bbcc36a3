"""Cold phases (issue 15): every request asks for something the server process has not seen.

A warm phase replays a pool of 2,000 requests, so after its warm-up nearly every answer comes
from a per-process cache. A switch meets the other case too: a phone registers once an hour, a
call reaches a callee nobody called lately. A cold phase sends a list of *distinct* requests
(each user, callee or number once), each over a new TCP connection as mod_xml_curl does (one
curl handle per fetch), closed loop on ``connections`` workers, and stops when the list is
used up. The ceiling is measured the same way (same list, same new connections) against the
fixed-document route of the same run.

The rate is taken between the answers ranked ``SKIP`` and ``1 - TAIL`` of the list (by time of
completion): the first tenth warms the process's code paths (imports, statement caches, the
first account views) on data that is still cold, and the last few percent are the workers
draining. Runs in the load generator's process (monkey-patched by its caller).
"""
from __future__ import annotations

import os
from time import perf_counter as now

import gevent

from .load import Connection
from .stats import cpu_seconds, percentile

SKIP, TAIL = 0.10, 0.05


def run_cold(spec: dict, reqs: list[bytes], expected: bytes) -> dict:
    """Send every request of ``reqs`` once; the summary's rate is over the middle of the list."""
    done: list[float] = []
    latencies: list[float] = []
    errors: dict[str, int] = {}
    queue = iter(range(len(reqs)))

    def worker() -> None:
        for i in queue:
            conn = Connection(spec["port"], keepalive=False)
            started = now()
            try:
                status, body = conn.exchange(reqs[i])
                reason = "" if status == 200 and expected in body else f"status-{status}" if status != 200 \
                    else "bad-answer"
            except (OSError, ConnectionError, ValueError) as exc:
                reason = type(exc).__name__
            finally:
                conn.close()
            if reason:
                errors[reason] = errors.get(reason, 0) + 1
            else:
                done.append(now())
                latencies.append(done[-1] - started)

    cpu0, own0, t0 = cpu_seconds(spec["server_pid"]), _own_cpu(), now()
    gevent.joinall([gevent.spawn(worker) for _ in range(spec["connections"])])
    wall = now() - t0
    cpu = {"server_cpu": (cpu_seconds(spec["server_pid"]) - cpu0) / wall, "client_cpu": (_own_cpu() - own0) / wall}
    return summary(done, latencies, errors, len(reqs), cpu)


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


def summary(done: list[float], latencies: list[float], errors: dict[str, int], sent: int,
            cpu: dict[str, float]) -> dict:
    first, last = int(sent * SKIP), int(sent * (1 - TAIL)) - 1
    rate = (last - first) / (done[last] - done[first]) if last < len(done) and done[last] > done[first] else 0.0
    measured = sorted(latencies[first:last + 1])
    return {"rate": rate, "answers": len(done), "sent": sent, "errors_total": sum(errors.values()),
            "error_kinds": errors, "p50_ms": percentile(measured, 50) * 1000,
            "p99_ms": percentile(measured, 99) * 1000, **cpu}
