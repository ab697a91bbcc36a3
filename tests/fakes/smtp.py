"""A real SMTP server on 127.0.0.1 (aiosmtpd, OS-chosen port) that keeps what it receives."""
from __future__ import annotations

import email
import email.policy
import socket
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self, sink: list[EmailMessage]) -> None:
        self.sink = sink

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
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.port = _free_port()
        self._controller = Controller(_Handler(self.messages), hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()
