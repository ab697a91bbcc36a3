"""Process layouts: everything in one gevent process (``pbx run``), or each side alone (production)."""
from __future__ import annotations

import gc
import logging
import socket

import gevent
from flask import Flask
from gevent.pywsgi import WSGIServer

from esl_handlers import dispatcher
from esl_handlers.fax_worker import run_fax_worker, start_fax_worker
from esl_handlers.handlers import MODULES
from esl_handlers.lanes import Lanes
from esl_handlers.listener import NodeListener
from esl_handlers.outbound import start_voicemail_server
from fs_service import audit, mail_queue
from fs_service.audio_storage import Storage
from fs_service.conferences.history import run_retention_loop
from web.emails import mail_kinds

log = logging.getLogger("pbx.server")


class NoDelayWSGIServer(WSGIServer):
    """pywsgi writes the status line + headers and the body in two sends; with Nagle on, the body
    waits for the ACK of the headers, which a keep-alive client (a load balancer) delays up to
    40 ms (delayed ACK). Measured by bench/: p50 = p99 = 44 ms without this."""

    def handle(self, sock, address):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().handle(sock, address)


def _spawn_logged(fn, *args) -> gevent.Greenlet:
    greenlet = gevent.spawn(fn, *args)
    greenlet.link_exception(lambda g: log.error("background task died task=%s error=%r", fn.__name__,
                                                g.exception))
    return greenlet


class EslSide:
    """The ESL work of one process: a listener per node (sharing one lane pool) and the
    redelivery loop of commands owed to unreachable nodes."""

    def __init__(self, app: Flask, only: str | None = None) -> None:
        nodes = [n for n in dispatcher.nodes_of(app) if only is None or n.name == only]
        self.lanes = Lanes(app, size=len(MODULES) * len(nodes) + 2)  # one lane per handler module per node
        self.listeners = [NodeListener.from_settings(app, node, self.lanes) for node in nodes]
        self.greenlets = [listener.start() for listener in self.listeners]
        self.greenlets.append(_spawn_logged(dispatcher.run_retry_loop, app, only))

    def stop(self) -> None:
        for listener in self.listeners:
            listener.stop()
        gevent.killall(self.greenlets, block=True, timeout=2)
        self.lanes.stop()


def start_esl_side(app: Flask, only: str | None = None) -> EslSide:
    """Listeners for every configured node (or only ``only``) and the retry loop."""
    side = EslSide(app, only)
    log.info("esl side started nodes=%s", ",".join(lst.node.name for lst in side.listeners) or "none")
    return side


def start_mail_sender(app: Flask) -> gevent.Greenlet:
    """The loop that sends the queued emails (voicemail, invitations, password resets: pages
    and dialogues only queue them). Runs in ``pbx run`` and ``pbx voicemail``; claims keep
    several copies from sending twice."""
    return _spawn_logged(mail_queue.run_sender_loop, app, mail_kinds(app))


def start_audit_purge(app: Flask) -> gevent.Greenlet:
    """The hourly sweep of audit events past PBX_AUDIT_RETENTION_DAYS (``pbx run``, ``pbx voicemail``)."""
    return _spawn_logged(audit.run_purge_loop, app, gevent.sleep)


def start_conference_retention(app: Flask) -> gevent.Greenlet:
    """The hourly deletion of conference recordings older than 7 days (CONF-7)."""
    return _spawn_logged(run_retention_loop, app, Storage.from_settings(app.config["PBX"]).local_path, gevent.sleep)


def freeze_startup_objects() -> None:
    """Everything loaded at start (Flask, SQLAlchemy, the app) lives as long as the process:
    move it out of the collector's sight, so the short-lived garbage of thousands of ESL events
    per second never triggers full scans of it (measured: ~5 % of the listener's CPU)."""
    gc.freeze()


def serve(app: Flask, host: str, port: int) -> None:
    """``pbx run``: everything in this one process."""
    freeze_startup_objects()
    start_esl_side(app)
    start_voicemail_server(app)
    start_fax_worker(app)
    start_mail_sender(app)
    start_audit_purge(app)
    start_conference_retention(app)
    _serve_http(app, host, port)


def serve_web(app: Flask, host: str, port: int) -> None:
    """Production layout: the web UI, the REST API and xml_curl only. Stateless, so run as many
    as the load asks for behind a balancer; FreeSWITCH's fetches then never wait behind the
    events the ESL side is reading on its own loop (``pbx esl``)."""
    freeze_startup_objects()
    _serve_http(app, host, port)


def _serve_http(app: Flask, host: str, port: int) -> None:
    server = NoDelayWSGIServer((host, port), app, log=None, error_log=log)
    server.init_socket()
    url = f"http://{host}:{server.server_port}/"
    print(f"PBX control plane listening on {url}  (xml_curl: {url}freeswitch/xml)", flush=True)
    log.info("serving host=%s port=%s", host, server.server_port)
    server.serve_forever()


def run_esl(app: Flask, node: str) -> None:
    """Production layout: this process owns one node's listener and its owed commands."""
    names = [n.name for n in dispatcher.nodes_of(app)]
    if node not in names:
        raise SystemExit(f"unknown node {node!r}; PBX_FREESWITCH_NODES has: {', '.join(names) or 'none'}")
    log.info("esl side running node=%s", node)
    freeze_startup_objects()
    gevent.joinall(start_esl_side(app, only=node).greenlets)


def run_voicemail(app: Flask) -> None:
    """Production layout: the voicemail service FreeSWITCH's ``socket`` app connects to
    (PBX_VOICEMAIL_SOCKET), with the mail sender (the web workers and the dialogues only queue
    emails) and the retention sweeps (audit log, conference recordings). Run one per address you
    configure: the sweeps are idempotent deletions, safe to run twice."""
    freeze_startup_objects()
    log.info("voicemail service running socket=%s", app.config["PBX"].voicemail_socket)
    gevent.joinall(start_voicemail_server(app) + [start_mail_sender(app), start_audit_purge(app),
                                                  start_conference_retention(app)])


def run_fax(app: Flask) -> None:
    """Production layout: one or more fax workers (jobs are claimed with row locks)."""
    freeze_startup_objects()
    run_fax_worker(app)
