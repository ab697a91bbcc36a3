"""The control plane as an operator runs it: ``pbx db upgrade``, ``pbx create-operator``, then
``pbx run`` (web, REST API, xml_curl, ESL listener, voicemail socket and fax worker in one
process), on SQLite, with its log kept in the run folder."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

PBX = Path(sys.executable).with_name("pbx")


class ApiError(AssertionError):
    def __init__(self, status: int, body: str, what: str) -> None:
        super().__init__(f"{what} -> HTTP {status}: {body[:2000]}")
        self.status = status
        self.body = body


@dataclass
class Api:
    """A REST client for ``/api/v1`` with a bearer token."""

    base: str
    token: str = ""

    def call(self, method: str, path: str, body: dict | None = None, expect: int | tuple = (200, 201, 204)):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + "/api/v1" + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                status, text = reply.status, reply.read().decode()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode()
        expected = (expect,) if isinstance(expect, int) else expect
        if status not in expected:
            raise ApiError(status, text, f"{method} {path}")
        return json.loads(text) if text.strip() else None

    def get(self, path: str, **kw):
        return self.call("GET", path, **kw)

    def post(self, path: str, body: dict, **kw):
        return self.call("POST", path, body, **kw)

    def put(self, path: str, body: dict, **kw):
        return self.call("PUT", path, body, **kw)

    def patch(self, path: str, body: dict, **kw):
        return self.call("PATCH", path, body, **kw)

    def delete(self, path: str, **kw):
        return self.call("DELETE", path, **kw)

    def login(self, email: str, password: str) -> "Api":
        token = self.post("/auth/tokens", {"email": email, "password": password, "name": "e2e"})["token"]
        return Api(self.base, token)


@dataclass
class ControlPlane:
    root: Path
    port: int
    env: dict[str, str]
    process: subprocess.Popen | None = None
    _log: object = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.root / "pbx.log"

    @property
    def database(self) -> Path:
        return self.root / "instance" / "pbx.sqlite3"

    def pbx(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run([str(PBX), *args], env=self._environ(), capture_output=True, text=True,
                              timeout=timeout)
        if done.returncode:
            raise RuntimeError(f"pbx {' '.join(args[:2])} failed: {done.stderr[-3000:]}")
        return done.stdout

    def start(self, timeout: float = 60) -> None:
        self._log = open(self.log_file, "ab")
        self.process = subprocess.Popen([str(PBX), "run"], env=self._environ(), stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pbx run exited {self.process.returncode}; see {self.log_file}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"pbx run not answering after {timeout}s; see {self.log_file}")

    def health(self) -> dict:
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=5) as reply:
                return json.loads(reply.read())
        except urllib.error.HTTPError as exc:
            return json.loads(exc.read())

    def kill(self) -> None:
        """SIGKILL to the whole process group: no shutdown of any kind, as a crash or the OOM
        killer would leave it."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.stop()  # closes the log file only: the process is gone

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        if self._log:
            self._log.close()

    def log_text(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")
        except OSError:
            return ""

    def _environ(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if not k.startswith("PBX_")}
        return {**keep, **self.env}
