"""What the load generator records: one sample per answer, CPU of both sides, percentiles."""
from __future__ import annotations

import math
import os
from collections import Counter
from time import perf_counter as now

import gevent

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (fields 14 and 15 of /proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def machine_busy_and_steal() -> tuple[float, float]:
    """Seconds of CPU spent by anything on the machine since boot, and seconds stolen by the host."""
    with open("/proc/stat") as fh:
        user, nice, system, idle, iowait, irq, softirq, steal = (int(v) for v in fh.readline().split()[1:9])
    return (user + nice + system + irq + softirq) / TICKS, steal / TICKS


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list (0 when empty)."""
    if not ordered:
        return 0.0
    return ordered[min(len(ordered), max(1, math.ceil(p / 100 * len(ordered)))) - 1]


class Window:
    """Load runs from ``begin``; only ``start``..``end`` is measured (the rest is warm-up)."""

    def __init__(self, begin: float, start: float, end: float) -> None:
        self.begin, self.start, self.end = begin, start, end
        self.done_in_window = 0
        self.latencies: list[float] = []
        self.waits: list[float] = []
        self.errors: Counter[str] = Counter()
        self.errors_total = 0
        self.cpu: dict[str, float] = {}

    def record(self, scheduled: float, started: float, done: float, reason: str) -> None:
        if reason:
            self.errors_total += 1
        if self.start <= done <= self.end and not reason:
            self.done_in_window += 1
        if self.start <= scheduled < self.end:
            if reason:
                self.errors[reason] += 1
            else:
                self.latencies.append(done - scheduled)
                self.waits.append(started - scheduled)

    def sample_cpu(self, server_pid: int, server_cpu) -> None:
        """CPU shares (1.0 = one core) over the window: server, load generator, everything else."""
        def take() -> tuple[float, float, float, float, float]:
            t = os.times()
            return (now(), t.user + t.system, server_cpu(server_pid), *machine_busy_and_steal())

        gevent.sleep(max(0.0, self.start - now()))
        t0, c0, s0, m0, st0 = take()
        gevent.sleep(max(0.0, self.end - now()))
        t1, c1, s1, m1, st1 = take()
        wall = t1 - t0
        others = max(0.0, (m1 - m0) - (c1 - c0) - (s1 - s0))
        self.cpu = {"client_cpu": (c1 - c0) / wall, "server_cpu": (s1 - s0) / wall,
                    "other_cpu": others / wall, "steal": (st1 - st0) / wall}

    def summary(self) -> dict:
        lat, waits = sorted(self.latencies), sorted(self.waits)
        ms = {f"p{p}_ms".replace(".", "_"): percentile(lat, p) * 1000 for p in (50, 90, 99, 99.9)}
        return {
            "rate": self.done_in_window / (self.end - self.start), "answers": self.done_in_window,
            "sampled": len(lat), "errors": sum(self.errors.values()), "errors_total": self.errors_total,
            "error_kinds": dict(self.errors), **ms, "max_ms": (lat[-1] * 1000) if lat else 0.0,
            "wait_p50_ms": percentile(waits, 50) * 1000, "wait_p99_ms": percentile(waits, 99) * 1000,
            **self.cpu,
        }
