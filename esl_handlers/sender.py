"""Send a batch of API commands to one FreeSWITCH over a short inbound ESL connection.

Used to flush the outbox after a commit (cache invalidation, check_sync) when no listener of
this process holds a live connection to the node -- e.g. in a web-only worker (dispatcher.py
prefers the live connection when there is one). A batch opens its own connection, so a slow
`api` never blocks anything else.

The connection (connection.py) bounds every wait: TCP connect + greeting + auth within
``connect_timeout``, each reply within ``command_timeout``; a connection dropped mid-batch
fails the pending command at once. `exit` is said only after a clean batch (FIFO intact).
"""
from __future__ import annotations

import logging
import time

from esl_handlers.connection import EslConnection
from esl_handlers.errors import EslUnavailable
from esl_handlers.facade import EslFacade
from fs_service.settings import NodeConfig
from fs_service.switch_commands import CommandResult

__all__ = ["EslUnavailable", "send_api_batch"]

logger = logging.getLogger("pbx.esl")


def _check_commands(commands: list[str]) -> None:
    for cmd in commands:
        if not isinstance(cmd, str) or not cmd.strip() or "\n" in cmd or "\r" in cmd:
            raise ValueError(f"not a single-line API command: {cmd!r}")


def _log_batch(node: NodeConfig, commands: list[str], results: list[CommandResult],
               outcome: str, started: float) -> None:
    elapsed_ms = int((time.monotonic() - started) * 1000)
    failed = sum(1 for r in results if not r.ok)
    names = ",".join(sorted({c.split(" ", 1)[0] for c in commands}))
    fields = {"esl_node": node.name, "esl_host": node.host, "esl_port": node.port,
              "esl_commands": len(commands), "esl_answered": len(results),
              "esl_failed": failed, "esl_outcome": outcome, "esl_elapsed_ms": elapsed_ms}
    level = logging.INFO if outcome == "sent" else logging.WARNING
    logger.log(level, "esl batch node=%s host=%s:%s commands=%d answered=%d failed=%d "
               "apis=%s outcome=%r elapsed_ms=%d", node.name, node.host, node.port,
               len(commands), len(results), failed, names, outcome, elapsed_ms, extra=fields)


def send_api_batch(node: NodeConfig, commands: list[str], *, connect_timeout: float = 2.0,
                   command_timeout: float = 3.0) -> list[CommandResult]:
    """Run each command as `api <cmd>` over one connection; return one result per command.

    A -ERR reply is a result (ok=False), not an exception: FreeSWITCH is up and answered.
    Raises EslUnavailable when the node cannot be reached, refuses the password, stalls or
    drops the connection; the caller keeps the commands for a retry. Never logs the password.
    """
    _check_commands(commands)
    if not commands:
        return []
    started = time.monotonic()
    results: list[CommandResult] = []
    conn = EslConnection(node, timeout=connect_timeout)
    clean, outcome = False, "sent"
    try:
        conn.connect()
        results = EslFacade(conn, timeout=command_timeout).run_batch(commands)
        clean = True
    except EslUnavailable as exc:
        outcome, results = exc.reason, exc.completed
        raise
    finally:
        conn.close(polite=clean, timeout=min(command_timeout, 1.0))
        _log_batch(node, commands, results, outcome, started)
    return results
