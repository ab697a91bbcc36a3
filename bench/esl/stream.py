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

RECORDINGS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "esl"
_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-([0-9a-f]{12})")


def wanted_names() -> set[str]:
    names, subclasses = subscription()
    return (set(names) | set(subclasses)) - {"BACKGROUND_JOB"}


def template(hangups_apart: bool = False) -> tuple:
    """(one copy of the stream, its number of events, events per name); with
    ``hangups_apart``, (copy without its hangups, the hangups, events, counts)."""
    wanted, frames, hangups, counts = wanted_names(), [], [], {}
    for path in sorted(RECORDINGS.glob("*/events-plain.esl")):
        for frame in EslParser().feed(path.read_bytes()):
            if frame.content_type != "text/event-plain":
                continue
            name = EventHeaders(frame.body).name
            if name in wanted:
                encoded = encode_frame({"Content-Type": "text/event-plain"}, frame.body)
                (hangups if hangups_apart and name == "CHANNEL_HANGUP_COMPLETE" else frames).append(encoded)
                counts[name] = counts.get(name, 0) + 1
    total = len(frames) + len(hangups)
    if hangups_apart:
        return b"".join(frames), b"".join(hangups), total, counts
    return b"".join(frames), total, counts


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


def build(copies: int, hangup_delay: int = 0) -> bytes:
    """The whole stream. With ``hangup_delay`` D, each copy's hangups come after copy i + D:
    calls then outlive a batch (about 80 x D events), as long calls do on a real switch, and
    no create/hangup pair can cancel out inside one batch."""
    if not hangup_delay:
        template_copies = Copies(template()[0])
        return b"".join(template_copies.copy(i) for i in range(copies))
    body, hangups = (Copies(part) for part in template(hangups_apart=True)[:2])
    parts = []
    for index in range(copies + hangup_delay):
        if index < copies:
            parts.append(body.copy(index))
        if index >= hangup_delay:
            parts.append(hangups.copy(index - hangup_delay))
    return b"".join(parts)
