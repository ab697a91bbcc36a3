"""Event headers decoded on demand, straight from a ``text/event-plain`` body.

Why not ``protocol.parse_event_plain``: a channel event carries ~200 headers (every channel
variable) and URL-decoding all of them costs ~300 µs, while a status handler reads five. Here a
header is found with ``bytes.find`` of ``"\\n<Name>: "`` inside the header block only (never
in the inner body, where a BACKGROUND_JOB's output could contain look-alike lines), and only
that value is decoded. FreeSWITCH URL-encodes every value (switch_event_serialize), so a raw
newline cannot occur inside one: a line start is always a real header.

Lookups are exact-case (FreeSWITCH's own spelling); ``dict(headers)`` parses everything.
"""
from __future__ import annotations

from typing import Iterator, Mapping

from .protocol import parse_event_plain, url_decode

_CUSTOM = "CUSTOM"


class EventHeaders(Mapping[str, str]):
    """Read-only mapping over one event body; plain data safe to hand across greenlets."""

    __slots__ = ("_raw", "_end", "_cache", "_full", "_name")

    def __init__(self, raw: bytes) -> None:
        self._raw = raw
        end = raw.find(b"\n\n")
        self._end = len(raw) if end < 0 else end
        self._cache: dict[str, str | None] = {}
        self._full: dict[str, str] | None = None
        self._name: str | None = None

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        cache = self._cache
        if name in cache:
            value = cache[name]
        else:
            value = cache[name] = self._find(name)
        return default if value is None else value

    def _find(self, name: str) -> str | None:
        raw, key = self._raw, name.encode() + b": "
        if raw.startswith(key):
            start = len(key)
        else:
            found = raw.find(b"\n" + key, 0, self._end)
            if found < 0:
                return None
            start = found + 1 + len(key)
        stop = raw.find(b"\n", start, self._end)
        value = raw[start:self._end if stop < 0 else stop].decode("utf-8", "replace").rstrip("\r")
        return url_decode(value) if "%" in value else value

    @property
    def name(self) -> str:
        """Event-Name, or the Event-Subclass of a CUSTOM event: the key handler tables use."""
        if self._name is None:
            name = self.get("Event-Name", "")
            self._name = self.get("Event-Subclass", name) if name == _CUSTOM else name
        return self._name

    @property
    def body(self) -> str:
        """The inner body (a BACKGROUND_JOB's command output), '' when there is none."""
        return self._all_parsed()[1]

    def _all_parsed(self) -> tuple[dict[str, str], str]:
        event = parse_event_plain(self._raw)
        self._full = event.headers
        return event.headers, event.body

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        if self._full is None:
            self._all_parsed()
        return iter(self._full or {})

    def __len__(self) -> int:
        if self._full is None:
            self._all_parsed()
        return len(self._full or {})

    def __repr__(self) -> str:
        return f"EventHeaders(name={self.name!r}, bytes={len(self._raw)})"

