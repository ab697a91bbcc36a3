"""A fake FreeSWITCH event socket: a real gevent TCP server speaking inbound ESL.

Replies mirror mod_event_socket.c and the recordings in tests/fixtures/esl/api-transcript:
auth/request greeting, command/reply for auth/event/bgapi/exit, api/response with a
Content-Length body, BACKGROUND_JOB events with the output as inner body, and the
disconnect notice on exit or failed auth. Works with or without gevent monkey patching.

Simplifications: events are always sent in plain format, `filter` is acknowledged but not
applied, and the api reply table is scripted (see DEFAULT_REPLIES / set_reply).
"""
from __future__ import annotations

import re
import time
import uuid
from pathlib import Path
from typing import Callable, Union

import gevent
from gevent.pool import Group
from gevent.server import StreamServer

from esl_handlers.protocol import CommandParser, encode_event_plain, encode_frame
from tests.fakes.fake_session import EslClient, core_headers

Reply = Union[str, bytes, Callable[[str], Union[str, bytes]]]

DISCONNECT_BODY = b"Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n"
STATUS_REPLY = (
    "UP 0 years, 0 days, 0 hours, 4 minutes, 51 seconds, 379 milliseconds, 880 microseconds\n"
    "FreeSWITCH (Version 1.11.1-release git c2c5964 2026-05-26 20:41:26Z 64bit) is ready\n"
    "24 session(s) since startup\n"
    "0 session(s) - peak 5, last 5min 5 \n"
    "0 session(s) per Sec out of max 200, peak 4, last 5min 4 \n"
    "2000 session(s) max\n"
    "min idle cpu 0.00/99.20\n"
    "Current Stack Size/Max 240K/8192K\n"
)
# Checked in order after the scripted replies. xml_flush_cache/status/originate/unknown are
# copied from the api transcript; the check_sync and rescan texts are recalled from
# mod_sofia.c and NOT verified against a recording -- tests should not depend on them.
DEFAULT_REPLIES: list[tuple[str | re.Pattern[str], Reply]] = [
    ("xml_flush_cache", "+OK cleared 1 entry\n"),
    ("status", STATUS_REPLY),
    ("originate", "-ERR USER_NOT_REGISTERED\n"),
    (re.compile(r"sofia profile \S+ check_sync"),
     "+OK syncing all registrations matching specified call_id\n"),
    (re.compile(r"sofia profile \S+ rescan"), "+OK scan complete\n"),
]


def unknown_command(cmd: str) -> str:
    return f"-ERR {cmd.split(' ', 1)[0]} Command not found!\n"


