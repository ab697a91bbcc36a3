"""One inbound ESL connection: greenswitch's ``InboundESL`` with the gaps of 0.0.19 closed.

Kept from greenswitch: its object model (``send``, ``register_handle`` keyed by Event-Name or
CUSTOM Event-Subclass, ``DISCONNECT``, ``connected``, ``authenticate``) and one new instance
per connection (its ``_run`` never resets). Replaced, each being a gap of NOTES §8:
- ``connect``: one deadline over TCP connect + auth/request + auth (greenswitch waits for
  auth/request forever); IPv6 through create_connection (greenswitch is AF_INET only).
- ``receive_events``: our EslParser over ``recv``: event bodies kept, values decoded after the
  split (no forged headers), a reply nobody waits for is logged instead of killing the reader;
  when the reader ends, every pending ``send`` fails at once and ``DISCONNECT`` handlers run.
- events: handlers run inline in the reader, in order (no 1-s-polling ``process_events``
  greenlet); a handler must only enqueue (lanes.py), never block.
- ``send``: ``sendall`` under a lock (FIFO replies match write order), a timeout on every wait.
"""
from __future__ import annotations

import logging
from typing import Any, Callable, NamedTuple

import gevent
import gevent.socket
from gevent.event import AsyncResult, Event
from gevent.lock import Semaphore
from greenswitch.esl import InboundESL

from fs_service.settings import NodeConfig

from .errors import EslUnavailable
from .events import EventHeaders
from .protocol import EslParser, EslProtocolError, encode_command

log = logging.getLogger("pbx.esl.conn")
_RECV_BYTES = 65536


class Reply(NamedTuple):
    """A command/reply or api/response, shaped like greenswitch's ESLEvent (headers, data)."""

    headers: dict[str, str]
    data: str


