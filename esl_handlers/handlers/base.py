"""The shape of a handler module: which events it maps, and how its changes are applied."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

Headers = Mapping[str, str]
Handler = Callable[[Headers], Any]  # pure: event headers -> a core change, or None to ignore


@dataclass(frozen=True)
class HandlerModule:
    """``table`` maps an Event-Name (or a CUSTOM Event-Subclass) to handlers; each handler
    returns plain data that ``apply(node, changes)`` (a core function, run in a lane with an
    app context) writes in batches, in arrival order."""

    name: str
    table: Mapping[str, tuple[Handler, ...]]
    apply: Callable[[str, list], Any]
