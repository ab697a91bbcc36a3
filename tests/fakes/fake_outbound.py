"""A fake FreeSWITCH for the *outbound* socket: it connects to our server and plays one channel.

Byte formats follow the recorded transcript (tests/fixtures/esl/outbound-socket-ivr): the
`connect` reply is one command/reply frame whose URL-encoded headers are the channel data
(taken from the recording, with the test's variables); each `sendmsg` gets `+OK`, then
CHANNEL_EXECUTE and CHANNEL_EXECUTE_COMPLETE carrying our Event-UUID as Application-UUID and
every channel variable as `variable_*`; DTMF arrive as DTMF events; a hangup sends
CHANNEL_HANGUP, the running application's completion, CHANNEL_HANGUP_COMPLETE and the linger
disconnect notice. Applications behave as FreeSWITCH's do where the dialogue can tell:
`set`/`multiset` change variables, `playback` stops on a key of playback_terminators,
`play_and_get_digits` stores matching digits in its variable, `record` writes a real WAV.

The caller is a list of actions consumed by the applications that wait for a person
(interruptible playback, play_and_get_digits, record): Press, Listen, Speak, HangUp.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

import gevent
import gevent.socket

from esl_handlers.protocol import CommandParser, EslParser, encode_event_plain, url_encode
from tests.fakes.fake_outbound_apps import AppRunner
from tests.fakes.fake_session import core_headers
from tests.helpers import FIXTURES

TRANSCRIPT = FIXTURES / "esl" / "outbound-socket-ivr" / "outbound-transcript-freeswitch-to-client.esl"
_REPLY_HEADERS = ("Content-Type", "Reply-Text", "Socket-Mode", "Control")


@dataclass(frozen=True)
class Press:
    """Type keys (during a prompt, the first one interrupts it if it is a terminator)."""
    digits: str


@dataclass(frozen=True)
class Listen:
    """Do nothing: the prompt plays out, the digit collection times out."""


@dataclass(frozen=True)
class Speak:
    """Talk for ``seconds`` into a recording, then press ``key`` ("" = stop talking)."""
    seconds: float
    key: str = "#"


@dataclass(frozen=True)
class HangUp:
    """Hang up during the application waiting for the caller (after ``seconds`` of recording)."""
    seconds: float = 0.0


def recorded_channel_data() -> dict[str, str]:
    """The channel data FreeSWITCH sent in reply to `connect`, decoded (reply headers removed)."""
    frame = EslParser().feed(TRANSCRIPT.read_bytes())[0]
    return {k: v for k, v in frame.headers.items() if k not in _REPLY_HEADERS}


@dataclass
class FakeOutboundCall:
    """One call FreeSWITCH hands to our socket. ``run`` connects and plays it to the end."""

    port: int
    variables: dict[str, str]
    actions: list = field(default_factory=list)
    caller_number: str = "4185551234"
    caller_name: str = "Client Inc"
    hangup_on: tuple[str, str] | None = None  # (app, substring of its arg): hang up when it starts
    switch: object | None = None  # a FakeFreeSwitch: the channel exists there (uuid_exists → true)
    received: list[str] = field(default_factory=list)  # every command line our server sent
    apps: list[tuple[str, str]] = field(default_factory=list)
    sendmsg_headers: list[dict[str, str]] = field(default_factory=list)
    hung_up: bool = False
    closed_by_server: bool = False

    def __post_init__(self) -> None:
        self.uuid = str(uuid.uuid4())
        self.channel_vars: dict[str, str] = {"uuid": self.uuid, **self.variables}
        self.runner = AppRunner(self)
        if self.switch is not None:
            self.switch.channels.add(self.uuid)

    # -- wire ----------------------------------------------------------------------------
    def run(self, timeout: float = 10.0) -> "FakeOutboundCall":
        with gevent.Timeout(timeout):
            self.sock = gevent.socket.create_connection(("127.0.0.1", self.port))
            try:
                self._serve()
            finally:
                self.sock.close()
        return self

    def _serve(self) -> None:
        parser = CommandParser()
        while True:
            data = self.sock.recv(65536)
            if not data:
                self.closed_by_server = True
                return
            for command in parser.feed(data):
                self._answer(command)

    def send(self, data: bytes) -> None:
        try:
            self.sock.sendall(data)
        except OSError:
            pass

    def reply(self, text: str) -> None:
        self.send(f"Content-Type: command/reply\nReply-Text: {text}\n\n".encode())

    def _answer(self, command) -> None:
        line = command.line.strip()
        self.received.append(line)
        if line == "connect":
            self.send(self._connect_reply())
        elif line == "myevents":
            self.reply("+OK Events Enabled")
        elif line.startswith("linger"):
            self.reply("+OK will linger")
        elif line == "sendmsg":
            self.sendmsg_headers.append(dict(command.headers))
            if self.hung_up:
                self.reply(f"-ERR invalid session id [{self.uuid}]")
                return
            self.reply("+OK")
            self.runner.execute(command.headers)
        else:
            self.reply("-ERR command not found")

    def _connect_reply(self) -> bytes:
        data = recorded_channel_data()
        data.update({"Unique-ID": self.uuid, "Channel-Unique-ID": self.uuid, "Caller-Unique-ID": self.uuid,
                     "Caller-Caller-ID-Number": self.caller_number, "Caller-Caller-ID-Name": self.caller_name})
        data = {k: v for k, v in data.items() if not k.startswith("variable_")}
        data.update({f"variable_{k}": v for k, v in self.channel_vars.items()})
        data.update({"Content-Type": "command/reply", "Reply-Text": "+OK\n", "Socket-Mode": "async",
                     "Control": "full"})
        return ("\n".join(f"{k}: {url_encode(v)}" for k, v in data.items()) + "\n\n").encode()

    # -- events --------------------------------------------------------------------------
    def event(self, name: str, **extra: str) -> None:
        headers = core_headers(name, "fake-core", "switch_core_session.c", "fake")
        headers.update({"Unique-ID": self.uuid, "Channel-Name": "sofia/internal/100@acme.test",
                        "Answer-State": "hangup" if self.hung_up else "answered"})
        headers.update(extra)
        headers.update({f"variable_{k}": v for k, v in self.channel_vars.items()})
        self.send(encode_event_plain(headers))

    def hang_up(self) -> None:
        self.hung_up = True
        self.event("CHANNEL_HANGUP", **{"Hangup-Cause": "NORMAL_CLEARING"})

    def finish_hangup(self) -> None:
        self.event("CHANNEL_HANGUP_COMPLETE", **{"Hangup-Cause": "NORMAL_CLEARING"})
        self.send(b"Content-Type: text/disconnect-notice\nControlled-Session-UUID: " + self.uuid.encode()
                  + b"\nContent-Disposition: linger\nLinger-Time: -1\nContent-Length: 0\n\n")

    def next_action(self):
        return self.actions.pop(0) if self.actions else HangUp()

    def recording_path(self, fs_path: str) -> Path:
        return Path(fs_path)  # tests share the folder with the fake: same path on both sides