def wait_for(predicate: Callable[[], object], timeout: float = 2.0, interval: float = 0.01):
    """Poll until predicate() is truthy (returning it); AssertionError after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"condition not met within {timeout}s: {predicate!r}")
        gevent.sleep(interval)


class FakeFreeSwitch:
    """Inbound ESL server on 127.0.0.1, port from the OS. See module docstring."""

    def __init__(self, password: str = "ClueCon", port: int = 0) -> None:
        """``port`` 0 lets the OS choose; a fixed port is only for "the same node comes back"."""
        self.password = password
        self.refuse_auth = False      # answer every auth with -ERR invalid
        self.hold_greeting = False    # accept TCP but never send auth/request
        self.delay_replies = 0.0      # seconds to wait before answering any post-auth command
        self.commands: list[str] = []
        self.core_uuid = str(uuid.uuid4())
        self.channels: set[str] = set()  # Unique-IDs `uuid_exists` answers "true" for
        self._replies: list[tuple[object, Reply]] = [(re.compile(r"uuid_exists "), self._uuid_exists)]
        self._clients: set[EslClient] = set()
        self._jobs = Group()
        self._server = StreamServer(("127.0.0.1", port), self._handle)

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> "FakeFreeSwitch":
        self._server.start()
        return self

    def stop(self) -> None:
        self.drop_connections()
        self._jobs.kill(block=False)
        self._server.stop(timeout=1)

    def __enter__(self) -> "FakeFreeSwitch":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_port

    @property
    def client_count(self) -> int:
        return len(self._clients)

    # -- control API -----------------------------------------------------------------
    def api_commands(self) -> list[str]:
        """Arguments of every `api` command received, e.g. "xml_flush_cache id 101 acme.test"."""
        return [c[4:] for c in self.commands if c.startswith("api ")]

    def set_reply(self, pattern: str | re.Pattern[str], body: Reply) -> None:
        """Script an api/bgapi reply: str = prefix, compiled regex = re.match; newest wins.

        `body` may be a callable taking the command string (it can also act, e.g. drop).
        """
        self._replies.insert(0, (pattern, body))

    def inject(self, raw: bytes) -> None:
        """Send raw bytes as-is to every client that enabled events."""
        for client in list(self._clients):
            if client.subscription.enabled:
                client.send(raw)

    def inject_event(self, headers: dict[str, str], body: bytes | str = b"") -> None:
        """Send an event (values URL-encoded by us) to clients whose `event` list matches it."""
        frame = encode_event_plain(headers, body)
        for client in list(self._clients):
            if client.subscription.wants(headers):
                client.send(frame)

    def replay(self, path: str | Path, skip_handshake: bool = True, chunk_size: int = 0) -> int:
        """Stream a recorded events-plain.esl to event clients; returns bytes sent.

        Recordings begin with auth/request and two command/reply frames (headers only);
        our clients already did that handshake, so those frames are skipped by default.
        """
        data = Path(path).read_bytes()
        if skip_handshake:
            while data.startswith((b"Content-Type: auth/request", b"Content-Type: command/reply")):
                data = data[data.index(b"\n\n") + 2:]
        step = chunk_size or len(data) or 1
        for start in range(0, len(data), step):
            self.inject(data[start:start + step])
            gevent.sleep(0)
        return len(data)

    def drop_connections(self) -> None:
        """Close every client socket abruptly (no disconnect notice), like a crash."""
        for client in list(self._clients):
            client.close()

    def wait_for(self, predicate: Callable[[], object], timeout: float = 2.0):
        return wait_for(predicate, timeout)

    # -- server side -----------------------------------------------------------------
    def _handle(self, sock, address) -> None:
        client = EslClient(sock)
        self._clients.add(client)
        try:
            if self.hold_greeting:
                client.wait_closed()
                return
            client.send(b"Content-Type: auth/request\n\n")
            parser = CommandParser()
            while not client.closed:
                data = client.recv()
                if not data:
                    break
                for command in parser.feed(data):
                    self.commands.append(command.text)
                    if not self._dispatch(client, command):
                        return
        except OSError:
            pass
        finally:
            self._clients.discard(client)
            client.close()

    def _reply(self, client: EslClient, text: str) -> None:
        client.send(encode_frame({"Content-Type": "command/reply", "Reply-Text": text}))

    def _goodbye(self, client: EslClient) -> None:
        client.send(encode_frame({"Content-Type": "text/disconnect-notice"}, DISCONNECT_BODY))
        client.close()

    def _dispatch(self, client: EslClient, command) -> bool:
        """Answer one command; False means the connection is over."""
        line = command.line
        if not client.authed:
            if not line.startswith("auth "):
                self._reply(client, "-ERR command not found")
                return True
            if self.refuse_auth or line[5:].strip() != self.password:
                self._reply(client, "-ERR invalid")
                self._goodbye(client)
                return False
            client.authed = True
            self._reply(client, "+OK accepted")
            return True
        if self.delay_replies and not client.pause(self.delay_replies):
            return False
        if line.startswith("exit"):
            self._reply(client, "+OK bye")
            self._goodbye(client)
            return False
        if line.startswith("api "):
            body = self._api_output(line[4:].strip())
            client.send(encode_frame({"Content-Type": "api/response"}, body))
        elif line.startswith("bgapi "):
            self._bgapi(client, line[6:].strip(), command.headers.get("Job-UUID"))
        elif line.startswith("sendevent"):
            self._sendevent(client, line, command.headers, command.body)
        else:
            self._reply(client, client.subscription.handle(line))
        return True

    def _api_output(self, cmd: str) -> bytes:
        for pattern, reply in [*self._replies, *DEFAULT_REPLIES]:
            hit = pattern.match(cmd) if isinstance(pattern, re.Pattern) else cmd.startswith(pattern)
            if hit:
                out = reply(cmd) if callable(reply) else reply
                break
        else:
            out = unknown_command(cmd)
        out = out.encode("utf-8") if isinstance(out, str) else out
        return out or b"-ERR no reply\n"

    def _uuid_exists(self, cmd: str) -> str:
        """mod_commands uuid_exists_function: "true" or "false", no newline."""
        return "true" if cmd.split(" ", 1)[1].strip() in self.channels else "false"

    def _bgapi(self, client: EslClient, cmd: str, job_uuid: str | None) -> None:
        job = job_uuid or str(uuid.uuid4())
        client.send(encode_frame({"Content-Type": "command/reply",
                                  "Reply-Text": f"+OK Job-UUID: {job}", "Job-UUID": job}))
        name, _, arg = cmd.partition(" ")
        headers = core_headers("BACKGROUND_JOB", self.core_uuid, "mod_commands.c", "bgapi_exec")
        headers.update({"Job-UUID": job, "Job-Command": name, "Job-Command-Arg": arg})
        self._jobs.spawn(lambda: self.inject_event(headers, self._api_output(cmd)))

    def _sendevent(self, client: EslClient, line: str, headers: dict, body: bytes) -> None:
        event_uuid = str(uuid.uuid4())
        name = line[len("sendevent"):].strip() or headers.get("Event-Name", "CUSTOM")
        event = core_headers(name, self.core_uuid, "mod_event_socket.c", "parse_command")
        event.update({k: v for k, v in headers.items() if k.lower() != "content-length"})
        event["Event-UUID"] = event_uuid
        self._reply(client, f"+OK {event_uuid}")
        self._jobs.spawn(self.inject_event, event, body)
