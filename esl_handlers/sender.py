"""Send a batch of API commands to one FreeSWITCH over a short inbound ESL connection.

Used to flush the outbox after a commit (cache invalidation, check_sync). A batch opens its
own connection, so a slow `api` never blocks the long-lived event listener (FreeSWITCH runs
`api` synchronously in the listener thread: NOTES §6).

greenswitch 0.0.19 never times out on its own (NOTES §8): the wait for auth/request and every
send() can block forever, and a send pending when the peer disconnects never returns. So every
wait here is bounded, a dead reader greenlet fails the batch at once, and the connection is
torn down by hand (its stop() sends `exit` without a timeout and then polls for up to 1 s).
"""
from __future__ import annotations

import logging
import time

import gevent
from greenswitch.esl import InboundESL, NotConnectedError

from esl_handlers.commands import CommandResult, parse_api_response
from esl_handlers.nodes import NodeConfig

logger = logging.getLogger("pbx.esl")

# How long a reply that was read just before the peer closed may take to reach its sender.
_GRACE_SECONDS = 0.2


class EslUnavailable(Exception):
    """The node could not take the batch; the caller should keep the commands and retry.

    `completed` holds the results of the commands answered before the failure, in order.
    """

    def __init__(self, node_name: str, reason: str, completed: list[CommandResult] | None = None):
        super().__init__(f"FreeSWITCH node {node_name} unavailable: {reason}")
        self.node_name = node_name
        self.reason = reason
        self.completed = list(completed or [])


def _describe(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _connect(esl: InboundESL, node: NodeConfig, timeout: float) -> None:
    """TCP connect, wait for auth/request, authenticate -- all within one deadline."""
    timer = gevent.Timeout(timeout)
    timer.start()
    try:
        esl.connect()
    except gevent.Timeout as exc:
        if exc is not timer:
            raise
        raise EslUnavailable(node.name, f"no ESL greeting/auth reply within {timeout:g}s") from None
    except ValueError:  # greenswitch's authenticate(): Reply-Text was not "+OK accepted"
        raise EslUnavailable(node.name, "authentication refused") from None
    except (NotConnectedError, OSError) as exc:
        raise EslUnavailable(node.name, f"cannot connect: {_describe(exc)}") from None
    finally:
        timer.close()


def _request(esl: InboundESL, line: str, node: NodeConfig, timeout: float):
    """Send one command; return greenswitch's reply event, or fail on timeout or disconnect."""
    worker = gevent.spawn(esl.send, line)
    reader = esl._receive_events_greenlet  # dies when the peer closes the socket
    gevent.wait([worker, reader], timeout=timeout, count=1)
    if not worker.ready() and reader.ready():
        worker.join(timeout=_GRACE_SECONDS)
    if worker.ready():
        try:
            return worker.get()
        except (NotConnectedError, OSError) as exc:
            raise EslUnavailable(node.name, f"send failed: {_describe(exc)}") from None
    worker.kill(block=False)
    reason = "connection closed by FreeSWITCH" if reader.ready() else f"no reply within {timeout:g}s"
    raise EslUnavailable(node.name, reason)


def _teardown(esl: InboundESL, node: NodeConfig, *, polite: bool, timeout: float) -> None:
    """Close the connection; say `exit` only when no reply is outstanding (FIFO intact)."""
    reader = getattr(esl, "_receive_events_greenlet", None)
    if polite and reader is not None and not reader.dead and esl.connected:
        try:
            _request(esl, "exit", node, timeout)
        except EslUnavailable:
            pass
    esl._run = False
    greenlets = [g for g in (reader, getattr(esl, "_process_events_greenlet", None)) if g]
    gevent.killall(greenlets, block=True, timeout=1.0)
    for closable in (getattr(esl, "sock_file", None), getattr(esl, "sock", None)):
        try:
            if closable is not None:
                closable.close()
        except OSError:
            pass


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
    esl = InboundESL(node.host, node.port, node.password, timeout=connect_timeout)
    clean = False
    outcome = "sent"
    try:
        _connect(esl, node, connect_timeout)
        for cmd in commands:
            reply = _request(esl, f"api {cmd}", node, command_timeout)
            results.append(parse_api_response(getattr(reply, "data", "") or ""))
        clean = True
    except EslUnavailable as exc:
        outcome = exc.reason
        exc.completed = list(results)
        raise
    finally:
        _teardown(esl, node, polite=clean, timeout=min(command_timeout, 1.0))
        _log_batch(node, commands, results, outcome, started)
    return results
