"""The ESL frame parser (esl_handlers/protocol.py) and the lazy event headers
(esl_handlers/events.py) against random framing: frames split at random points, garbage,
huge heads and bodies."""
from __future__ import annotations

import time

import pytest
from hypothesis import given, strategies as st

from esl_handlers.events import EventHeaders
from esl_handlers.protocol import (MAX_HEAD_BYTES, CommandParser, EslParser, EslProtocolError, encode_command,
                                   encode_event_plain, encode_frame, parse_event_plain)
from tests.fuzz import FUZZ

NAMES = st.from_regex(r"\A[A-Za-z][A-Za-z0-9_-]{0,30}\Z")
VALUES = st.text(max_size=200)  # any Unicode, newlines and "%" included: it is URL-encoded
HEADERS = st.dictionaries(NAMES, VALUES, min_size=1, max_size=40).map(
    lambda d: {"Event-Name": "CUSTOM", **{k: v for k, v in d.items() if k.lower() != "content-length"}})


def with_inner_length(headers: dict, body: bytes) -> dict:
    """An event with a body also carries its ``Content-Length`` header (switch_event_serialize)."""
    return {**headers, "Content-Length": str(len(body))} if body else headers


def feed_in_pieces(parser, data: bytes, cuts: list[int]) -> list:
    """Feed ``data`` split at ``cuts`` (positions, any order, repeats allowed)."""
    out, start = [], 0
    for cut in sorted({c % (len(data) + 1) for c in cuts}) + [len(data)]:
        out += parser.feed(data[start:cut])
        start = cut
    return out


def frames_or_error(data: bytes, cuts: list[int]):
    parser = EslParser()
    try:
        return feed_in_pieces(parser, data, cuts)
    except EslProtocolError as exc:
        return type(exc)


@st.composite
def event_streams(draw) -> tuple[list[tuple[dict, bytes]], bytes]:
    events = draw(st.lists(st.tuples(HEADERS, st.binary(max_size=300)), min_size=1, max_size=8))
    return events, b"".join(encode_event_plain(headers, body) for headers, body in events)


@FUZZ
@given(event_streams(), st.lists(st.integers(min_value=0), max_size=30))
def test_events_split_anywhere_are_read_back_exactly(stream, cuts):
    events, data = stream
    parser = EslParser()
    frames = feed_in_pieces(parser, data, cuts)
    assert parser.buffered == 0
    assert len(frames) == len(events)
    for frame, (headers, body) in zip(frames, events):
        event = frame.event()
        assert event.headers == with_inner_length(headers, body)
        assert event.body == body.decode("utf-8", "replace")


@FUZZ
@given(event_streams())
def test_lazy_event_headers_agree_with_the_full_parse(stream):
    events, data = stream
    for frame, (headers, body) in zip(EslParser().feed(data), events):
        lazy = EventHeaders(frame.body)
        names = tuple(headers)
        assert lazy.fields(names) == [headers[n] for n in names]
        assert [lazy.get(n) for n in reversed(names)] == [headers[n] for n in reversed(names)]
        assert lazy.get("Not-A-Header-Here") is None
        assert dict(lazy) == with_inner_length(headers, body)
        assert lazy.name == headers.get("Event-Subclass", "CUSTOM")


@FUZZ
@given(st.binary(max_size=4096), st.lists(st.integers(min_value=0), max_size=20))
def test_garbage_gives_frames_or_a_protocol_error_whatever_the_split(data, cuts):
    whole = frames_or_error(data, [])
    assert frames_or_error(data, cuts) == whole


@FUZZ
@given(st.binary(max_size=2048))
def test_garbage_event_bodies_never_crash_the_header_readers(body):
    lazy = EventHeaders(body)
    lazy.fields(("Event-Name", "Unique-ID", "Caller-Destination-Number"))
    assert isinstance(lazy.name, str)
    try:
        parsed = parse_event_plain(body)
    except EslProtocolError:  # a bad inner Content-Length: documented
        return
    assert isinstance(parsed.headers, dict)
    assert set(lazy) == set(parsed.headers)


@FUZZ
@given(st.lists(st.tuples(st.from_regex(r"\A[a-z_]{1,20}( [^\r\n]{0,40})?\Z"),
                          st.dictionaries(NAMES, st.from_regex(r"\A[^\r\n]{0,60}\Z"), max_size=5)),
                min_size=1, max_size=6),
       st.lists(st.integers(min_value=0), max_size=20))
def test_client_commands_split_anywhere_are_read_back(commands, cuts):
    data = b"".join(encode_command(line, headers) for line, headers in commands)
    parsed = feed_in_pieces(CommandParser(), data, cuts)
    assert [(c.line, c.headers) for c in parsed] == [
        (line, {k: v.lstrip(" ") for k, v in headers.items()}) for line, headers in commands]


@pytest.mark.parametrize("chunk", [1 << 12, 1 << 16])
def test_a_head_that_never_ends_is_refused_without_quadratic_rescans(chunk):
    parser, started = EslParser(), time.monotonic()
    line = b"X-Header: " + b"a" * 100 + b"\n"
    with pytest.raises(EslProtocolError, match="too large"):
        for _ in range(2 * MAX_HEAD_BYTES // chunk + 2):
            parser.feed((line * (chunk // len(line) + 1))[:chunk])
    assert time.monotonic() - started < 5


def test_a_huge_announced_body_waits_for_its_bytes_and_a_larger_one_is_refused():
    parser = EslParser()
    assert parser.feed(b"Content-Length: 67108864\nContent-Type: api/response\n\n" + b"x" * 1000) == []
    assert parser.buffered == 1000
    with pytest.raises(EslProtocolError, match="out of range"):
        EslParser().feed(b"Content-Length: 67108865\n\n")
    with pytest.raises(EslProtocolError, match="bad Content-Length"):
        EslParser().feed(b"Content-Length: 1e3\n\n")


def test_a_frame_with_thousands_of_headers_is_read_in_one_piece():
    headers = {f"variable_v{i}": "x" * 20 for i in range(20000)}
    data = encode_frame({"Content-Type": "command/reply", **headers})
    started = time.monotonic()
    frames = feed_in_pieces(EslParser(), data, list(range(0, len(data), 997)))
    assert time.monotonic() - started < 5
    assert len(frames) == 1 and len(frames[0].headers) == 20001
