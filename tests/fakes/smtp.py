"""A real SMTP server on 127.0.0.1 (aiosmtpd, OS-chosen port) that keeps what it receives."""
from __future__ import annotations

import email
import email.policy
import socket
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self, sink: list[EmailMessage], server: "RecordingSmtpServer") -> None:
        self.sink = sink
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.server.refuse_with:  # e.g. "550 5.1.1 no such user", "451 4.3.0 try later"
            return self.server.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=email.policy.default)
        self.sink.append(message)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingSmtpServer:
    """``refuse_with`` (an SMTP reply line) makes it refuse every recipient; ``stop()`` then
    ``start()`` is a mail server restart on the same port."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = _free_port()
        self.refuse_with: str | None = None
        self._controller = self._new_controller()

    def _new_controller(self) -> Controller:
        return Controller(_Handler(self.messages, self), hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        if self._controller.loop.is_closed():  # stopped before: aiosmtpd's loop cannot start again
            self._controller = self._new_controller()
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()
