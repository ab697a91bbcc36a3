"""xml_curl's form reader (xml_curl/request.py) and the whole door behind it, against random
and damaged request bodies: the reader agrees with a standard form parser, and the door
answers every body with a well-formed document and no handler failure."""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import parse_qsl, quote_plus

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from lxml import etree

from tests.factories import make_account, make_extension, make_user
from tests.fuzz import FUZZ
from xml_curl.request import parse_body

RECORDED = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "xml_curl").glob("*/*.form"))
NAMES = st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_-]{0,24}\Z")
FIELDS = st.lists(st.tuples(NAMES, st.text(max_size=80)), max_size=30)


def encoded(fields: list[tuple[str, str]]) -> bytes:
    return "&".join(f"{name}={quote_plus(value)}" for name, value in fields).encode()


def first_values(body: bytes) -> dict[str, str]:
    """What ``request.form.get`` would answer: the first value of each name."""
    found: dict[str, str] = {}
    for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
        found.setdefault(name, value)
    return found


@FUZZ
@given(FIELDS)
def test_every_field_reads_as_a_standard_form_parser_reads_it(fields):
    body = encoded(fields)
    req, expected = parse_body(body), first_values(body)
    for name, _value in fields:
        assert req.get(name) == expected[name]
        assert name in req.params
    assert req.section == expected.get("section", "")
    assert list(req.params) == list(dict.fromkeys(name for name, _ in fields)) or not fields


@FUZZ
@given(st.binary(max_size=3000), st.lists(NAMES, max_size=10))
def test_any_bytes_give_a_request_whose_fields_read_as_text(body, names):
    req = parse_body(body)
    assert isinstance(req.section, str)
    for name in names + ["section", "action", "user", "domain", "Caller-Destination-Number"]:
        value = req.params.get(name)
        assert value is None or isinstance(value, str)
        assert (name in req.params) == (value is not None)
    assert len(req.params) == len(list(req.params))


@st.composite
def damaged_recordings(draw) -> bytes:
    """A body FreeSWITCH really sent, with some values replaced, fields dropped or repeated."""
    pairs = [item.partition("=")[::2] for item in draw(st.sampled_from(RECORDED)).read_text().split("&")]
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(pairs) - 1))
        change = draw(st.sampled_from(["value", "raw", "drop", "repeat"]))
        if change == "value":
            pairs[at] = (pairs[at][0], quote_plus(draw(st.text(max_size=60))))
        elif change == "raw":  # the first five fields reach us unencoded (NOTES §1)
            pairs[at] = (pairs[at][0], draw(st.text(alphabet=st.characters(blacklist_characters="&"), max_size=40)))
        elif change == "drop" and len(pairs) > 1:
            pairs.pop(at)
        else:
            pairs.insert(0, (pairs[at][0], quote_plus(draw(st.text(max_size=20)))))
    return "&".join(f"{name}={value}" for name, value in pairs).encode("utf-8", "surrogatepass")


@pytest.fixture
def acme(app):
    account, _admin = make_account(name="Acme", sip_domain="acme.test")
    alice = make_user(account, first_name="Alice", last_name="Tremblay")
    for number in ("101", "102", "105"):
        make_extension(account, number=number)
    make_extension(account, number="100", user=alice)
    return account


def test_every_recorded_request_is_here():
    assert len(RECORDED) >= 100


@settings(FUZZ, max_examples=150, suppress_health_check=[*FUZZ.suppress_health_check,
                                                         HealthCheck.function_scoped_fixture])
@given(body=damaged_recordings())
def test_the_door_answers_every_damaged_request_with_a_document(client, acme, caplog, body):
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="pbx.xml_curl"):
        response = client.post("/freeswitch/xml", data=body, headers={
            "Authorization": "Basic ZnJlZXN3aXRjaDp4bWwtc2VjcmV0",  # freeswitch:xml-secret
            "Content-Type": "application/x-www-form-urlencoded"}, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert response.status_code == 200
    assert b"<?" not in response.data
    assert etree.fromstring(response.data).tag == "document"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "a handler failed"
