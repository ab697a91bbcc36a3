"""One outbound-socket connection: FreeSWITCH connected to us for one channel (NOTES §6, §9.7).

Why our own code and not greenswitch's OutboundSession (NOTES §8): it matches a finished
application by name (two ``playback`` in a row are ambiguous), hides event bodies, has no
timeout on any wait, and sends with ``send`` instead of ``sendall``. Here each ``sendmsg``
carries our own ``Event-UUID``, which FreeSWITCH copies into ``Application-UUID`` of the
CHANNEL_EXECUTE/CHANNEL_EXECUTE_COMPLETE events (switch_ivr.c sets ``app_uuid``), so every
completion is matched exactly; a FreeSWITCH that does not echo it is matched by name.

One reader greenlet per connection feeds an inbox; the call's own greenlet reads it. Every
wait has a deadline. After CHANNEL_HANGUP the running application still reports its end
(e.g. ``record`` with the length it got), so the wait goes on for a short grace only.
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from gevent.queue import Empty, Queue

from ..protocol import EslParser, EslProtocolError, Event, Frame, encode_command

HANGUP_EVENTS = ("CHANNEL_HANGUP", "CHANNEL_HANGUP_COMPLETE")
HANGUP_GRACE_SECONDS = 2.0
REPLY_SECONDS = 5.0
_CLOSED = object()


class ChannelGone(Exception):
    """The caller hung up or the socket closed: nothing more can be done on this channel."""


class ChannelTimeout(Exception):
    """FreeSWITCH did not report an application's end in time."""


@dataclass(frozen=True)
class Finished:
    complete: dict[str, str] | None  # headers of CHANNEL_EXECUTE_COMPLETE
    dtmf: str  # keys pressed while it ran


class OutboundChannel:
    def __init__(self, sock, readers) -> None:
        self.sock = sock
        self.hung_up = False
        self.closed = False
        self.heard_from = False  # any byte from the peer yet (a TCP health check sends none)
        self._inbox: Queue = Queue()
        self._reader = readers.spawn(self._read)

    # -- reading -------------------------------------------------------------------------
    def _read(self) -> None:
        parser = EslParser()
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    break
                self.heard_from = True
                for frame in parser.feed(data):
                    self._inbox.put(frame)
        except (OSError, EslProtocolError):
            pass
        finally:
            self._inbox.put(_CLOSED)

    def _next(self, deadline: float) -> Frame:
        try:
            item = self._inbox.get(timeout=max(deadline - time.monotonic(), 0))
        except Empty:
            raise ChannelTimeout("no answer from FreeSWITCH in time") from None
        if item is _CLOSED:
            self._inbox.put(_CLOSED)  # every later wait sees it too
            raise ChannelGone("socket closed")
        return item

    # -- commands ------------------------------------------------------------------------
    def command(self, text: str, headers: dict[str, str] | None = None,
                timeout: float = REPLY_SECONDS) -> Frame:
        """Send one socket command (connect, myevents, linger) and return its command/reply."""
        self._send(encode_command(text, headers))
        deadline = time.monotonic() + timeout
        while True:
            frame = self._next(deadline)
            if frame.content_type == "command/reply":
                return frame

    def handshake(self) -> Event:
        """connect (→ the channel data), myevents (this channel's events), linger (keep the
        socket after hangup so the last completions still arrive). Returns the channel data."""
        channel = self.command("connect").event()
        for text in ("myevents", "linger"):
            reply = self.command(text)
            if not reply.reply_text.startswith("+OK"):
                raise ChannelGone(f"{text} refused: {reply.reply_text}")
        return channel

    def execute(self, app: str, arg: str, timeout: float) -> Finished:
        """Run one application with event-lock and wait for its completion."""
        self._drain()
        if self.hung_up:
            raise ChannelGone("caller hung up")
        app_uuid = str(uuid.uuid4())
        self._send(encode_command("sendmsg", {"call-command": "execute", "execute-app-name": app,
                                              "execute-app-arg": arg, "event-lock": "true",
                                              "Event-UUID": app_uuid}))
        return self._wait_completion(app, app_uuid, time.monotonic() + timeout)

    def _wait_completion(self, app: str, app_uuid: str, deadline: float) -> Finished:
        dtmf = ""
        while True:
            try:
                frame = self._next(deadline)
            except ChannelTimeout:
                if self.hung_up:
                    raise ChannelGone("caller hung up") from None
                raise
            if frame.content_type == "command/reply":
                if frame.reply_text.startswith("-ERR"):
                    raise ChannelGone(f"sendmsg refused: {frame.reply_text}")
                continue
            if frame.content_type == "text/disconnect-notice":
                self._hung_up()
                deadline = min(deadline, time.monotonic() + HANGUP_GRACE_SECONDS)
                continue
            if frame.content_type != "text/event-plain":
                continue
            event = frame.event()
            if event.name == "DTMF":
                dtmf += event.get("DTMF-Digit", "") or ""
            elif event.name in HANGUP_EVENTS:
                self._hung_up()
                deadline = min(deadline, time.monotonic() + HANGUP_GRACE_SECONDS)
            elif event.name == "CHANNEL_EXECUTE_COMPLETE" and _is_ours(event, app, app_uuid):
                return Finished(dict(event.headers), dtmf)

    def _drain(self) -> None:
        """Read what arrived between two applications (a hangup while we were busy with the
        database) without waiting; keys pressed meanwhile stay buffered in FreeSWITCH."""
        while not self._inbox.empty():
            frame = self._next(time.monotonic())
            kind = frame.content_type
            if kind == "text/disconnect-notice" or (
                    kind == "text/event-plain" and frame.event().name in HANGUP_EVENTS):
                self._hung_up()

    def _hung_up(self) -> None:
        self.hung_up = True

    def _send(self, payload: bytes) -> None:
        try:
            self.sock.sendall(payload)
        except OSError as exc:
            raise ChannelGone(f"write failed: {exc}") from None

    def close(self) -> None:
        """Close the socket (FreeSWITCH then ends the ``socket`` application) and stop reading."""
        if not self.closed:
            self.closed = True
            try:
                self.sock.close()
            except OSError:
                pass
        self._reader.kill(block=True, timeout=1)


def _is_ours(event: Event, app: str, app_uuid: str) -> bool:
    found = event.get("Application-UUID")
    if found:
        return found == app_uuid
    return event.get("Application") == app
