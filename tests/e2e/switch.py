"""Find, start, query and stop a real FreeSWITCH process for the real-switch tier.

Where it comes from, in order: ``PBX_TEST_FREESWITCH`` (a ``freeswitch`` binary, or a folder
holding ``bin/freeswitch-run`` as the bundle's installer writes it), the 1.11.1 bundle beside
the project (``../shared/freeswitch/bundle``, installed once into ``.cache/freeswitch``), then a
``freeswitch`` on the PATH.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .esl_client import EslClient, EslError

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT.parent / "shared" / "freeswitch" / "bundle"
BUNDLE_DEST = ROOT / ".cache" / "freeswitch"


def _works(command: list[str]) -> bool:
    try:
        return subprocess.run(command + ["-version"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _from_env(value: str) -> list[str] | None:
    path = Path(value)
    for candidate in (path / "bin" / "freeswitch-run", path):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return [str(candidate)]
    return None


def _from_bundle() -> list[str] | None:
    if not (BUNDLE / "install.sh").is_file():
        return None
    runner = BUNDLE_DEST / "bin" / "freeswitch-run"
    if not _works([str(runner)]):
        # The installer also apt-installs missing runtime libraries; it is idempotent.
        subprocess.run(["bash", str(BUNDLE / "install.sh"), str(BUNDLE_DEST)], check=True,
                       capture_output=True, timeout=600)
    return [str(runner)] if _works([str(runner)]) else None


def find_freeswitch() -> tuple[list[str] | None, str]:
    """The command that starts FreeSWITCH, or None and why none was found."""
    if os.environ.get("PBX_TEST_FREESWITCH"):
        command = _from_env(os.environ["PBX_TEST_FREESWITCH"])
        if command and _works(command):
            return command, ""
        return None, f"PBX_TEST_FREESWITCH={os.environ['PBX_TEST_FREESWITCH']} does not run"
    command = _from_bundle()
    if command:
        return command, ""
    on_path = shutil.which("freeswitch")
    if on_path and _works([on_path]):
        return [on_path], ""
    return None, (f"no FreeSWITCH: no bundle at {BUNDLE}, no freeswitch on the PATH, "
                  "PBX_TEST_FREESWITCH not set")


@dataclass
class Switch:
    """One FreeSWITCH process with every folder of its own under ``root``."""

    name: str
    command: list[str]
    root: Path
    conf: Path
    esl_port: int
    esl_password: str
    _clients: list[EslClient] = field(default_factory=list)

    def folder(self, kind: str) -> Path:
        path = self.root / kind
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def log_file(self) -> Path:
        return self.folder("log") / "freeswitch.log"

    def start(self, sounds: Path, timeout: float = 30.0) -> None:
        args = ["-nc", "-nonat", "-conf", str(self.conf), "-log", str(self.folder("log")),
                "-db", str(self.folder("db")), "-run", str(self.folder("run")),
                "-storage", str(self.folder("storage")), "-recordings", str(self.folder("recordings")),
                "-sounds", str(sounds), "-temp", str(self.folder("temp")), "-cache", str(self.folder("cache"))]
        launch = subprocess.run(self.command + args, capture_output=True, text=True, timeout=60)
        (self.root / "launch.log").write_text(f"exit {launch.returncode}\n{launch.stdout}\n{launch.stderr}")
        if launch.returncode:
            raise RuntimeError(f"{self.name} did not start (exit {launch.returncode}): {launch.stderr[-2000:]}")
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            try:
                if "is ready" in (last := self.api("status")):
                    return
            except (OSError, EslError) as exc:
                last = repr(exc)
            time.sleep(0.2)
        launch = (self.root / "launch.log").read_text()[-2000:] if (self.root / "launch.log").exists() else ""
        raise RuntimeError(f"{self.name} not ready in {timeout}s: {last}; log {self.log_file}; launch: {launch}")

    def api(self, command: str) -> str:
        """``api <command>`` over one ESL connection kept open (reconnected when it broke)."""
        for attempt in (0, 1):
            if not self._clients:
                self._clients.append(EslClient("127.0.0.1", self.esl_port, self.esl_password))
            try:
                return self._clients[0].api(command)
            except (OSError, EslError):
                self._clients.pop().close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def events(self, *names: str) -> EslClient:
        """A new connection subscribed to ``names`` (close it when done)."""
        client = EslClient("127.0.0.1", self.esl_port, self.esl_password)
        client.subscribe(*names)
        return client

    def channels(self) -> list[dict]:
        """``show channels as json`` rows (the switch's own view of its calls)."""
        reply = json.loads(self.api("show channels as json") or "{}")
        return reply.get("rows", [])

    def pid(self) -> int | None:
        pidfile = self.root / "run" / "freeswitch.pid"
        try:
            return int(pidfile.read_text().strip())
        except (OSError, ValueError):
            return None

    def stop(self, timeout: float = 4.0) -> None:
        """``fsctl shutdown``, then SIGKILL if it is still there: nothing outlives the run.

        The grace is short on purpose: 1.11 logs its last module unloaded within a second but the
        process often lingers 15 s more, and a test switch has nothing left to save by then."""
        pid = self.pid()
        try:
            self.api("fsctl shutdown")
        except (OSError, EslError):
            pass
        for client in self._clients:
            client.close()
        self._clients.clear()
        if pid is None:
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.1)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)

    def log_tail(self, lines: int = 80) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0); it is gone for our purpose.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False
