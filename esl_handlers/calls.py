"""Placing calls the core decided (click-to-call), on the right node.

The originate must run on the node where the user's phone is registered (the request names
it). With a live listener in this process its connection is used; otherwise (web-only worker)
a short connection subscribed to BACKGROUND_JOB is opened and kept until the job reports,
in a background greenlet, so the web request returns as soon as FreeSWITCH accepted the job.
"""
from __future__ import annotations

import logging

import gevent
from flask import Flask, has_app_context

from fs_service import audit
from fs_service.db import db
from fs_service.settings import parse_nodes
from fs_service.switch_commands import CommandResult

from . import registry
from .connection import EslConnection
from .errors import EslUnavailable
from .facade import EslFacade, Job
from .originate import originate as originate_command

log = logging.getLogger("pbx.esl.calls")


def _log_outcome(job: Job, conn: EslConnection | None) -> None:
    try:
        result = job.result()
        level = logging.INFO if result.ok else logging.WARNING
        log.log(level, "originate finished job=%s ok=%s reply=%r", job.job_id, result.ok, result.body[:80])
    finally:
        if conn is not None:
            conn.close()


def place_call(app: Flask, request) -> CommandResult:
    """Start ``request`` (fs_service.status.click_to_call.OriginateRequest); returns at once with
    ok=True and the job id once FreeSWITCH accepted it, or ok=False with the reason. The
    audit log gets the command and that answer, in the name of the person asking."""
    result = _place(app, request)
    if has_app_context():
        audit.record_commands([audit.CommandRecord(request.node, originate_command(request), result.ok,
                                                   result.body, request.domain)], audit.acting(db.session))
        db.session.commit()
    return result


def _place(app: Flask, request) -> CommandResult:
    settings = app.config["PBX"]
    nodes = {n.name: n for n in parse_nodes(settings.freeswitch_nodes, settings.esl_password)}
    if request.node not in nodes:
        return CommandResult(False, f"-ERR unknown FreeSWITCH node {request.node!r}")
    facade, conn = registry.live_facade(request.node), None
    try:
        if facade is None:
            conn = EslConnection(nodes[request.node], timeout=settings.esl_timeout)
            conn.connect()
            facade = EslFacade(conn)
            facade.subscribe(["BACKGROUND_JOB"], [])
        job = facade.originate(request)
    except EslUnavailable as exc:
        if conn is not None:
            conn.close(polite=False)
        return CommandResult(False, f"-ERR {exc.reason}")
    if job.ready and not job.result(0).ok:  # bgapi itself refused
        if conn is not None:
            conn.close()
        return job.result(0)
    gevent.spawn(_log_outcome, job, conn).link_exception(
        lambda g: log.error("originate watcher died error=%r", g.exception))
    return CommandResult(True, f"+OK Job-UUID: {job.job_id}", job.job_id)
