"""The listeners running in this process, so other parts can reuse their live connection.

The outbox dispatcher and click-to-call send through a node's listener when this process runs
one (embedded ``pbx run`` or ``pbx esl``); a web-only process has none and opens short
connections instead (sender.py, calls.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .facade import EslFacade
    from .listener import NodeListener

_listeners: dict[str, "NodeListener"] = {}


def add(listener: "NodeListener") -> None:
    _listeners[listener.node.name] = listener


def remove(listener: "NodeListener") -> None:
    if _listeners.get(listener.node.name) is listener:
        del _listeners[listener.node.name]


def live_facade(node_name: str) -> "EslFacade | None":
    """The facade of the node's connected listener in this process, if any."""
    listener = _listeners.get(node_name)
    facade = listener.facade if listener is not None else None
    return facade if facade is not None and facade.conn.alive else None
