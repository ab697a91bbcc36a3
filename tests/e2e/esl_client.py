"""A blocking inbound ESL client for the tests: ``api`` commands and a bounded event reader.

The product's ESL code is what is under test, so the tier talks to the switches with its own
few lines of protocol (mod_event_socket framing: headers, blank line, Content-Length body).
"""
from __future__ import annotations

import socket
import time
from urllib.parse import unquote


class EslError(RuntimeError):
    pass


class EslClient:
    def __init__(self, host: str, port: int, password: str, timeout: float = 15.0) -> None:
        self._sock = socket.create_connection((host, port), timeout=timeout)
        self._buf = b""
        headers, _ = self._frame()
        if headers.get("Content-Type") != "auth/request":
            raise EslError(f"unexpected greeting {headers}")
        self._send(f"auth {password}")
        headers, _ = self._frame()
        if not headers.get("Reply-Text", "").startswith("+OK"):
            raise EslError(f"auth refused: {headers.get('Reply-Text')}")

    def api(self, command: str) -> str:
        """The body of ``api <command>`` (FreeSWITCH runs it synchronously)."""
        self._send(f"api {command}")
        while True:
            headers, body = self._frame()
            if headers.get("Content-Type") == "api/response":
                return body.decode("utf-8", "replace")

    def subscribe(self, *names: str) -> None:
        self._send("event plain " + " ".join(names))
        self._frame()

    def next_event(self, timeout: float) -> dict[str, str] | None:
        """The next subscribed event as a header dict (body under ``_body``), or None."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                headers, body = self._frame()
            except (socket.timeout, TimeoutError):
                return None
            if headers.get("Content-Type") == "text/event-plain":
                return _plain_event(body)
        return None

    def close(self) -> None:
        try:
            self._send("exit")
        except OSError:
            pass
        self._sock.close()

    def _send(self, line: str) -> None:
        self._sock.sendall(line.encode() + b"\n\n")

    def _read_until(self, marker: bytes) -> bytes:
        while marker not in self._buf:
            chunk = self._sock.recv(65536)
            if not chunk:
                raise EslError("connection closed")
            self._buf += chunk
        head, self._buf = self._buf.split(marker, 1)
        return head

    def _read_exact(self, size: int) -> bytes:
        while len(self._buf) < size:
            chunk = self._sock.recv(65536)
            if not chunk:
                raise EslError("connection closed")
            self._buf += chunk
        data, self._buf = self._buf[:size], self._buf[size:]
        return data

    def _frame(self) -> tuple[dict[str, str], bytes]:
        head = self._read_until(b"\n\n").decode("utf-8", "replace")
        headers = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
        body = self._read_exact(int(headers["Content-Length"])) if "Content-Length" in headers else b""
        return headers, body


def _plain_event(body: bytes) -> dict[str, str]:
    text = body.decode("utf-8", "replace")
    head, _, inner = text.partition("\n\n")
    event = {}
    for line in head.splitlines():
        if ": " in line:
            name, value = line.split(": ", 1)
            event[name] = unquote(value)
    event["_body"] = inner
    return event
