"""The two things status_lag watches at once, each in a thread of its own.

- The switch's events (CHANNEL_CREATE / CHANNEL_ANSWER / CHANNEL_HANGUP_COMPLETE) on an ESL
  connection of the benchmark's own (the tier's EslClient), for their ``Event-Date-Timestamp``:
  the switch's clock, µs since the epoch; the switch runs on this host, so it is our clock too.
- The status API (``GET /api/v1/accounts/<id>/status``, what a client of the REST API or the
  status page reads), polled every ``interval`` on one keep-alive connection (a poll that
  takes longer is followed at once); each poll keeps when it was sent, when its answer was
  complete, and every extension's state. Back-to-back polls of ~160 extensions would take a
  good share of the very process whose lag is measured (~15-20 ms each when idle).
"""
from __future__ import annotations

import http.client
import json
import os
import threading
import time
from dataclasses import dataclass

from bench.directory.stats import cpu_seconds, machine_busy_and_steal
from tests.e2e.esl_client import EslClient, EslError

EVENTS = ("CHANNEL_CREATE", "CHANNEL_ANSWER", "CHANNEL_HANGUP_COMPLETE")
KEPT = ("Event-Name", "Event-Date-Timestamp", "Unique-ID", "Call-Direction", "variable_sip_from_user",
        "Caller-Caller-ID-Number", "variable_dialed_user", "Caller-Destination-Number")


@dataclass(frozen=True)
class Poll:
    sent: float  # epoch s
    received: float  # epoch s, answer read in full
    states: dict[str, tuple[str, int, int]]  # number -> (state, registrations, active calls)


class BufferedEslClient(EslClient):
    """The tier's client, reading frames from one growing buffer with a moving start: its own
    reader rescans and recopies the whole backlog for every frame, which falls behind a switch
    sending thousands of full channel events (seen: events read seconds late). A frame is only
    consumed once complete, so a read timeout never splits one."""

    def __init__(self, host: str, port: int, password: str) -> None:
        self._data, self._pos = bytearray(), 0
        super().__init__(host, port, password)

    def _frame(self) -> tuple[dict[str, str], bytes]:
        while True:
            end = self._data.find(b"\n\n", self._pos)
            if end >= 0:
                head = self._data[self._pos:end].decode("utf-8", "replace")
                headers = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
                stop = end + 2 + int(headers.get("Content-Length", 0))
                if len(self._data) >= stop:
                    body, self._pos = bytes(self._data[end + 2:stop]), stop
                    if self._pos > 1 << 20:
                        del self._data[:self._pos]
                        self._pos = 0
                    return headers, body
            chunk = self._sock.recv(1 << 18)
            if not chunk:
                raise EslError("connection closed")
            self._data += chunk


class EventRecorder(threading.Thread):
    def __init__(self, switch) -> None:
        super().__init__(daemon=True, name="switch-events")
        self.client = BufferedEslClient("127.0.0.1", switch.esl_port, switch.esl_password)
        self.client.subscribe(*EVENTS)
        self.events: list[dict[str, str]] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            event = self.client.next_event(0.2)
            if event is not None:
                self.events.append({**{k: event.get(k, "") for k in KEPT}, "_arrived": time.time()})

    def stop(self) -> list[dict[str, str]]:
        self.stopping.set()
        self.join(5)
        self.client.close()
        return self.events


class StatusPoller(threading.Thread):
    def __init__(self, port: int, account_id: int, token: str, interval: float) -> None:
        super().__init__(daemon=True, name="status-poller")
        self.port, self.path, self.interval = port, f"/api/v1/accounts/{account_id}/status", interval
        self.headers = {"Authorization": f"Bearer {token}"}
        self.polls: list[Poll] = []
        self.errors = 0
        self.stopping = threading.Event()

    def poll_once(self, conn: http.client.HTTPConnection) -> Poll:
        sent = time.time()
        conn.request("GET", self.path, headers=self.headers)
        reply = conn.getresponse()
        body = reply.read()
        received = time.time()
        if reply.status != 200:
            raise RuntimeError(f"status API answered {reply.status}: {body[:300]!r}")
        rows = json.loads(body)["extensions"]
        return Poll(sent, received, {r["number"]: (r["state"], r["registrations"], r["active_calls"]) for r in rows})

    def snapshot(self) -> Poll:
        """One poll on a connection of its own (before the thread runs)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            return self.poll_once(conn)
        finally:
            conn.close()

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        due = time.time()
        while not self.stopping.wait(max(0.0, due - time.time())):
            due = time.time() + self.interval
            try:
                self.polls.append(self.poll_once(conn))
            except (OSError, http.client.HTTPException, RuntimeError):
                self.errors += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                time.sleep(0.01)
        conn.close()

    def stop(self) -> list[Poll]:
        self.stopping.set()
        self.join(15)
        return self.polls


class CpuShares:
    """CPU used from now to ``line()`` by named processes, this one and the rest of the machine
    (1.0 = one core): where the time went while the burst ran."""

    def __init__(self, pids: dict[str, int | None]) -> None:
        self.pids = {name: pid for name, pid in pids.items() if pid}
        self.start = self._take()

    def _take(self) -> dict[str, float]:
        times = os.times()
        taken = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        return {**taken, "bench": times.user + times.system, "_machine": machine_busy_and_steal()[0],
                "_wall": time.monotonic()}

    def line(self) -> str:
        end = self._take()
        wall = end["_wall"] - self.start["_wall"]
        used = {name: (end[name] - self.start[name]) / wall for name in end if not name.startswith("_")}
        others = (end["_machine"] - self.start["_machine"]) / wall - sum(used.values())
        parts = ", ".join(f"{name} {share:.0%}" for name, share in used.items())
        return f"# cpu over the burst ({wall:.1f} s, 1 core = 100%): {parts}, other processes {max(0.0, others):.0%}"
