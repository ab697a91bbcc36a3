"""EventHeaders (lazy, search-based) must read exactly what the reference parser reads."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from esl_handlers.events import EventHeaders
from esl_handlers.protocol import EslParser, encode_event_plain, parse_event_plain

ESL = Path(__file__).resolve().parent.parent / "fixtures" / "esl"


def recorded_bodies() -> list[bytes]:
    bodies = []
    for path in sorted(ESL.glob("*/*.esl")):
        bodies += [f.body for f in EslParser().feed(path.read_bytes()) if f.content_type == "text/event-plain"]
    return bodies


BODIES = recorded_bodies()


def test_every_header_of_every_recorded_event_reads_as_the_reference_parser_reads_it():
    assert len(BODIES) > 500
    for body in BODIES:
        reference = parse_event_plain(body)
        lazy = EventHeaders(body)
        for name, value in reference.headers.items():
            assert lazy.get(name) == value, name
        assert dict(lazy) == reference.headers
        assert lazy.name == reference.name


def test_fields_in_any_order_and_missing_ones_give_the_same_answers():
    rng = random.Random(7)
    for body in rng.sample(BODIES, 60):
        reference = parse_event_plain(body).headers
        names = rng.sample(sorted(reference), min(12, len(reference))) + ["No-Such-Header"]
        assert EventHeaders(body).fields(tuple(names)) == [reference.get(n) for n in names]


@pytest.mark.parametrize("size", [10, 5000])  # the small-event (regex) and large-event (find) paths
def test_a_header_on_the_first_line_and_a_missing_one(size):
    body = encode_event_plain({"Event-Name": "CUSTOM", "Event-Subclass": "sofia::register",
                               "call-id": "abc", "pad": "x" * size})
    body = body[body.index(b"\n\n") + 2:]  # the inner event, as EventHeaders receives it
    headers = EventHeaders(body)
    assert headers.fields(("Event-Name", "call-id", "nope")) == ["CUSTOM", "abc", None]
    assert headers.name == "sofia::register"


def test_an_encoded_newline_in_a_value_cannot_forge_a_header():
    body = encode_event_plain({"Event-Name": "CHANNEL_CREATE", "Caller-Caller-ID-Name": "x\nUnique-ID: forged"})
    headers = EventHeaders(body[body.index(b"\n\n") + 2:])
    assert headers.get("Unique-ID") is None
    assert headers.get("Caller-Caller-ID-Name") == "x\nUnique-ID: forged"


def test_background_job_output_is_the_body_and_never_a_header():
    body = encode_event_plain({"Event-Name": "BACKGROUND_JOB", "Job-UUID": "j1"}, "+OK ok\nUnique-ID: body-text\n")
    headers = EventHeaders(body[body.index(b"\n\n") + 2:])
    assert headers.get("Job-UUID") == "j1"
    assert headers.get("Unique-ID") is None
    assert headers.body == "+OK ok\nUnique-ID: body-text\n"


def test_has_prefix_answers_as_the_header_names_do():
    from fs_service.event_headers import has_prefix

    rng = random.Random(11)
    for body in rng.sample(BODIES, 80):
        names = list(parse_event_plain(body).headers)
        prefixes = {name[:n] for name in rng.sample(names, min(5, len(names))) for n in (1, 5, 13)}
        for prefix in prefixes | {"variable_fax_", "Event-Name", "No-Such-"}:
            expected = any(name.startswith(prefix) for name in names)
            assert EventHeaders(body).has_prefix(prefix) is expected, prefix
            assert has_prefix(dict(EventHeaders(body)), prefix) is expected, prefix


def test_has_prefix_never_looks_at_values_or_the_body():
    body = encode_event_plain({"Event-Name": "BACKGROUND_JOB", "Note": "x\nvariable_fax_job_id: 1"},
                              "variable_fax_job_id: 2\n")
    assert not EventHeaders(body[body.index(b"\n\n") + 2:]).has_prefix("variable_fax_")
