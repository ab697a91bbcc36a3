"""Event headers decoded on demand, straight from a ``text/event-plain`` body.

Why not ``protocol.parse_event_plain``: a channel event carries ~130 headers (every channel
variable) and URL-decoding all of them costs ~300 µs, while a status handler reads six. Here a
header is found with ``bytes.find`` of ``"\\n<Name>: "`` inside the header block only (never
in the inner body, where a BACKGROUND_JOB's output could contain look-alike lines), and only
that value is decoded. FreeSWITCH URL-encodes every value (switch_event_serialize), so a raw
newline cannot occur inside one: a line start is always a real header.

Speed, because every event of a busy switch passes here:
- the search resumes after the previous hit (FreeSWITCH writes headers in a stable order:
  core, event, channel data, then variables), and wraps around when the header was earlier,
  so reading headers in their natural order scans the body about once;
- decoded values are memoised (subclass names, user agents, contacts, ``user%40domain``
  presence ids repeat endlessly), bounded so a flood of unique values cannot grow memory.

Lookups are exact-case (FreeSWITCH's own spelling); ``dict(headers)`` parses everything.
"""
from __future__ import annotations

import re
from typing import Iterator, Mapping

from fs_service.caches import Cache

from .protocol import parse_event_plain, url_decode

# Compiled once per header name (or set of names) the code asks for: a finite set, fixed by the
# program, so these are not data caches.
_NEEDLES: dict[str, tuple[bytes, bytes]] = {}
# Decoded values do come from the data (presence ids, user agents...): bounded and counted.
_DECODED: Cache[bytes, str] = Cache("esl.decoded_header_values", 4096)
# Below this size (sofia::register is ~1.2 KB) one regex pass over the whole header block beats
# one find per header; above it (channel events, 5-11 KB) the finds stop early and win.
_SMALL_EVENT = 2048
_PATTERNS: dict[tuple[str, ...], tuple[re.Pattern[bytes], list[bytes]]] = {}


def _needle(name: str) -> tuple[bytes, bytes]:
    first = name.encode() + b": "
    needle = _NEEDLES[name] = (b"\n" + first, first)
    return needle


def _pattern(names: tuple[str, ...]) -> tuple[re.Pattern[bytes], list[bytes]]:
    keys = [name.encode() for name in names]
    found = _PATTERNS[names] = (re.compile(rb"\n(" + b"|".join(map(re.escape, keys)) + rb"): ([^\r\n]*)"), keys)
    return found


def _decode(value: bytes) -> str:
    if b"%" not in value:
        return value.decode("utf-8", "replace")
    text = _DECODED.lookup(value)
    if text is None:
        text = _DECODED.put(value, url_decode(value.decode("utf-8", "replace")))
    return text


class EventHeaders(Mapping[str, str]):
    """Read-only mapping over one event body; plain data safe to hand across greenlets."""

    __slots__ = ("_raw", "_end", "_pos", "_full", "_name")

    def __init__(self, raw: bytes) -> None:
        self._raw = raw
        # switch_event_serialize ends a bodyless event with its blank line, and writes
        # "Content-Length: N" + blank line + N bytes otherwise. Finding the blank line costs a
        # scan of the whole event (~6 us for a channel event), so it is only done when the event
        # visibly carries a body (a body that itself ends with a blank line is not detected: a
        # header *missing* from such an event's head could then be read from its body; today
        # only BACKGROUND_JOB has a body, and its Job-UUID is always in the head).
        if raw.endswith(b"\n\n"):
            self._end = len(raw) - 1
        else:
            end = raw.find(b"\n\n")
            self._end = len(raw) if end < 0 else end
        self._pos = 0
        self._full: dict[str, str] | None = None
        self._name: str | None = None

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        value = self.fields((name,))[0]
        return default if value is None else value

    def fields(self, names: tuple[str, ...]) -> list[str | None]:
        """Several headers at once (None when absent); pass them in FreeSWITCH's order."""
        if self._end <= _SMALL_EVENT:
            return self._fields_small(names)
        raw, end, pos, out = self._raw, self._end, self._pos, []
        needles = _NEEDLES
        for name in names:
            needle, first = needles.get(name) or _needle(name)
            found = raw.find(needle, pos, end)
            if found < 0 and pos:
                found = raw.find(needle, 0, min(end, pos + len(needle)))
            if found >= 0:
                start = found + len(needle)
            elif raw.startswith(first):  # the first line has no newline before it
                start = len(first)
            else:
                out.append(None)
                continue
            pos = raw.find(b"\n", start, end)
            if pos < 0:
                pos = end
            value = raw[start:pos]
            if b"%" in value or value.endswith(b"\r"):
                out.append(_decode(value.rstrip(b"\r")))
            else:
                out.append(value.decode("utf-8", "replace"))
        self._pos = pos
        return out

    def has_prefix(self, prefix: str) -> bool:
        """True when a header name of the head starts with ``prefix`` (one ``bytes.find``)."""
        needle = prefix.encode()
        return self._raw.find(b"\n" + needle, 0, self._end) >= 0 or self._raw.startswith(needle)

    def _fields_small(self, names: tuple[str, ...]) -> list[str | None]:
        pattern, keys = _PATTERNS.get(names) or _pattern(names)
        raw = self._raw
        found = dict(reversed(pattern.findall(raw, 0, self._end)))  # first occurrence wins
        values = [found.get(key) for key in keys]
        if None in values:  # absent -- or on the first line, which has no newline before it
            for i, name in enumerate(names):
                first = (_NEEDLES.get(name) or _needle(name))[1]
                if values[i] is None and raw.startswith(first):
                    values[i] = raw[len(first):raw.find(b"\n")].rstrip(b"\r")
        return [v if v is None else _decode(v) if b"%" in v else v.decode("utf-8", "replace")
                for v in values]

    @property
    def name(self) -> str:
        """Event-Name, or the Event-Subclass of a CUSTOM event: the key handler tables use."""
        if self._name is None:
            raw = self._raw
            stop = raw.find(b"\n")
            line = raw[:stop if stop >= 0 else len(raw)].rstrip(b"\r")
            if line.startswith(b"Event-Name: ") and line != b"Event-Name: CUSTOM":
                self._name = _decode(line[12:])  # the usual first line
            elif line.startswith(b"Event-Subclass: ") and raw.startswith(b"Event-Name: CUSTOM\n", stop + 1):
                self._name = _decode(line[16:])  # how CUSTOM events start
            else:
                name = self.get("Event-Name", "")
                self._name = self.get("Event-Subclass", name) if name == "CUSTOM" else name
        return self._name

    @property
    def body(self) -> str:
        """The inner body (a BACKGROUND_JOB's command output), '' when there is none."""
        return parse_event_plain(self._raw).body

    def _headers(self) -> dict[str, str]:
        if self._full is None:
            self._full = parse_event_plain(self._raw).headers
        return self._full

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._headers())

    def __len__(self) -> int:
        return len(self._headers())

    def __repr__(self) -> str:
        return f"EventHeaders(name={self.name!r}, bytes={len(self._raw)})"
