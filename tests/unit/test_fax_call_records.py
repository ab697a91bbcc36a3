"""A switch's call record read as a fax outcome (issue 16), from the real records the switch
filed (tests/fixtures/xml_cdr/): the same classification as a hang-up heard live."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest

from fs_service.fax import jobs, ladder
from fs_service.fax.events import TxResult
from fs_service.fax.outcomes import CallRecord, change_of, is_fax
from xml_curl.cdr import NotARecord, parse_record

RECORDS = Path(__file__).resolve().parents[1] / "fixtures" / "xml_cdr"


def recorded(name: str) -> bytes:
    """The XML as the door gets it once the ``cdr=`` form field is decoded."""
    return unquote((RECORDS / name).read_text()).encode()


def test_a_delivered_fax_record_reads_as_a_success_with_its_pages_and_station():
    record = parse_record(recorded("fax-send-letter-3-pages-t38.cdr.xml"))
    assert (record.variables["fax_job_id"], record.variables["fax_remote_station_id"]) == ("1", "PHONES RIG")
    assert (record.destination_number, record.direction) == ("15145550199", "outbound")
    change = change_of(record)
    assert isinstance(change, TxResult)
    assert (change.job_id, change.attempt, change.code, change.pages_sent, change.remote_station_id) == (
        1, 1, 0, 3, "PHONES RIG")
    assert (change.hangup_cause, change.answered, change.duration_seconds, change.source) == (
        "NORMAL_CLEARING", True, 30, "cdr")
    outcome = jobs.outcome_of(change)
    assert (outcome.failure, outcome.source) == (ladder.OK, "cdr")


def test_a_never_answered_try_reads_as_a_line_failure():
    change = change_of(parse_record(recorded("fax-send-voice-line-no-answer.cdr.xml")))
    assert (change.job_id, change.code, change.answered, change.hangup_cause, change.pages_sent) == (
        2, None, False, "NO_ANSWER", 0)
    assert jobs.outcome_of(change).failure == ladder.LINE


def test_a_record_of_an_ordinary_call_is_not_a_fax():
    record = CallRecord({"uuid": "a", "hangup_cause": "NORMAL_CLEARING", "answer_uepoch": "1"}, "101", "100")
    assert change_of(record) is None
    assert not is_fax(b"<cdr><variables><uuid>a</uuid></variables></cdr>")


@pytest.mark.parametrize("body, reason", [
    (b"fax_job_id <not xml", "not XML"),
    (b"<variables><fax_job_id>1</fax_job_id></variables>", "no <cdr><variables>"),
    (b'<!DOCTYPE cdr [<!ENTITY x SYSTEM "file:///etc/passwd">]><cdr><variables><fax_job_id>&x;</fax_job_id>'
     b"</variables></cdr>", None),
])
def test_what_is_not_a_record_is_refused_and_entities_are_never_resolved(body, reason):
    if reason is None:
        assert "root:" not in parse_record(body).variables.get("fax_job_id", "")
        return
    with pytest.raises(NotARecord, match=reason):
        parse_record(body)
