"""From one connection's events to ordered lanes: the handler tables at work.

The router is registered on the connection for every event key of the tables, so the reader
calls it inline, in wire order. It runs each module's pure handler (headers -> change) and
queues the change on the module's lane for this node; the database is only touched in the
lane (lanes.py), in batches, in an app context. A handler that raises is logged with the event
name and skipped: the other handlers and events go on.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from functools import partial

from .handlers import MODULES, HandlerModule
from .lanes import Lanes

log = logging.getLogger("pbx.esl.router")


class EventRouter:
    def __init__(self, node: str, lanes: Lanes, modules: tuple[HandlerModule, ...] = MODULES) -> None:
        self.node = node
        self.lanes = lanes
        self.received = 0
        self._modules = {m.name: ((node, m.name), partial(m.apply, node)) for m in modules}
        self._routes: dict[str, list] = defaultdict(list)
        for module in modules:
            lane, apply = self._modules[module.name]
            for key, handlers in module.table.items():
                self._routes[key] += [(handler, lane, apply) for handler in handlers]

    @property
    def keys(self) -> list[str]:
        return sorted(self._routes)

    def __call__(self, event) -> None:
        self.received += 1
        for handler, lane, apply in self._routes.get(event.name, ()):
            try:
                change = handler(event)
            except Exception:
                log.exception("esl handler failed node=%s event=%s handler=%s", self.node, event.name,
                              getattr(handler, "__qualname__", handler))
                continue
            if change is not None:
                self.lanes.put(lane, apply, change)

    def put(self, module: str, change: object) -> None:
        """Queue a change built outside an event (a resync snapshot) on a module's lane."""
        lane, apply = self._modules[module]
        self.lanes.put(lane, apply, change)
