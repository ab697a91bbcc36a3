"""ESL wire format: an incremental frame parser and the encoders the fake server needs.

Pure code, no sockets, so it can be fed recorded streams split at any byte boundary.
Framing (mod_event_socket.c): header lines ``Name: value``, a blank line, then exactly
``Content-Length`` *bytes* of body. A ``text/event-plain`` body is itself a header block
(values URL-encoded by ``switch_event_serialize``) optionally followed by its own
``Content-Length: N``, a blank line and N bytes -- where ``BACKGROUND_JOB`` carries the
command output (NOTES §9.6).

Why not greenswitch's parser: it URL-decodes the whole block *before* splitting lines, so a
value containing ``%0AFake: x`` becomes a forged header, and it drops event bodies (NOTES §8).
Here every value is decoded on its own, after the split.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from urllib.parse import unquote

MAX_HEAD_BYTES = 1 << 20  # FreeSWITCH heads are a few KB; a runaway one is a broken peer.
MAX_BODY_BYTES = 64 << 20

# switch_url_encode: control bytes, non-ASCII bytes and these printable characters.
_URL_UNSAFE = frozenset(b'\r\n "#%&+:;<=>?@[\\]^`{|}')


class EslProtocolError(ValueError):
    """The peer sent something that is not ESL framing (bad Content-Length, huge head)."""


def url_decode(value: str) -> str:
    """Decode %XX like switch_url_decode ('+' stays '+'); bad UTF-8 becomes U+FFFD."""
    return unquote(value, encoding="utf-8", errors="replace")


def url_encode(value: str) -> str:
    """Encode a header value the way FreeSWITCH does (switch_url_encode), for exact fakes."""
    return "".join(
        f"%{b:02X}" if b < 0x20 or b > 0x7E or b in _URL_UNSAFE else chr(b)
        for b in value.encode("utf-8")
    )


def _parse_header_lines(lines: list[str], *, decode: bool) -> dict[str, str]:
    """Split each line on its first ':' (as read_packet does); lines without one are skipped."""
    headers: dict[str, str] = {}
    for line in lines:
        name, sep, value = line.rstrip("\r").partition(":")
        if not sep or not name:
            continue
        value = value.lstrip(" ")
        headers[name] = url_decode(value) if decode else value
    return headers


def _content_length(headers: dict[str, str]) -> int:
    raw = next((v for k, v in headers.items() if k.lower() == "content-length"), "0")
    try:
        length = int(raw.strip() or "0")
    except ValueError:
        raise EslProtocolError(f"bad Content-Length {raw!r}") from None
    if length < 0 or length > MAX_BODY_BYTES:
        raise EslProtocolError(f"Content-Length out of range: {length}")
    return length


@dataclass(frozen=True)
class Event:
    """One FreeSWITCH event: decoded headers and its inner body as text."""

    headers: dict[str, str]
    body: str = ""

    @property
    def name(self) -> str:
        """Event-Name, or the subclass for CUSTOM events (how handlers are keyed)."""
        name = self.headers.get("Event-Name", "")
        return self.headers.get("Event-Subclass", name) if name == "CUSTOM" else name

    def get(self, name: str, default: str | None = None) -> str | None:
        """Header value; exact name first, then case-insensitive like switch_event_get_header."""
        if name in self.headers:
            return self.headers[name]
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), default)


def parse_event_plain(data: bytes) -> Event:
    """Parse a text/event-plain body: header lines, blank line, optional inner body."""
    head, sep, rest = data.partition(b"\n\n")
    text = head.decode("utf-8", errors="replace")
    headers = _parse_header_lines(text.split("\n"), decode=True)
    body = b""
    if sep and any(k.lower() == "content-length" for k in headers):
        body = rest[: _content_length(headers)]
    return Event(headers, body.decode("utf-8", errors="replace"))


@dataclass(frozen=True)
class Frame:
    """One ESL message: outer headers (values URL-decoded, as libesl does) and raw body bytes."""

    headers: dict[str, str]
    body: bytes = b""

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    @property
    def reply_text(self) -> str:
        """Reply-Text of a command/reply, without the trailing newline of `connect` replies."""
        return self.headers.get("Reply-Text", "").strip()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def event(self) -> Event:
        """The event carried by this frame (plain or json body, or an outbound connect reply)."""
        if self.content_type == "text/event-plain":
            return parse_event_plain(self.body)
        if self.content_type == "text/event-json":
            data = json.loads(self.body)
            body = str(data.pop("_body", ""))
            return Event({k: str(v) for k, v in data.items()}, body)
        if "Event-Name" in self.headers:  # outbound `connect` reply: channel data in the head
            return Event(dict(self.headers), self.text)
        raise ValueError(f"frame of type {self.content_type!r} carries no event")


@dataclass(frozen=True)
class Command:
    """A client command as the server reads it: first line, raw headers, body."""

    line: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def text(self) -> str:
        """The command as one string: the line, plus 'Name: value' lines for sendmsg & co."""
        return "\n".join([self.line, *(f"{k}: {v}" for k, v in self.headers.items())])


T = TypeVar("T")


class _BlockParser(Generic[T]):
    """Incremental splitter of head + Content-Length body blocks, shared by both directions."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._scan_from = 0
        self._pending: tuple[list[str], int] | None = None

    @property
    def buffered(self) -> int:
        """Bytes received but not yet part of a complete frame."""
        return len(self._buf)

    def feed(self, data: bytes) -> list[T]:
        """Add bytes; return every message they complete, in order."""
        self._buf += data
        out: list[T] = []
        while (item := self._next()) is not None:
            out.append(item)
        return out

    def _next(self) -> T | None:
        if self._pending is None:
            lines = self._take_head()
            if lines is None:
                return None
            self._pending = (lines, _content_length(self._length_headers(lines)))
        lines, length = self._pending
        if len(self._buf) < length:
            return None
        body = bytes(self._buf[:length])
        del self._buf[:length]
        self._pending = None
        return self._build(lines, body)

    def _take_head(self) -> list[str] | None:
        # Blank lines between messages are skipped, as read_packet does ("bah").
        skip = 0
        while skip < len(self._buf) and self._buf[skip] in b"\r\n":
            skip += 1
        if skip:
            del self._buf[:skip]
            self._scan_from = 0
        end = self._buf.find(b"\n\n", self._scan_from)
        if end < 0:
            if len(self._buf) > MAX_HEAD_BYTES:
                raise EslProtocolError("header block too large")
            self._scan_from = max(0, len(self._buf) - 1)
            return None
        head = bytes(self._buf[:end]).decode("utf-8", errors="replace")
        del self._buf[: end + 2]
        self._scan_from = 0
        return head.split("\n")

    def _length_headers(self, lines: list[str]) -> dict[str, str]:
        return _parse_header_lines(lines, decode=False)

    def _build(self, lines: list[str], body: bytes) -> T:
        raise NotImplementedError