class EslConnection(InboundESL):
    def __init__(self, node: NodeConfig, timeout: float = 3.0) -> None:
        super().__init__(node.host, node.port, node.password, timeout=timeout)
        self.node = node
        self.reason = ""
        self._write_lock = Semaphore()
        self._closed = Event()

    # -- connect -----------------------------------------------------------------------
    def connect(self) -> None:
        """Connect and authenticate within ``timeout``; EslUnavailable otherwise."""
        timer = gevent.Timeout(self.timeout)
        timer.start()
        try:
            self.sock = gevent.socket.create_connection((self.host, self.port), timeout=self.timeout)
            self.sock.settimeout(None)
            self.connected = True
            self.start_event_handlers()
            self._auth_request_event.wait()
            if not self.connected:
                raise EslUnavailable(self.node.name, self.reason or "closed before authentication")
            self.authenticate()
        except gevent.Timeout as exc:
            if exc is not timer:
                raise
            self._fail(f"no ESL greeting/auth reply within {self.timeout:g}s")
        except ValueError:  # greenswitch authenticate(): Reply-Text was not "+OK accepted"
            self._fail("authentication refused")
        except EslUnavailable as exc:
            self._fail(exc.reason)
        except OSError as exc:
            self._fail(f"cannot connect: {getattr(exc, 'strerror', None) or exc or type(exc).__name__}")
        finally:
            timer.close()

    def _fail(self, reason: str) -> None:
        self.close(polite=False)
        raise EslUnavailable(self.node.name, reason) from None

    # -- reader ------------------------------------------------------------------------
    def start_event_handlers(self) -> None:
        self._receive_events_greenlet = gevent.spawn(self.receive_events)
        self._process_events_greenlet = None

    def receive_events(self) -> None:
        parser, reason = EslParser(), "connection closed by FreeSWITCH"
        try:
            while self._run:
                data = self.sock.recv(_RECV_BYTES)
                if not data:
                    break
                for frame in parser.feed(data):
                    self._on_frame(frame.headers, frame.body)
                if len(data) == _RECV_BYTES:
                    # gevent's recv returns at once while bytes are waiting, so a busy switch
                    # would keep this loop from ever yielding: let lanes and web greenlets run.
                    gevent.sleep(0)
        except (OSError, EslProtocolError) as exc:
            reason = f"read failed: {exc}"
        finally:
            self._shutdown(reason if self._run else self.reason or "closed")

    def _on_frame(self, headers: dict[str, str], body: bytes) -> None:
        kind = headers.get("Content-Type", "")
        if kind == "text/event-plain":
            self._dispatch(EventHeaders(body))
        elif kind == "api/response":
            self._resolve(Reply(headers, body.decode("utf-8", "replace")))
        elif kind == "command/reply":
            self._resolve(Reply(headers, headers.get("Reply-Text", "")))
        elif kind == "auth/request":
            self._auth_request_event.set()
        elif kind in ("text/disconnect-notice", "text/rude-rejection"):
            self.connected = False
            self.reason = "rejected by FreeSWITCH" if kind.endswith("rejection") else "disconnected by FreeSWITCH"
            self._auth_request_event.set()

    def _dispatch(self, event: EventHeaders) -> None:
        handlers = self.event_handlers.get(event.name) or self.event_handlers.get("*") or ()
        for handler in handlers:
            try:
                handler(event)
            except Exception:  # one bad handler must not stop the reader or the others
                log.exception("esl handler failed node=%s event=%s handler=%s", self.node.name,
                              event.name, getattr(handler, "__name__", handler))

    def _resolve(self, reply: Reply) -> None:
        if self._commands_sent:
            waiter, on_reply = self._commands_sent.pop(0)
            if on_reply is None:
                waiter.set(reply)
                return
            try:  # runs here, in frame order: before any event that follows the reply
                waiter.set(on_reply(reply))
            except Exception as exc:
                waiter.set_exception(exc)
        else:
            log.warning("esl reply nobody waits for node=%s reply=%r", self.node.name, reply.data[:80])

    def _shutdown(self, reason: str) -> None:
        """Idempotent end of the connection: fail waiters, tell DISCONNECT handlers, close."""
        if self._closed.is_set():
            return
        self.reason, self.connected, self._run = self.reason or reason, False, False
        self._closed.set()
        self._auth_request_event.set()
        error = EslUnavailable(self.node.name, self.reason)
        while self._commands_sent:
            self._commands_sent.pop(0)[0].set_exception(error)
        for handler in self.event_handlers.get("DISCONNECT", ()):
            try:
                handler(error)
            except Exception:
                log.exception("esl disconnect handler failed node=%s", self.node.name)
        try:
            self.sock.close()
        except (OSError, AttributeError):
            pass

    # -- commands ----------------------------------------------------------------------
    @property
    def alive(self) -> bool:
        return self.connected and not self._closed.is_set()

    def send(self, data: str, headers: dict[str, str] | None = None, timeout: float | None = None,
             on_reply: Callable[[Reply], Any] | None = None) -> Any:
        """Send one command and wait for its reply; EslUnavailable on timeout or disconnect.

        ``on_reply(reply)``, when given, runs in the reader the moment the reply is matched --
        before the events that follow it on the wire are dispatched -- and its return value
        (or exception) is what ``send`` returns (raises). Resync uses it to queue a snapshot
        exactly at the reply's place in the event stream.
        """
        if not self.alive:
            raise EslUnavailable(self.node.name, self.reason or "not connected")
        payload, waiter = encode_command(data, headers), AsyncResult()
        with self._write_lock:  # the FIFO of waiters must match the order on the wire
            self._commands_sent.append((waiter, on_reply))
            try:
                self.sock.sendall(payload)
            except OSError as exc:
                self._shutdown(f"write failed: {exc}")
        wait = self.timeout if timeout is None else timeout
        try:
            return waiter.get(timeout=wait)
        except gevent.Timeout:
            # The waiter stays queued: a late reply is absorbed by it, not given to the next one.
            raise EslUnavailable(self.node.name, f"no reply within {wait:g}s") from None

    def wait_closed(self, timeout: float | None = None) -> bool:
        return self._closed.wait(timeout)

    def close(self, polite: bool = True, timeout: float = 1.0) -> None:
        """Say ``exit`` when asked and possible, then close; never blocks past ``timeout``."""
        if polite and self.alive:
            try:
                self.send("exit", timeout=timeout)
            except EslUnavailable:
                pass
        self._shutdown(self.reason or "closed by us")
        reader = self._receive_events_greenlet
        if reader is not None and reader is not gevent.getcurrent():
            reader.kill(block=True, timeout=timeout)

    stop = close  # greenswitch's name for it
