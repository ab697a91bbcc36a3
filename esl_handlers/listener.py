"""One long-lived inbound ESL connection per FreeSWITCH node, kept up forever.

Each session: a *new* EslConnection (greenswitch instances cannot reconnect), the handler
tables registered on it, connect + auth within the timeout, ``event plain`` with exactly the
events the tables use, then a resync (resync.py) so the node's rows match FreeSWITCH, then the
node is marked up. While connected a probe (``api status``) runs every ``probe_interval``: a
half-open TCP connection or a hung switch never answers, so the session is dropped instead of
waiting forever; a periodic resync repairs anything an event could not (e.g. a recording with
a lost hangup). When the session ends the node is marked down (the web keeps working and
shows it) and the listener retries with capped exponential backoff, forever.
"""
from __future__ import annotations

import logging
import random
import time

import gevent
from flask import Flask

from fs_service.db import unavailable
from fs_service.settings import NodeConfig
from fs_service.status import store as status_store

from . import registry
from .connection import EslConnection
from .errors import EslUnavailable
from .facade import EslCommandError, EslFacade
from .handlers import MODULES, HandlerModule, subscription
from .lanes import Lanes
from .resync import resync
from .router import EventRouter

log = logging.getLogger("pbx.esl.listener")


class NodeListener:
    def __init__(self, app: Flask, node: NodeConfig, lanes: Lanes, *, timeout: float = 3.0,
                 backoff: tuple[float, float] = (0.5, 30.0), probe_interval: float = 20.0,
                 resync_interval: float = 300.0, modules: tuple[HandlerModule, ...] = MODULES) -> None:
        self.app, self.node, self.timeout = app, node, timeout
        self.backoff, self.probe_interval, self.resync_interval = backoff, probe_interval, resync_interval
        self.router = EventRouter(node.name, lanes, modules)
        self.modules = modules
        self.facade: EslFacade | None = None
        self.sessions = 0  # successful sessions so far (tests, health)
        self._greenlet: gevent.Greenlet | None = None
        self._conn: EslConnection | None = None
        self._stopping = False
        self._unrecorded = False  # the last up/down mark failed (database away): redo it

    @classmethod
    def from_settings(cls, app: Flask, node: NodeConfig, lanes: Lanes) -> "NodeListener":
        """A listener timed by the settings (PBX_ESL_TIMEOUT, _PROBE_SECONDS, _RESYNC_SECONDS,
        _BACKOFF_MAX_SECONDS); the first retry stays quick, the cap is configurable."""
        settings = app.config["PBX"]
        return cls(app, node, lanes, timeout=settings.esl_timeout,
                   backoff=(min(0.5, settings.esl_backoff_max_seconds), settings.esl_backoff_max_seconds),
                   probe_interval=settings.esl_probe_seconds, resync_interval=settings.esl_resync_seconds)

    @property
    def _resync_timeout(self) -> float:
        """``show channels`` on a busy switch lists thousands of rows: allow more than a probe."""
        return max(10.0, self.timeout)

    @property
    def connected(self) -> bool:
        return self.facade is not None and self.facade.conn.alive

    def start(self) -> gevent.Greenlet:
        registry.add(self)
        self._greenlet = gevent.spawn(self._run)
        self._greenlet.link_exception(lambda g: log.error("esl listener died node=%s error=%r",
                                                          self.node.name, g.exception))
        return self._greenlet

    def stop(self) -> None:
        """End the session and the retry loop; the node shows down until a listener is back."""
        was_connected, self._stopping = self.connected, True
        registry.remove(self)
        if self._conn is not None:
            self._conn.close(polite=False)
        if self._greenlet is not None:
            self._greenlet.kill(block=True, timeout=2)
        if was_connected:
            self._mark(False, "listener stopped")

    # -- the loop ------------------------------------------------------------------------
    def _run(self) -> None:
        delay = self.backoff[0]
        while not self._stopping:
            was_up, reason = False, "closed"
            try:
                was_up, reason = self._session()
            except (EslUnavailable, EslCommandError) as exc:
                reason = getattr(exc, "reason", None) or str(exc)
            except Exception as exc:  # a bug must not end the listener: log it, retry
                log.exception("esl session failed node=%s", self.node.name)
                reason = f"internal error: {type(exc).__name__}"
            if self._stopping:
                return
            delay = self.backoff[0] if was_up else min(delay * 2, self.backoff[1])
            wait = delay * random.uniform(0.8, 1.2)
            self._mark(False, reason)
            log.warning("esl node down node=%s reason=%r retry_in=%.1fs", self.node.name, reason, wait)
            gevent.sleep(wait)

    def _session(self) -> tuple[bool, str]:
        conn = self._conn = EslConnection(self.node, timeout=self.timeout)
        for key in self.router.keys:
            conn.register_handle(key, self.router)
        facade = EslFacade(conn, timeout=self.timeout)
        try:
            conn.connect()
            facade.subscribe(*subscription(self.modules))  # before the snapshot: no gap
            resync(facade, self.router, self._resync_timeout)
            self.facade, self.sessions = facade, self.sessions + 1
            self._mark(True)
            log.info("esl node up node=%s host=%s:%s", self.node.name, self.node.host, self.node.port)
            self._watch(conn, facade)
            return True, conn.reason or "closed"
        finally:
            self.facade = None
            conn.close(polite=False)

    def _watch(self, conn: EslConnection, facade: EslFacade) -> None:
        last_resync = time.monotonic()
        while not conn.wait_closed(self.probe_interval):
            try:
                facade.status()
                self._seen()
                if self.resync_interval and time.monotonic() - last_resync >= self.resync_interval:
                    resync(facade, self.router, self._resync_timeout)
                    last_resync = time.monotonic()
            except (EslUnavailable, EslCommandError) as exc:
                log.warning("esl probe failed node=%s reason=%s", self.node.name, exc)
                conn.close(polite=False)

    def _seen(self) -> None:
        """The probe answered: refresh last_seen_at, so the web can tell a node whose listener
        process died (its row still says connected) from a live one. If marking the node up
        failed (the database was away when the session began), mark it now."""
        if self._unrecorded:
            self._mark(True)
            return
        try:
            with self.app.app_context():
                status_store.touch_node(self.node.name)
        except Exception as exc:
            self._not_recorded("last seen", exc)

    def _mark(self, connected: bool, error: str | None = None) -> None:
        try:
            with self.app.app_context():
                status_store.mark_node(self.node.name, connected, error)
            self._unrecorded = False
        except Exception as exc:  # the database being down must not stop the listener
            self._unrecorded = True
            self._not_recorded("status", exc)

    def _not_recorded(self, what: str, exc: Exception) -> None:
        if unavailable(exc):  # an outage, not a bug: one line, no stack trace
            log.warning("esl node %s not recorded node=%s reason=database-unavailable", what, self.node.name)
        else:
            log.error("esl node %s not recorded node=%s", what, self.node.name, exc_info=exc)
