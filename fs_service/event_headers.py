"""Reading event headers the cheap way, whatever mapping carries them.

Core rules take any ``Mapping[str, str]`` (a dict in tests); in production it is the
listener's lazily decoded headers (esl_handlers/events.py), which can do two things a dict
cannot do cheaply: read several headers in one pass, and tell whether *any* header name
starts with a prefix without decoding a thing. Both helpers fall back to plain mapping calls.
"""
from __future__ import annotations

from typing import Mapping

Headers = Mapping[str, str]


def fields(event: Headers, names: tuple[str, ...]) -> list[str | None]:
    """Several headers in one pass when the mapping offers it (names must then be in
    FreeSWITCH's order), one by one for a plain dict."""
    getter = getattr(event, "fields", None)
    return getter(names) if getter is not None else [event.get(name) for name in names]


def has_prefix(event: Headers, prefix: str) -> bool:
    """True when some header's name starts with ``prefix``: one scan of the event body, so a
    handler can skip the events that are not its own (every hang-up is checked for a fax)."""
    finder = getattr(event, "has_prefix", None)
    return finder(prefix) if finder is not None else any(name.startswith(prefix) for name in event)
