"""Processes of a run: servers pinned to one core, the load generator pinned to the other."""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cpus() -> tuple[int | None, int | None]:
    """(server core, client core); no pinning when fewer than two cores are ours."""
    mine = sorted(os.sched_getaffinity(0))
    return (mine[0], mine[1]) if len(mine) >= 2 else (None, None)


PRIORITY = -10  # nice value for the bench's own processes when allowed (root / CAP_SYS_NICE)


def _pin(cpu: int | None):
    """In the child before exec: its own core and a higher priority, so that whatever else runs on
    the machine (a test suite...) yields the measured core. With autogroup scheduling (Linux
    default) a nice value only counts inside its session, hence a new session whose group gets
    the nice value; both steps are skipped silently where not allowed."""
    def prepare() -> None:
        if cpu is not None:
            os.sched_setaffinity(0, {cpu})
        os.setsid()
        for step in (_autogroup_nice, lambda: os.setpriority(os.PRIO_PROCESS, 0, PRIORITY)):
            try:
                step()
            except OSError:
                pass

    return prepare


def _autogroup_nice() -> None:
    with open("/proc/self/autogroup", "w") as fh:
        fh.write(str(PRIORITY))


_PROBE = """
import json, time
now = time.perf_counter; end = now() + {seconds}; last = now(); gaps = []
while (t := now()) < end:
    if t - last > 0.0005:
        gaps.append(t - last)
    last = t
print(json.dumps({{"lost": sum(gaps) / {seconds}, "longest_ms": max(gaps, default=0) * 1000, "stalls": len(gaps)}}))
"""


def stall_probe(cpu: int | None, seconds: float = 1.0) -> dict:
    """Spin on one core and record every pause over 0.5 ms: the machine's own latency floor
    (hypervisor, other processes), which no server can beat at p99."""
    done = subprocess.run([sys.executable, "-c", _PROBE.format(seconds=seconds)], capture_output=True,
                          text=True, timeout=seconds + 30, preexec_fn=_pin(cpu), check=True)
    return json.loads(done.stdout)


class Server:
    """``python -m bench.directory.server`` in the background; the OS picks the port, the server writes it."""

    def __init__(self, kind: str, config: Path, workdir: Path, cpu: int | None, env: dict | None = None,
                 name: str | None = None):
        self.kind = kind
        name = name or kind  # several processes of one kind (the cold rounds) need their own files
        self.log_path = workdir / f"server-{name}.log"
        portfile = workdir / f"server-{name}.port"
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bench.directory.server", str(config), kind, str(portfile)], cwd=ROOT,
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env={**os.environ, **(env or {})}, preexec_fn=_pin(cpu))
        self.portfile = portfile
        self.port = 0

    def wait_ready(self, timeout: float = 60.0) -> "Server":
        deadline = time.monotonic() + timeout
        while not self.portfile.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"bench server {self.kind} did not start:\n{self.log_tail()}")
            time.sleep(0.05)
        self.port = int(self.portfile.read_text())
        return self

    @property
    def pid(self) -> int:
        return self.proc.pid

    def signal(self, signum: int) -> None:
        self.proc.send_signal(signum)

    def log_tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def print_caches(workdir: Path, name: str = "real") -> None:
    """After the server ``name`` stopped: its ``CACHE <name> hits=… misses=… evictions=… size=n/bound``
    lines (fs_service.caches), as bench.directory.server wrote them on its way out."""
    path = workdir / f"server-{name}.caches"
    if path.exists():
        print(path.read_text(), end="", flush=True)


def finish(servers: dict[str, Server], workdir: Path, keep: bool) -> None:
    """Stop every server, print the warm one's cache counters, keep or remove the work folder."""
    for server in servers.values():
        server.stop()
    print_caches(workdir)
    if keep:
        print(f"# kept {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


def post(port: int, body: bytes, *, path: str, auth: str) -> tuple[int, bytes]:
    """One plain request (not timed), for checks before the load."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", path, body=body, headers={
            "Authorization": f"Basic {auth}", "Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def run_load(spec: dict, workdir: Path, name: str) -> dict:
    """One load phase in its own process; returns its JSON summary."""
    path = workdir / f"load-{name}.json"
    path.write_text(json.dumps(spec))
    limit = spec["warmup"] + spec["duration"] + 60
    done = subprocess.run([sys.executable, "-m", "bench.directory.load", str(path)], cwd=ROOT, text=True,
                          capture_output=True, timeout=limit, stdin=subprocess.DEVNULL,
                          preexec_fn=_pin(spec.get("cpu")))
    if done.returncode != 0:
        raise RuntimeError(f"load phase {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
