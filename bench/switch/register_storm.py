"""register_storm: digest REGISTERs of many distinct users through a real FreeSWITCH whose
directory comes from our endpoint, against the same switch configuration fetching from a
fixed-document responder (README.md).

Each round registers a fresh group of users (FreeSWITCH's own cache and our per-process
rendered-user cache are both cold for them: the storm after a restart), once per side, on a
freshly started switch; the order of the sides alternates between rounds. The best rate of each
side is kept (interference from other processes on the machine only ever lowers a rate).
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.ports import free_port
from tests.e2e.rig import wait_for

from . import report
from .documents import write_documents
from .seed import numbers, seed_account
from .sipp import StormResult, register_storm, sipp_command, write_users
from .site import Site, prioritise, stop_once

TARGET_RATIO = 0.90
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Side:
    name: str
    storm: StormResult
    registered: int  # what the switch lists afterwards
    fetch_ms: list[float]  # the endpoint's time per fetch during the storm
    took: float  # seconds for the whole side: switch start, storm, switch stop


class ResponderProcess:
    """``python -m bench.switch.responder`` in the background (port chosen by the OS)."""

    def __init__(self, workdir: Path, documents: Path, upstream: str) -> None:
        self.workdir = workdir
        config = workdir / "responder.json"
        config.write_text(json.dumps({"documents": str(documents), "upstream": upstream,
                                      "timings": str(self.timings), "counts": str(workdir / "responder-counts.json")}))
        port = free_port()
        self.log = open(workdir / "responder.log", "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.switch.responder", str(config), str(port)],
                                     cwd=ROOT, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        prioritise(self.proc.pid)  # as pbx run: the two endpoints get the same treatment
        wait_for(lambda: self._listening(port), 30, interval=0.05, what="the responder")
        self.url = f"http://127.0.0.1:{port}/freeswitch/xml"

    def _listening(self, port: int) -> bool:
        if self.proc.poll() is not None:
            raise RuntimeError(f"the responder exited {self.proc.returncode}; see {self.workdir / 'responder.log'}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            return False

    @property
    def timings(self) -> Path:
        return self.workdir / "responder-ms.txt"

    def fetch_times(self) -> tuple[list[float], dict]:
        self.timings.unlink(missing_ok=True)
        os.kill(self.proc.pid, signal.SIGUSR1)
        wait_for(self.timings.exists, 10, interval=0.05, what="the responder's timings")
        counts = json.loads((self.workdir / "responder-counts.json").read_text())
        return [float(v) for v in self.timings.read_text().split()], counts

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def registered_count(switch) -> int:
    """Registrations the switch holds on its internal profile (``Total items returned: N``)."""
    text = switch.api("sofia status profile internal reg")
    for line in text.splitlines():
        if line.startswith("Total items returned:"):
            return int(line.split(":")[1])
    return 0


def _one_side(site: Site, responder: ResponderProcess, name: str, label: str, group: dict[str, str],
              args) -> Side:
    workdir = site.root / label
    workdir.mkdir(parents=True, exist_ok=True)
    users = workdir / "users.csv"
    write_users(users, site.tenant.domain, group)
    began = time.monotonic()
    switch = site.start_switch(label, url=None if name == "real" else responder.url)
    try:
        _times(site, responder, name)  # drop the switch's start-up fetches
        storm = register_storm(workdir, ("127.0.0.1", site.ports.internal_sip), users, len(group),
                               concurrency=args.concurrency, time_limit=args.time_limit)
        fetch_ms = _times(site, responder, name)
        registered = registered_count(switch)
    finally:
        stop_once(switch)
    side = Side(name, storm, registered, fetch_ms, time.monotonic() - began)
    report.storm_progress(label, side)
    return side


def _times(site: Site, responder: ResponderProcess, name: str) -> list[float]:
    if name == "real":
        return site.cp.fetch_times()
    times, counts = responder.fetch_times()
    if counts.get("proxied"):
        print(f"# responder passed {counts['proxied']} fetches on to our endpoint (answered {counts['fixed']})",
              flush=True)
    return times


def run(command: list[str], workdir: Path, args) -> int:
    if sipp_command() is None:
        print("SUMMARY FAIL: register_storm needs SIPp: install Debian's sip-tester (make system-deps)", flush=True)
        return 1
    with ExitStack() as stack:
        site = Site(workdir, command, stack, layout=args.layout)
        all_users = numbers(args.users * args.rounds)
        site.tenant = site.start_control_plane(lambda settings: seed_account(settings, all_users))
        started = time.perf_counter()
        documents = write_documents(site.app_settings(), site.tenant.domain, all_users, workdir / "documents")
        print(f"# {len(all_users)} users seeded, baseline documents rendered in {time.perf_counter() - started:.1f} s; "
              f"{args.rounds} rounds of {args.users} registrations per side, at most {args.concurrency} at once",
              flush=True)
        responder = ResponderProcess(workdir, documents, f"{site.cp.url}/freeswitch/xml")
        stack.callback(responder.stop)
        sides: dict[str, list[Side]] = {"real": [], "baseline": []}
        for n in range(args.rounds):
            group = {u: site.tenant.passwords[u] for u in all_users[n * args.users:(n + 1) * args.users]}
            for name in (("real", "baseline") if n % 2 == 0 else ("baseline", "real")):
                sides[name].append(_one_side(site, responder, name, f"{name}-{n}", group, args))
        return report.storm_final(sides, args.users, TARGET_RATIO)
