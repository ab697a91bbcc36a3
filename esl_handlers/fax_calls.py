"""The fax worker's door to FreeSWITCH: which node places a fax, and placing one try.

Connections: when this process runs the node's listener (embedded ``pbx run``) its live
facade is used; otherwise (``pbx fax-worker``) the worker keeps one connection per node,
subscribed to BACKGROUND_JOB only — the fax *events* are the listener's job (``pbx esl``), and
the database is where both meet. Nodes are used in turn, skipping those that cannot be reached.

One try = ``bgapi originate … &txfax(…)`` (esl_handlers/originate.py builds it). The
BACKGROUND_JOB says how the call went: ``+OK <uuid>`` (answered: the fax runs, events follow),
``-ERR <CAUSE>`` (busy, no answer…: an outcome for the ladder), or nothing we can trust
(timeout, connection lost) — then the job stays ``sending`` and the watchdog decides.
"""
from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass

from fs_service.fax import ladder
from fs_service.fax.queue import Claimed
from fs_service.settings import NodeConfig
from fs_service.switch_commands import CommandResult

from . import registry
from .connection import EslConnection
from .errors import EslUnavailable
from .facade import EslCommandError, EslFacade
from .originate import fax_originate

log = logging.getLogger("pbx.fax.worker")
RING_SECONDS = 60  # the default of PBX_FAX_RING_SECONDS
ANSWERED, REFUSED, UNKNOWN = "answered", "refused", "unknown"


@dataclass(frozen=True)
class FaxCall:
    """One try, as esl_handlers.originate.fax_originate reads it."""
    job_id: int
    attempt: int
    gateway: str
    destination: str
    tiff_path: str
    ident: str
    header: str
    t38: bool
    ecm: bool
    v17: bool
    ring_seconds: int = RING_SECONDS


def call_for(claimed: Claimed, fs_tiff_path: str, ring_seconds: int = RING_SECONDS) -> FaxCall:
    mode = ladder.mode(claimed.rung)
    return FaxCall(claimed.job_id, claimed.attempt, claimed.gateway or "", claimed.destination, fs_tiff_path,
                   claimed.sender_e164 or "0", claimed.company, mode.t38, mode.ecm, mode.v17, ring_seconds)


class NodeLinks:
    def __init__(self, nodes: list[NodeConfig], timeout: float) -> None:
        self.nodes, self.timeout = nodes, timeout
        self._own: dict[str, EslFacade] = {}
        self._turn = itertools.cycle(range(len(nodes))) if nodes else None

    def facade(self, node: NodeConfig) -> EslFacade | None:
        """A connected facade for ``node``, or None when it cannot be reached now."""
        live = registry.live_facade(node.name)
        if live is not None:
            return live
        own = self._own.get(node.name)
        if own is not None and own.conn.alive:
            return own
        conn = EslConnection(node, timeout=self.timeout)
        try:
            conn.connect()
            own = EslFacade(conn)
            own.subscribe(["BACKGROUND_JOB"], [])
        except (EslUnavailable, EslCommandError) as exc:
            conn.close(polite=False)
            log.warning("fax worker cannot reach node=%s reason=%s", node.name, exc)
            return None
        self._own[node.name] = own
        return own

    def pick(self) -> tuple[str, EslFacade] | None:
        """The next reachable node in turn."""
        for _ in range(len(self.nodes)):
            node = self.nodes[next(self._turn)]
            facade = self.facade(node)
            if facade is not None:
                return node.name, facade
        return None

    def by_name(self, name: str | None) -> EslFacade | None:
        node = next((n for n in self.nodes if n.name == name), None)
        return self.facade(node) if node is not None else None

    def close(self) -> None:
        for facade in self._own.values():
            facade.conn.close(polite=False)
        self._own.clear()


def place(facade: EslFacade, call: FaxCall) -> tuple[str, CommandResult]:
    """Originate one try and wait for FreeSWITCH's verdict (at most ring time + margins)."""
    try:
        job = facade.bgapi(fax_originate(call), timeout=call.ring_seconds + facade.timeout + 15)
        result = job.result()
    except EslUnavailable as exc:
        return UNKNOWN, CommandResult(False, f"-ERR {exc.reason}")
    if result.ok and result.body.startswith("+OK"):
        return ANSWERED, result
    if result.body.startswith("-ERR no BACKGROUND_JOB") or not facade.conn.alive:
        return UNKNOWN, result
    return REFUSED, result


def channel_rows(facade: EslFacade) -> list[dict] | None:
    """``show channels`` rows, None when the node cannot answer (the watchdog then waits)."""
    try:
        return facade.show_channels(timeout=max(10.0, facade.timeout))
    except (EslUnavailable, EslCommandError) as exc:
        log.warning("fax watchdog cannot list channels reason=%s", exc)
        return None
