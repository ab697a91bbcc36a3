"""Handler tables, one module per feature; the listener subscribes to exactly their events.

Adding a feature's events = a new module here with its table and its core ``apply``: the
``event plain`` subscription is derived from the tables, so it can never miss one.
"""
from __future__ import annotations

from .base import Handler, HandlerModule
from .conferences import MODULE as CONFERENCES
from .fax import MODULE as FAX
from .parking import MODULE as PARKING
from .status import MODULE as STATUS
from .voicemail import MODULE as VOICEMAIL

MODULES: tuple[HandlerModule, ...] = (STATUS, PARKING, VOICEMAIL, FAX)
MODULES += (CONFERENCES,)
# The facade itself needs BACKGROUND_JOB (bgapi results), which no module table names.
ALWAYS = ("BACKGROUND_JOB",)

__all__ = ["Handler", "HandlerModule", "MODULES", "subscription"]


def subscription(modules: tuple[HandlerModule, ...] = MODULES) -> tuple[list[str], list[str]]:
    """(plain event names, CUSTOM subclasses) to put in ``event plain``."""
    keys = {key for module in modules for key in module.table}
    names = sorted({*ALWAYS, *(k for k in keys if "::" not in k)})
    subclasses = sorted(k for k in keys if "::" in k)
    return names, subclasses
