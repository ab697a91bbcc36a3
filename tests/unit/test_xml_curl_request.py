"""xml_curl's form reader: FreeSWITCH's flat form, read by name (xml_curl/request.py)."""
from __future__ import annotations

from xml_curl.request import parse_body

BODY = (b"hostname=fs1&section=dialplan&tag_name=&key_name=&key_value=&Event-Name=REQUEST_PARAMS"
        b"&Caller-Caller-ID-Name=Jos%C3%A9+Tremblay&variable_sip_from_user=100&variable_sip_from_user=999"
        b"&variable_empty=&bare&Caller-Destination-Number=%2A97")


def test_fields_are_found_by_name_and_decoded():
    req = parse_body(BODY)
    assert (req.section, req.hostname, req.tag_name) == ("dialplan", "fs1", "")
    assert req.get("Caller-Caller-ID-Name") == "José Tremblay"
    assert req.get("Caller-Destination-Number") == "*97"


def test_the_first_value_of_a_repeated_name_wins_and_missing_names_get_the_default():
    req = parse_body(BODY)
    assert req.get("variable_sip_from_user") == "100"
    assert req.get("variable_missing", "x") == "x" and req.get("variable_empty", "x") == ""
    assert req.params.get("sip_from_user") is None  # never matched inside another name


def test_a_name_without_value_is_listed_but_has_none():
    req = parse_body(BODY)
    assert "bare" in list(req.params) and "bare" not in req.params and len(req.params) == 11
    assert "section" in req.params
