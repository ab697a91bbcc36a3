"""The site a benchmark runs: the control plane (timed, production mode, SQLite) in the production
layout (``pbx web`` + ``pbx esl --node``) or as one ``pbx run`` (``--layout run``), and switches laid out
from the project's ``freeswitch-conf/`` by the real-switch tier's own rig (tests/e2e), used
read-only.

Every process started here is registered on the caller's ``ExitStack``, so it is stopped even
when the benchmark fails half-way. Switches run one after the other on the same ports: the
control plane's ESL listener (PBX_FREESWITCH_NODES) reconnects to whichever is up, as it would
after a switch restart.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from pbx.config import load_settings
from tests.e2e.control_plane import PBX, ControlPlane
from tests.e2e.layout import SutPorts, lay_out_sut, new_secret, prepare_sounds
from tests.e2e.ports import free_port, rtp_range
from tests.e2e.rig import wait_for
from tests.e2e.switch import Switch

NODE = "fs1"


LAYOUTS = ("production", "run")


class TimedControlPlane(ControlPlane):
    """The control plane as bench.switch.timed_server serves it (the same app, its xml_curl
    fetches timed in memory): ``pbx web`` beside a ``pbx esl --node`` process in the production
    layout, or everything in one ``pbx run``; the rest (``pbx db upgrade``…) as the rig does it."""

    layout: str = "production"
    esl: subprocess.Popen | None = None

    @property
    def timings_file(self) -> Path:
        return self.root / "fetch-ms.txt"

    def pids(self) -> dict[str, int]:
        """The measured processes, by the name the benchmarks print."""
        found = {"pbx web" if self.esl else "pbx run": self.process.pid}
        if self.esl:
            found["pbx esl"] = self.esl.pid
        return found

    def start(self, timeout: float = 60) -> None:
        self._log = open(self.log_file, "ab")
        web_only = ["--web-only"] if self.layout == "production" else []
        self.process = subprocess.Popen([sys.executable, "-m", "bench.switch.timed_server", str(self.timings_file),
                                         *web_only], env=self._environ(), stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True, cwd=Path(__file__).resolve().parents[2])
        if web_only:
            self.esl = subprocess.Popen([str(PBX), "esl", "--node", NODE], env=self._environ(), stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(self._answers, timeout, what=f"the control plane on {self.url} (log {self.log_file})")

    def stop(self) -> None:
        if self.esl and self.esl.poll() is None:
            os.killpg(self.esl.pid, signal.SIGTERM)
            self.esl.wait(10)
        super().stop()

    def _answers(self) -> bool:
        for process in filter(None, (self.process, self.esl)):
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[:4]} exited {process.returncode}; see {self.log_file}")
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False

    def fetch_times(self) -> list[float]:
        """Milliseconds per xml_curl fetch since the previous call (see timed_server)."""
        self.timings_file.unlink(missing_ok=True)
        os.kill(self.process.pid, signal.SIGUSR1)
        wait_for(self.timings_file.exists, 10, interval=0.05, what="the fetch timings")
        return [float(line) for line in self.timings_file.read_text().split()]

    def node_up_since(self, after: datetime) -> bool:
        """The ESL listener is connected to the switch that started at ``after`` (or later)."""
        node = next((n for n in self.health()["nodes"] if n["name"] == NODE), None)
        return bool(node and node["up"] and node["since"] and datetime.fromisoformat(node["since"]) >= after)


@dataclass
class Site:
    root: Path
    command: list[str]
    stack: ExitStack
    ports: SutPorts = field(default_factory=lambda: SutPorts(internal_sip=free_port(), external_sip=free_port(),
                                                             esl=free_port(), rtp=rtp_range()))
    xml_password: str = field(default_factory=new_secret)
    esl_password: str = field(default_factory=new_secret)
    layout: str = "production"
    cp: TimedControlPlane | None = None
    sounds: Path | None = None
    tenant: object = None  # what the benchmark seeded (bench.switch.seed.Tenant)

    def start_control_plane(self, seed: Callable | None = None):
        """Migrated database, ``seed(settings)`` when given (its result is returned),
        then the control plane in production mode at INFO, in the site's layout."""
        env = {
            "PBX_ENV": "production", "PBX_INSTANCE_PATH": str(self.root / "cp" / "instance"),
            "PBX_HOST": "127.0.0.1", "PBX_PORT": str(free_port()), "PBX_SECRET_KEY": new_secret(),
            "PBX_XML_CURL_PASSWORD": self.xml_password, "PBX_ESL_PASSWORD": self.esl_password,
            "PBX_FREESWITCH_NODES": f"{NODE}=127.0.0.1:{self.ports.esl}",
            "PBX_VOICEMAIL_SOCKET": f"127.0.0.1:{free_port()}", "PBX_SIP_PORT": str(self.ports.internal_sip),
            "PBX_SMTP_HOST": "127.0.0.1", "PBX_SMTP_PORT": str(free_port()), "PBX_LOG_LEVEL": "INFO",
            # Reconnect within a second to the next switch started on the same ESL port.
            "PBX_ESL_PROBE_SECONDS": "2", "PBX_ESL_BACKOFF_MAX_SECONDS": "1", "PBX_ESL_RETRY_SECONDS": "1",
        }
        (self.root / "cp").mkdir(parents=True, exist_ok=True)
        self.cp = TimedControlPlane(self.root / "cp", int(env["PBX_PORT"]), env)
        self.cp.layout = self.layout
        self.cp.pbx("db", "upgrade")
        seeded = seed(self.app_settings()) if seed else None
        self.stack.callback(self.cp.stop)
        self.cp.start()
        for pid in self.cp.pids().values():
            prioritise(pid)
        return seeded

    def app_settings(self):
        """The control plane's settings, for seeding its database from this process."""
        return load_settings(environ=self.cp.env)

    def start_switch(self, name: str, url: str | None = None) -> Switch:
        """A switch with the project's configuration fetching from ``url`` (default: our
        endpoint), once the control plane's ESL listener is connected to it."""
        if self.sounds is None:
            self.sounds = prepare_sounds()
        conf = lay_out_sut(self.root / name / "conf", url=url or f"{self.cp.url}/freeswitch/xml", user="freeswitch",
                           password=self.xml_password, esl_password=self.esl_password, ports=self.ports)
        switch = Switch(name, self.command, self.root / name, conf, self.ports.esl, self.esl_password)
        started = datetime.now(timezone.utc).replace(microsecond=0)
        self.stack.callback(stop_once, switch)
        switch.start(self.sounds)
        prioritise(switch.pid())
        wait_for(lambda: self.cp.node_up_since(started), 30, interval=0.2, what=f"pbx connected to {name}")
        return switch


PRIORITY = -10  # as bench.directory.runner gives the processes it measures


def prioritise(pid: int | None) -> bool:
    """Give a measured process's autogroup (its session: pbx run, each switch) a higher priority,
    as bench.directory.runner does, so the other sessions' work on this shared machine yields the cores.
    With autogroup scheduling a plain nice value would only count inside the session and, for
    FreeSWITCH, only for the one thread it names. False where not allowed (not root)."""
    if not pid:
        return False
    try:
        Path(f"/proc/{pid}/autogroup").write_text(str(PRIORITY))
        return True
    except OSError:
        return False


def stop_once(switch: Switch) -> None:
    """Stop a switch the first time only: its pid file may outlive it, and a later call must not
    signal whatever process reused that pid."""
    if not getattr(switch, "stopped", False):
        switch.stopped = True
        switch.stop()
