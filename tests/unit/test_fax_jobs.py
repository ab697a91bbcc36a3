"""FAX-5 as data: the retry ladder, the failure classes, the recorded spandsp events read as
changes, and the txfax originate string."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from esl_handlers.events import EventHeaders
from esl_handlers.fax_calls import FaxCall
from esl_handlers.originate import fax_originate
from esl_handlers.protocol import encode_event_plain
from fs_service.fax import emails, events, jobs, ladder
from fs_service.fax.ladder import Counters
from tests.integration.test_esl_listener_support import event_frames

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=timezone.utc)


def recorded(scenario: str, name: str) -> list[EventHeaders]:
    return [EventHeaders(body) for _, body in event_frames(scenario) if EventHeaders(body).name == name]


def test_the_ladder_gives_up_t38_then_ecm_then_v17():
    assert [(m.t38, m.ecm, m.v17) for m in ladder.RUNGS] == [
        (True, True, True), (False, True, True), (False, False, True), (False, False, False)]


@pytest.mark.parametrize("code, failure", [(0, "ok"), (2, "negotiation"), (49, "negotiation"), (6, "negotiation"),
                                           (41, "document"), (43, "document"), (11, "document"), (12, "document")])
def test_spandsp_codes_are_classified(code, failure):
    assert ladder.classify_code(code) == failure


@pytest.mark.parametrize("cause, failure", [("USER_BUSY", "line"), ("NO_ANSWER", "line"),
                                            ("USER_NOT_REGISTERED", "line"), ("SOMETHING_NEW", "line"),
                                            ("UNALLOCATED_NUMBER", "number"), ("CALL_REJECTED", "number")])
def test_originate_causes_are_classified(cause, failure):
    assert ladder.classify_cause(cause) == failure


def test_a_training_failure_moves_to_the_next_rung_after_a_minute():
    decision = ladder.decide(Counters(rung=0, line_retries=0), ladder.NEGOTIATION, NOW)
    assert (decision.state, decision.rung, decision.next_attempt_at) == ("retrying", 1, NOW + timedelta(minutes=1))


def test_a_failure_on_the_last_rung_fails_the_fax():
    decision = ladder.decide(Counters(rung=ladder.LAST_RUNG, line_retries=0), ladder.NEGOTIATION, NOW)
    assert (decision.state, decision.next_attempt_at, decision.alert) == ("failed", None, False)


def test_busy_retries_later_without_burning_a_rung_and_is_bounded():
    counters, delays = Counters(rung=1, line_retries=0), []
    for _ in range(ladder.MAX_LINE_RETRIES):
        decision = ladder.decide(counters, ladder.LINE, NOW)
        assert decision.state == "retrying" and decision.rung == 1
        delays.append(decision.next_attempt_at - NOW)
        counters = Counters(decision.rung, decision.line_retries)
    assert delays == sorted(delays) and delays[0] >= timedelta(minutes=2)
    assert ladder.decide(counters, ladder.LINE, NOW).state == "failed"


def test_configured_line_waits_are_used_in_order_and_their_count_bounds_the_retries():
    waits = (timedelta(seconds=1), timedelta(seconds=5))
    first = ladder.decide(Counters(rung=0, line_retries=0), ladder.LINE, NOW, waits)
    second = ladder.decide(Counters(rung=0, line_retries=1), ladder.LINE, NOW, waits)
    assert (first.state, first.next_attempt_at, second.next_attempt_at) == (
        "retrying", NOW + timedelta(seconds=1), NOW + timedelta(seconds=5))
    assert ladder.decide(Counters(rung=0, line_retries=2), ladder.LINE, NOW, waits).state == "failed"
    assert ladder.decide(Counters(rung=0, line_retries=0), ladder.LINE, NOW, ()).state == "failed"


def test_the_failure_email_says_a_hang_up_cause_in_words_and_keeps_spandsp_sentences():
    assert emails.reason_text("NO_ANSWER", "fr") == "personne n'a répondu (NO_ANSWER)"
    assert emails.reason_text("USER_BUSY", "en") == "the line was busy (USER_BUSY)"
    assert emails.reason_text("Timed out waiting for initial communication", "fr") == (
        "Timed out waiting for initial communication")
    assert emails.reason_text("", "en") == "?"


def test_a_bad_tiff_fails_at_once_and_alerts():
    decision = ladder.decide(Counters(rung=0, line_retries=0), ladder.DOCUMENT, NOW)
    assert (decision.state, decision.alert) == ("failed", True)


def test_an_unknown_number_fails_at_once_without_alert():
    decision = ladder.decide(Counters(rung=0, line_retries=0), ladder.NUMBER, NOW)
    assert (decision.state, decision.alert) == ("failed", False)


def test_recorded_success_reads_as_two_pages_with_the_remote_station_and_duration():
    pages = [events.tx_page(e) for e in recorded("fax-send-t38-success", "spandsp::txfaxpageresult")]
    assert [(p.job_id, p.pages_sent) for p in pages] == [(42, 1), (42, 2)]
    result = events.tx_result(recorded("fax-send-t38-success", "spandsp::txfaxresult")[0])
    assert (result.job_id, result.code, result.text, result.pages_sent) == (42, 0, "OK", 2)
    assert result.remote_station_id == "PHONES RIG" and result.duration_seconds == 23
    assert jobs.outcome_of(result).failure == ladder.OK


def test_recorded_voice_line_reads_as_a_negotiation_failure_with_spandsp_reason():
    result = events.tx_result(recorded("fax-send-to-voice-line-fails", "spandsp::txfaxresult")[0])
    outcome = jobs.outcome_of(result)
    assert (outcome.failure, outcome.code) == ("negotiation", 2)
    assert outcome.text == "Timed out waiting for initial communication"


def test_the_hangup_fallback_reads_the_fax_variables_and_ignores_other_channels():
    hangup = recorded("fax-send-t38-success", "CHANNEL_HANGUP_COMPLETE")[0]
    assert jobs.outcome_of(events.tx_hangup(hangup)).failure == ladder.OK
    ordinary = recorded("inbound-did-call", "CHANNEL_HANGUP_COMPLETE")[0]
    assert events.tx_hangup(ordinary) is None and events.rx_hangup(ordinary) is None


@pytest.mark.parametrize("as_dict", [False, True], ids=["listener headers", "dict"])
def test_one_hangup_handler_serves_both_directions_and_skips_ordinary_calls(as_dict):
    def hangups(scenario, **extra):
        found = [{**dict(h), **extra} for h in recorded(scenario, "CHANNEL_HANGUP_COMPLETE")]
        if as_dict:
            return found
        return [EventHeaders(body[body.index(b"\n\n") + 2:]) for body in map(encode_event_plain, found)]

    sent = [c for c in map(events.hangup, hangups("fax-send-t38-success")) if c is not None]
    assert sent == [events.tx_hangup(hangups("fax-send-t38-success")[0])] and type(sent[0]) is events.TxResult
    # rxfax ran under our ReceiveFax step: it marked the channel with the number's id
    marked = hangups("fax-receive-audio", variable_pbx_fax_number_id="3")
    received = [c for c in map(events.hangup, marked) if c is not None]
    assert [(type(c), c.number_id, c.pages, c.dialed) for c in received] == [(events.RxResult, 3, 2, "5145550105")]
    assert [events.hangup(h) for h in hangups("fax-receive-audio")] == [None] * len(marked)  # not ours
    for scenario in ("inbound-did-call", "internal-call-answered", "park-and-retrieve"):
        assert [events.hangup(h) for h in hangups(scenario)] == [None] * len(hangups(scenario))


def test_a_hangup_without_fax_result_is_busy_when_never_answered_and_a_drop_when_answered():
    busy = {"variable_fax_job_id": "7", "variable_pbx_fax_attempt": "2", "Hangup-Cause": "USER_BUSY",
            "Caller-Channel-Answered-Time": "0"}
    outcome = jobs.outcome_of(events.tx_hangup(busy))
    assert (outcome.attempt, outcome.failure, outcome.text) == (2, "line", "USER_BUSY")
    dropped = {**busy, "Hangup-Cause": "NORMAL_CLEARING", "Caller-Channel-Answered-Time": "1795663709443414"}
    assert jobs.outcome_of(events.tx_hangup(dropped)).failure == "negotiation"


def test_recorded_reception_reads_as_two_pages_from_the_dialed_number():
    result = events.rx_result(recorded("fax-receive-audio", "spandsp::rxfaxresult")[0])
    assert (result.success, result.pages, result.dialed, result.caller_number) == (True, 2, "5145550105",
                                                                                    "4185559999")
    assert result.fs_path.endswith("rx-39f43be8-7549-466b-b5a2-e368f2583253.tif")


def test_originate_failures_are_read_from_the_background_job_body():
    assert jobs.originate_failure(3, "-ERR USER_BUSY").failure == "line"
    assert jobs.originate_failure(3, "-ERR UNALLOCATED_NUMBER\n").failure == "number"


def call(**overrides) -> FaxCall:
    values = dict(job_id=12, attempt=1, gateway="carrier1", destination="15145550000",
                  tiff_path="/var/lib/pbx/fax/out/3/ab12.tif", ident="+15149073401", header="ACME, Inc. {x}",
                  t38=True, ecm=True, v17=True)
    values.update(overrides)
    return FaxCall(**values)


def test_the_first_try_asks_for_t38_and_names_the_job():
    command = fax_originate(call())
    assert command == ("originate {fax_job_id=12,pbx_fax_attempt=1,fax_enable_t38=true,fax_enable_t38_request=true,"
                       "fax_use_ecm=true,fax_disable_v17=false,fax_ident=+15149073401,fax_header='ACME Inc. x',"
                       "origination_caller_id_number=15149073401,originate_timeout=60}"
                       "sofia/gateway/carrier1/15145550000 &txfax(/var/lib/pbx/fax/out/3/ab12.tif)")


def test_the_last_rung_is_audio_without_ecm_nor_v17():
    command = fax_originate(call(t38=False, ecm=False, v17=False))
    assert "fax_enable_t38=false,fax_enable_t38_request=false,fax_use_ecm=false,fax_disable_v17=true" in command


@pytest.mark.parametrize("field, value", [("gateway", "gw one"), ("destination", "514;555"),
                                          ("tiff_path", "/tmp/a b.tif"), ("tiff_path", "/x/../etc/passwd.tif"),
                                          ("tiff_path", "relative.tif"), ("ident", "514 555")])
def test_unsafe_values_never_reach_the_command(field, value):
    with pytest.raises(ValueError):
        fax_originate(call(**{field: value}))
