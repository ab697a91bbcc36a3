"""Message-waiting lamps: the core's MESSAGE_WAITING headers (fs_service.voicemail.mwi) sent to
every FreeSWITCH node with ``sendevent`` (NOTES §9.12: mod_sofia then NOTIFYs the registered
phones) -- over the node's listener connection when this process runs it (the answers to
MESSAGE_QUERY always come from a listener), else over a short inbound connection.

A lamp is state, not history: a node that is down misses the event and the next change (or
the phone's next MESSAGE_QUERY, answered from our counts) corrects it, so nothing is stored
for retry. Each batch runs in its own greenlet; every wait is bounded.
"""
from __future__ import annotations

import logging
import re
import threading

import gevent
from flask import Flask

from fs_service.settings import NodeConfig
from fs_service.voicemail import mwi

from . import registry
from .connection import EslConnection
from .dispatcher import nodes_of
from .errors import EslUnavailable
from .facade import EslFacade

log = logging.getLogger("pbx.esl.mwi")
_HEADER_VALUE = re.compile(r"[^\r\n]{0,300}")


def sendevent_headers(headers: dict[str, str]) -> dict[str, str]:
    """Refuse a value that would end the command early (a newline starts a new ESL command)."""
    for name, value in headers.items():
        if not name.startswith("MWI-") or not _HEADER_VALUE.fullmatch(value):
            raise ValueError(f"unsafe MESSAGE_WAITING header {name!r}")
    return headers


def send_message_waiting(node: NodeConfig, events: list[dict[str, str]], timeout: float = 3.0) -> int:
    """``sendevent MESSAGE_WAITING`` for each event; returns how many FreeSWITCH accepted."""
    live = registry.live_facade(node.name)
    conn = None if live is not None else EslConnection(node, timeout=timeout)
    accepted, clean = 0, False
    try:
        if conn is not None:
            conn.connect()
        facade = live or EslFacade(conn, timeout)
        accepted = sum(facade.send_event("MESSAGE_WAITING", sendevent_headers(headers)).ok for headers in events)
        clean = True
    except EslUnavailable as exc:
        log.warning("mwi not sent node=%s reason=%s", node.name, exc.reason)
    finally:
        if conn is not None:
            conn.close(polite=clean, timeout=1.0)
    return accepted


def install_mwi_sender(app: Flask) -> None:
    """Route the core's lamp changes to every configured node (none configured: dropped)."""
    nodes = nodes_of(app)
    if not nodes:
        mwi.set_sender(None)
        return
    timeout = app.config["PBX"].esl_timeout
    hub, hub_thread = gevent.get_hub(), threading.get_ident()

    def spawn_all(events: list[dict[str, str]]) -> None:
        for node in nodes:
            greenlet = gevent.spawn(send_message_waiting, node, list(events), timeout)
            greenlet.link_exception(lambda g: log.error("mwi send died error=%r", g.exception))

    def send(events: list[dict[str, str]]) -> None:
        # The ESL lanes apply batches in gevent's native threadpool; greenlets belong to the hub's
        # thread, so from another thread the spawn is handed to the hub's loop.
        if threading.get_ident() == hub_thread:
            spawn_all(events)
        else:
            hub.loop.run_callback_threadsafe(spawn_all, list(events))

    mwi.set_sender(send)
