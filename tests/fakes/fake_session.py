"""Per-connection state of the fake FreeSWITCH: socket writes, event subscription, headers.

Kept apart from fake_freeswitch.py so each file stays small. The subscription rules follow
mod_event_socket.c: words after CUSTOM are subclasses, ALL takes everything, and a CUSTOM
event passes only if its subclass was named (`event plain CUSTOM` alone gives nothing).
"""
from __future__ import annotations

import itertools
import re
import socket
import time
from datetime import datetime, timezone
from email.utils import format_datetime

import gevent
from gevent.lock import Semaphore
from gevent.socket import wait_read

_EVENT_WORD = re.compile(r"[A-Za-z_]+")
_sequence = itertools.count(1000)


def core_headers(name: str, core_uuid: str, calling_file: str, calling_function: str) -> dict:
    """The headers FreeSWITCH puts first on every event (switch_event_prep_for_delivery)."""
    now = datetime.now(timezone.utc)
    return {
        "Event-Name": name,
        "Core-UUID": core_uuid,
        "FreeSWITCH-Hostname": "fs1",
        "FreeSWITCH-Switchname": "fs1",
        "FreeSWITCH-IPv4": "192.0.2.2",
        "FreeSWITCH-IPv6": "fd00::2",
        "Event-Date-Local": now.strftime("%Y-%m-%d %H:%M:%S"),
        "Event-Date-GMT": format_datetime(now, usegmt=True),
        "Event-Date-Timestamp": str(int(now.timestamp() * 1_000_000)),
        "Event-Calling-File": calling_file,
        "Event-Calling-Function": calling_function,
        "Event-Calling-Line-Number": "1",
        "Event-Sequence": str(next(_sequence)),
    }


class Subscription:
    """What one client asked for with `event`, `nixevent`, `noevents`."""

    def __init__(self) -> None:
        self.enabled = False
        self.all = False
        self.names: set[str] = set()
        self.subclasses: set[str] = set()

    def wants(self, headers: dict[str, str]) -> bool:
        if not self.enabled:
            return False
        if self.all:
            return True
        name = headers.get("Event-Name", "").upper()
        if name not in self.names:
            return False
        subclass = headers.get("Event-Subclass")
        return name != "CUSTOM" or not subclass or subclass in self.subclasses

    def handle(self, line: str) -> str:
        """Reply-Text for an event-control command, or FreeSWITCH's "command not found"."""
        word = line.split(" ", 1)[0].lower()
        if word == "event":
            return self._event(line.split()[1:])
        if word == "nixevent":
            return self._nixevent(line.split()[1:])
        if word == "noevents":
            if not self.enabled:
                return "-ERR not listening for events"
            self.__init__()
            return "+OK no longer listening for events"
        if word == "filter":
            parts = line.split(" ", 2)
            if len(parts) < 3:
                return "-ERR invalid syntax"
            return f"+OK filter added. [{parts[1]}]=[{parts[2]}]"
        return "-ERR command not found"

    def _event(self, words: list[str]) -> str:
        fmt = "plain"
        if words and words[0].lower() in ("plain", "json", "xml"):
            fmt = words.pop(0).lower()
        custom, keys = False, 0
        for word in words:
            if custom:
                self.subclasses.add(word)
            elif _EVENT_WORD.fullmatch(word):
                keys += 1
                self.names.add(word.upper())
                self.all = self.all or word.upper() == "ALL"
                custom = word.upper() == "CUSTOM"
        if not keys:
            return "-ERR no keywords supplied"
        self.enabled = True
        return f"+OK event listener enabled {fmt}"

    def _nixevent(self, words: list[str]) -> str:
        if not words:
            return "-ERR no keywords supplied"
        for word in words:
            self.names.discard(word.upper())
            self.subclasses.discard(word)
        self.all = self.all and "ALL" in self.names
        return "+OK events nixed"


class EslClient:
    """One accepted socket; writes are serialised because replies, jobs and injections
    come from different greenlets and a partial sendall must not interleave."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.authed = False
        self.closed = False
        self.subscription = Subscription()
        self._lock = Semaphore()

    def send(self, data: bytes) -> None:
        if self.closed:
            return
        with self._lock:
            try:
                self.sock.sendall(data)
            except OSError:
                self.close()

    def recv(self) -> bytes:
        return self.sock.recv(65536)

    def pause(self, seconds: float) -> bool:
        """Stay silent for `seconds`; False as soon as the peer hangs up (so the slot frees)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                wait_read(self.sock.fileno(), timeout=left)
                if not self.sock.recv(1, socket.MSG_PEEK):
                    return False
            except socket.timeout:
                return True
            except OSError:
                return False
            gevent.sleep(min(left, 0.01))  # pipelined bytes are waiting: keep them for later
        return not self.closed

    def wait_closed(self) -> None:
        """Read and discard until the peer or the test closes the connection."""
        try:
            while not self.closed and self.sock.recv(65536):
                pass
        except OSError:
            pass

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
