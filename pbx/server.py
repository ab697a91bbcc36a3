"""Process layouts: everything in one gevent process (``pbx run``) or the ESL side alone."""
from __future__ import annotations

import logging

import gevent
from flask import Flask
from gevent.pywsgi import WSGIServer

from esl_handlers import dispatcher

log = logging.getLogger("pbx.server")


def _spawn_logged(fn, *args) -> gevent.Greenlet:
    greenlet = gevent.spawn(fn, *args)
    greenlet.link_exception(lambda g: log.error("background task died task=%s error=%r", fn.__name__,
                                                g.exception))
    return greenlet


def start_esl_side(app: Flask) -> list[gevent.Greenlet]:
    """Background work towards FreeSWITCH: redelivery of commands owed to unreachable nodes."""
    return [_spawn_logged(dispatcher.run_retry_loop, app)]


def serve(app: Flask, host: str, port: int) -> None:
    start_esl_side(app)
    server = WSGIServer((host, port), app, log=None, error_log=log)
    server.init_socket()
    url = f"http://{host}:{server.server_port}/"
    print(f"PBX control plane listening on {url}  (xml_curl: {url}freeswitch/xml)", flush=True)
    log.info("serving host=%s port=%s", host, server.server_port)
    server.serve_forever()


def run_esl(app: Flask, node: str) -> None:
    names = [n.name for n in dispatcher.nodes_of(app)]
    if node not in names:
        raise SystemExit(f"unknown node {node!r}; PBX_FREESWITCH_NODES has: {', '.join(names) or 'none'}")
    log.info("esl side running node=%s", node)
    gevent.joinall(start_esl_side(app))
