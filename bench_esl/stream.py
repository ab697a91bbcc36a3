"""The benchmark's event stream, cut from the FreeSWITCH 1.11 recordings.

Only the events the listener subscribes to are kept (FreeSWITCH would send nothing else), and
BACKGROUND_JOB is left out (it resolves commands, it is not state). Each copy of the template
gets its own channel uuids and SIP call-ids -- the last 8 hex digits of every uuid-shaped
value are replaced by the copy number -- so copies never coalesce with each other: every copy
is new phones registering and new calls, as on a busy switch. Lengths are unchanged, so the
recorded Content-Length headers stay right.
"""
from __future__ import annotations

import re
from pathlib import Path

from esl_handlers.events import EventHeaders
from esl_handlers.handlers import subscription
from esl_handlers.protocol import EslParser, encode_frame

RECORDINGS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "esl"
_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-([0-9a-f]{12})")


def wanted_names() -> set[str]:
    names, subclasses = subscription()
    return (set(names) | set(subclasses)) - {"BACKGROUND_JOB"}


def template() -> tuple[bytes, int, dict[str, int]]:
    """(one copy of the stream, its number of events, events per name)."""
    wanted, frames, counts = wanted_names(), [], {}
    for path in sorted(RECORDINGS.glob("*/events-plain.esl")):
        for frame in EslParser().feed(path.read_bytes()):
            if frame.content_type != "text/event-plain":
                continue
            name = EventHeaders(frame.body).name
            if name in wanted:
                frames.append(encode_frame({"Content-Type": "text/event-plain"}, frame.body))
                counts[name] = counts.get(name, 0) + 1
    return b"".join(frames), len(frames), counts


class Copies:
    """Produces copy ``i`` of the template with its own uuids."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.spans = [m.span(1) for m in _UUID.finditer(data)]

    def copy(self, index: int) -> bytes:
        out = bytearray(self.data)
        tag = f"{index:012x}".encode()[-8:]
        for start, end in self.spans:
            out[end - 8:end] = tag
        return bytes(out)
