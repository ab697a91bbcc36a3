"""Delivers the outbox to every FreeSWITCH node after commit, without holding up the request.

Each batch runs in its own greenlet. When this process runs the node's listener (embedded
``pbx run``, or ``pbx esl``), the batch goes over the listener's live connection through the
facade: no new TCP connection and auth per save. Otherwise (web-only workers) it opens one
short connection per node (sender.py). A node that cannot be reached gets the intents stored
(fs_service.pending) and a retry loop delivers them later, in order, so "saved = live" holds
once the node is back.
"""
from __future__ import annotations

import logging

import gevent
from flask import Flask, has_app_context

from fs_service import audit, outbox, pending
from fs_service.db import db
from fs_service.settings import NodeConfig, parse_nodes
from fs_service.switch_commands import CommandResult

from . import registry
from .commands import command_for
from .sender import EslUnavailable, send_api_batch

log = logging.getLogger("pbx.esl.dispatch")


def _log_failure(greenlet: gevent.Greenlet) -> None:
    log.error("fs dispatch greenlet died error=%r", greenlet.exception)


def _commands(intents: list[outbox.Intent]) -> tuple[list[int], list[str]]:
    """Positions and commands of the intents that translate; a malformed one is logged and
    dropped (retrying cannot fix it)."""
    kept, commands = [], []
    for position, intent in enumerate(intents):
        try:
            commands.append(command_for(intent))
            kept.append(position)
        except ValueError as exc:
            log.error("fs intent dropped kind=%s reason=%s", getattr(intent, "kind", "?"), exc)
    return kept, commands


def _send(node: NodeConfig, commands: list[str], timeout: float) -> list[CommandResult]:
    facade = registry.live_facade(node.name)
    if facade is not None and commands:
        return facade.run_batch(commands)
    return send_api_batch(node, commands, command_timeout=timeout)


def _audit(app: Flask, node: NodeConfig, intents: list[outbox.Intent], kept: list[int],
           commands: list[str], results: list[CommandResult], actor: audit.Actor | None) -> None:
    """The audit log's line for each command FreeSWITCH answered (issue 14)."""
    records = [audit.CommandRecord(node.name, command, result.ok, result.body,
                                   getattr(intents[position], "domain", None))
               for position, command, result in zip(kept, commands, results)]
    if records:
        with app.app_context():
            audit.record_commands(records, actor)
            db.session.commit()


def deliver(app: Flask, node: NodeConfig, intents: list[outbox.Intent],
            pending_ids: list[int] | None = None, actor: audit.Actor | None = None) -> bool:
    """Send ``intents`` to one node; store what was not answered when the node is down.

    ``pending_ids`` (same order as ``intents``) marks a redelivery of stored rows; ``actor`` is
    the person whose change the intents follow (None: a redelivery, or a machine's change).
    """
    settings = app.config["PBX"]
    kept, commands = _commands(intents)
    ids = [pending_ids[i] for i in kept] if pending_ids is not None else None
    if ids is not None and len(kept) < len(intents):
        with app.app_context():
            pending.delivered([row for i, row in enumerate(pending_ids) if i not in kept])
    try:
        results = _send(node, commands, settings.esl_timeout)
    except EslUnavailable as exc:
        done = len(exc.completed)  # the node answered these before failing: do not resend them
        _audit(app, node, intents, kept, commands, exc.completed, actor)
        with app.app_context():
            if ids is None:
                pending.store(node.name, [intents[i] for i in kept[done:]], str(exc))
            else:
                pending.delivered(ids[:done])
                pending.failed_again(ids[done:], str(exc))
        log.warning("fs node unreachable node=%s owed=%d reason=%s", node.name, len(kept) - done, exc)
        return False
    _audit(app, node, intents, kept, commands, results, actor)
    for position, result in zip(kept, results):
        if not result.ok:  # e.g. nothing cached: not an error worth retrying
            log.info("fs command refused node=%s kind=%s reply=%s", node.name, intents[position].kind,
                     result.body[:80])
    if ids:
        with app.app_context():
            pending.delivered(ids)
    return True


def nodes_of(app: Flask) -> list[NodeConfig]:
    settings = app.config["PBX"]
    return parse_nodes(settings.freeswitch_nodes, settings.esl_password)


def install_dispatcher(app: Flask) -> None:
    nodes = nodes_of(app)
    if not nodes:
        outbox.set_dispatcher(None)
        return

    def dispatch(intents: list[outbox.Intent]) -> None:
        # Called right after the commit, in the committing app context (if any): whose change it was.
        actor = audit.acting(db.session) if has_app_context() else None
        for node in nodes:
            gevent.spawn(deliver, app, node, list(intents), None, actor).link_exception(_log_failure)

    outbox.set_dispatcher(dispatch)


def retry_owed(app: Flask, only: str | None = None) -> None:
    """One pass over every node's owed commands (or one node's: ``pbx esl --node``)."""
    for node in nodes_of(app):
        if only is not None and node.name != only:
            continue
        with app.app_context():
            owed = pending.owed(node.name)
        if owed:
            deliver(app, node, [intent for _, intent in owed], [row_id for row_id, _ in owed])


def run_retry_loop(app: Flask, only: str | None = None) -> None:
    interval = app.config["PBX"].esl_retry_seconds
    while True:
        try:
            retry_owed(app, only)
        except Exception:
            log.exception("fs retry pass failed")
        gevent.sleep(interval)
