"""The outbound socket server FreeSWITCH connects to for each voicemail call (``socket
<PBX_VOICEMAIL_SOCKET> async full``, rendered by xml_curl/dialplan.py).

A gevent StreamServer with a bounded pool of calls; per call two greenlets: the handler
(runs the dialogue) and the reader (owned by a Group, so tests can prove none is left after a
caller hangs up mid-prompt). Each call runs in its own app context only for short database
work (VoicemailStore), never holding a transaction across a prompt.

Only switches may drive it (trust.py): a peer outside ``allowed`` is closed on accept, before
anything is read or written; a connected channel must pass ``check(peer, channel_data)``.
"""
from __future__ import annotations

import logging
from typing import Callable, Iterable

from gevent.pool import Group, Pool
from gevent.server import StreamServer

from fs_service.ivr import Script
from fs_service.networks import Network, source_in

from ..protocol import Event
from .channel import OutboundChannel
from .session import run_call

log = logging.getLogger("pbx.esl.outbound")
DEFAULT_MAX_CALLS = 200


def parse_address(address: str) -> tuple[str, int]:
    """``host:port`` or ``[v6]:port``, as in PBX_VOICEMAIL_SOCKET."""
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise ValueError(f"PBX_VOICEMAIL_SOCKET: expected host:port, got {address!r}")
    return host.strip("[]"), int(port)


class OutboundServer:
    def __init__(self, address: str, script: Script, *, allowed: Iterable[Network],
                 check: Callable[[str, Event], bool], max_calls: int = DEFAULT_MAX_CALLS) -> None:
        self.script = script
        self.allowed = list(allowed)
        self.check = check
        self.readers = Group()
        self.calls = Pool(max_calls)
        self._server = StreamServer(parse_address(address), self._handle, spawn=self.calls)

    @property
    def port(self) -> int:
        return self._server.server_port

    @property
    def active_calls(self) -> int:
        return len(self.calls)

    def start(self) -> "OutboundServer":
        self._server.start()
        log.info("voicemail socket listening address=%s:%s", self._server.server_host, self.port)
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self, timeout: float = 2.0) -> None:
        self._server.stop(timeout=timeout)
        self.readers.kill(block=True, timeout=timeout)

    def _handle(self, sock, address) -> None:
        peer = address[0]
        if not source_in(peer, self.allowed):
            log.warning("voicemail socket refused peer=%s reason=network_not_allowed", peer)
            sock.close()
            return
        channel = OutboundChannel(sock, self.readers)
        try:
            run_call(channel, self.script, lambda data: self.check(peer, data))
        except Exception:
            log.exception("voicemail call failed peer=%s", address)
        finally:
            channel.close()