class EslParser(_BlockParser[Frame]):
    """Client side: feed bytes as they arrive from FreeSWITCH, get complete frames back."""

    def _build(self, lines: list[str], body: bytes) -> Frame:
        return Frame(_parse_header_lines(lines, decode=True), body)


class CommandParser(_BlockParser[Command]):
    """Server side of the socket: the first line of each block is the command (read_packet)."""

    def _length_headers(self, lines: list[str]) -> dict[str, str]:
        return _parse_header_lines(lines[1:], decode=False)

    def _build(self, lines: list[str], body: bytes) -> Command:
        return Command(lines[0].rstrip("\r"), _parse_header_lines(lines[1:], decode=False), body)


def _check_line(text: str, what: str) -> None:
    if "\n" in text or "\r" in text:
        raise ValueError(f"{what} must be a single line: {text!r}")


def encode_command(cmd: str, headers: dict[str, str] | None = None, body: bytes = b"") -> bytes:
    """Encode a client command (``api ...``, or ``sendmsg`` with headers) ending in a blank line.

    A newline inside the command or a header would start a second command, so it is refused.
    """
    _check_line(cmd, "command")
    lines = [cmd]
    for name, value in (headers or {}).items():
        _check_line(f"{name}{value}", "header")
        lines.append(f"{name}: {value}")
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\n".join(lines) + "\n\n").encode("utf-8") + body


def encode_frame(headers: dict[str, str], body: bytes = b"") -> bytes:
    """Encode a server message with raw header values, adding Content-Length after them."""
    lines = [f"{k}: {v}" for k, v in headers.items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\n".join(lines) + "\n\n").encode("utf-8") + body


def encode_event_plain(headers: dict[str, str], body: bytes | str = b"") -> bytes:
    """Encode an event exactly as mod_event_socket sends it in plain format."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    inner = "".join(f"{k}: {url_encode(str(v))}\n" for k, v in headers.items()).encode("utf-8")
    inner += f"Content-Length: {len(body)}\n\n".encode() + body if body else b"\n"
    outer = f"Content-Length: {len(inner)}\nContent-Type: text/event-plain\n\n".encode()
    return outer + inner
