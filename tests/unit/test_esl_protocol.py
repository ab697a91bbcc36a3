"""ESL framing against the streams recorded from FreeSWITCH 1.11.1 (tests/fixtures/esl)."""
import random
from pathlib import Path

import pytest

from esl_handlers.protocol import (CommandParser, EslParser, EslProtocolError, encode_command, encode_event_plain,
                                   url_encode)

ESL = Path(__file__).resolve().parent.parent / "fixtures" / "esl"
STREAMS = sorted(ESL.glob("*/*.esl"))


def frames_of(data: bytes) -> list:
    parser = EslParser()
    frames = parser.feed(data)
    assert parser.buffered == 0
    return frames


def frames_in_chunks(data: bytes, rng: random.Random, max_chunk: int) -> list:
    parser, frames, pos = EslParser(), [], 0
    while pos < len(data):
        size = rng.randint(1, max_chunk)
        frames += parser.feed(data[pos:pos + size])
        pos += size
    assert parser.buffered == 0
    return frames


def events_of(name: str) -> list:
    data = (ESL / name / "events-plain.esl").read_bytes()
    return [f.event() for f in frames_of(data) if f.content_type == "text/event-plain"]


def test_every_recorded_stream_is_present():
    assert len(STREAMS) == 18


@pytest.mark.parametrize("path", STREAMS, ids=lambda p: p.parent.name)
def test_random_byte_splits_give_the_same_frames_as_the_whole_stream(path):
    data = path.read_bytes()
    whole = frames_of(data)
    rng = random.Random(f"esl-{path.parent.name}")
    for max_chunk in (1, 7, 64, 700, 5000, 70000):
        if max_chunk == 1 and len(data) > 20000:
            continue  # one byte at a time only on the small streams, for speed
        assert frames_in_chunks(data, rng, max_chunk) == whole


def test_split_at_every_boundary_of_the_background_job_stream():
    data = (ESL / "fax-send-unregistered" / "events-plain.esl").read_bytes()
    whole = frames_of(data)
    for cut in range(len(data) + 1):
        parser = EslParser()
        assert parser.feed(data[:cut]) + parser.feed(data[cut:]) == whole


def test_recorded_event_streams_start_with_the_inbound_handshake():
    frames = frames_of((ESL / "registration" / "events-plain.esl").read_bytes())
    assert [f.content_type for f in frames[:3]] == ["auth/request", "command/reply", "command/reply"]
    assert frames[1].reply_text == "+OK accepted"
    assert frames[2].reply_text == "+OK event listener enabled plain"
    assert len(frames) == 29


def test_registration_stream_has_one_sofia_register_per_phone():
    registers = [e for e in events_of("registration") if e.name == "sofia::register"]
    assert [e.get("from-user") for e in registers] == ["200", "105", "102", "101", "100"]
    first = registers[0]
    assert first.get("Event-Name") == "CUSTOM"
    assert first.get("from-host") == "beta.test"
    assert first.get("contact") == '"" <sip:gw+beta200@127.0.0.1:5080;transport=udp;gw=beta200>'
    assert first.get("user-agent").startswith("FreeSWITCH-mod_sofia/1.11.1-release+git~")


def test_background_job_output_is_the_inner_body():
    (job,) = [e for e in events_of("fax-send-unregistered") if e.name == "BACKGROUND_JOB"]
    assert job.body == "-ERR USER_NOT_REGISTERED\n"
    assert job.get("Job-UUID") == "e21c5a1d-4b50-44a3-85a5-966c36dd46a8"
    assert job.get("Job-Command") == "originate"
    assert job.get("Job-Command-Arg").startswith("{fax_enable_t38=true,")
    assert job.get("Job-Command-Arg").endswith("user/102@acme.test &txfax(/var/lib/freeswitch/storage/out2.tif)")
    assert job.get("Content-Length") == "25"


def test_events_without_inner_body_have_an_empty_body():
    assert all(e.body == "" for e in events_of("registration"))


def test_api_transcript_bodies_are_read_by_byte_length():
    frames = frames_of((ESL / "api-transcript" / "api-transcript-freeswitch-to-client.esl").read_bytes())
    api = [f for f in frames if f.content_type == "api/response"]
    assert len(api) == 15
    assert api[0].text.startswith('{"row_count":4,')
    assert api[7].text.startswith("\nRegistrations:\n")  # body with blank lines inside
    assert [f.text for f in api[8:11]] == ["0", "sofia/internal/sip:gw+acme101@127.0.0.1:5080;transport=udp;gw=acme101", "true"]
    assert api[-1].text == "-ERR nosuchcommand Command not found!\n"
    (bg,) = [f for f in frames if f.reply_text.startswith("+OK Job-UUID")]
    assert bg.headers["Job-UUID"] == "7419053f-ec3b-4d9a-a384-ff0e8a46729d"


def test_outbound_connect_reply_is_url_decoded_channel_data():
    frames = frames_of((ESL / "outbound-socket-ivr" / "outbound-transcript-freeswitch-to-client.esl").read_bytes())
    connect = frames[0]
    assert connect.content_type == "command/reply"
    assert connect.reply_text == "+OK"  # sent as %2BOK%0A
    assert connect.headers["Control"] == "full"
    assert connect.event().name == "CHANNEL_DATA"
    assert connect.event().get("variable_sip_from_uri") == "100@acme.test"
    digits = [f.event().get("DTMF-Digit") for f in frames
              if f.content_type == "text/event-plain" and f.event().name == "DTMF"]
    assert digits == ["1", "2", "3", "4", "#"]  # '#' arrives as %23
    assert frames[-1].content_type == "text/disconnect-notice"
    assert frames[-1].headers["Content-Disposition"] == "linger"


def test_decoded_newline_in_a_value_cannot_forge_a_header():
    body = b"Event-Name: CUSTOM\nEvent-Subclass: sofia%3A%3Aregister\nfrom-user: 100%0AFake: x\n\n"
    frame = b"Content-Length: %d\nContent-Type: text/event-plain\n\n" % len(body) + body
    (parsed,) = frames_of(frame)
    event = parsed.event()
    assert event.get("from-user") == "100\nFake: x"
    assert event.get("Fake") is None
    assert event.name == "sofia::register"


def test_outer_header_with_encoded_newline_does_not_forge_a_header():
    (parsed,) = frames_of(b"Content-Type: command/reply\nReply-Text: -ERR x%0AJob-UUID: evil\n\n")
    assert parsed.reply_text == "-ERR x\nJob-UUID: evil"
    assert "Job-UUID" not in parsed.headers


def test_url_encoding_round_trips_through_the_parser_with_utf8_lengths_in_bytes():
    headers = {"Event-Name": "CHANNEL_CREATE", "Caller-Caller-ID-Name": "Élodie Côté",
               "DTMF-Digit": "#", "variable_sip_r_sdp": "v=0\r\no=x 1 2 IN IP4 127.0.0.1\r\n",
               "Job-Command-Arg": "{a=b}user/100@acme.test &park"}
    data = encode_event_plain(headers, "sortie: é\n")
    whole = frames_of(data)
    for cut in range(len(data) + 1):
        parser = EslParser()
        assert parser.feed(data[:cut]) + parser.feed(data[cut:]) == whole
    event = whole[0].event()
    assert {k: event.headers[k] for k in headers} == headers
    assert event.body == "sortie: é\n"


def test_url_encode_matches_freeswitch_output():
    assert url_encode("2026-11-26 03:34:51") == "2026-11-26%2003%3A34%3A51"
    assert url_encode("fd00::2") == "fd00%3A%3A2"
    assert url_encode("'ACME Inc',x=1") == "'ACME%20Inc',x%3D1"
    assert url_encode("é#") == "%C3%A9%23"


def test_encode_event_plain_reproduces_recorded_frames_byte_for_byte():
    data = (ESL / "fax-send-unregistered" / "events-plain.esl").read_bytes()
    events = [f.event() for f in frames_of(data) if f.content_type == "text/event-plain"]
    rebuilt = b"".join(
        encode_event_plain({k: v for k, v in e.headers.items() if k != "Content-Length"}, e.body)
        for e in events)
    assert data.endswith(rebuilt)


def test_bad_content_length_is_a_protocol_error():
    with pytest.raises(EslProtocolError):
        EslParser().feed(b"Content-Type: api/response\nContent-Length: twelve\n\n")


def test_encode_command_refuses_newlines_that_would_start_another_command():
    assert encode_command("api status") == b"api status\n\n"
    assert encode_command("sendmsg", {"call-command": "hangup", "hangup-cause": "NORMAL_CLEARING"}) == (
        b"sendmsg\ncall-command: hangup\nhangup-cause: NORMAL_CLEARING\n\n")
    with pytest.raises(ValueError):
        encode_command("api status\n\nexit")
    with pytest.raises(ValueError):
        encode_command("sendmsg", {"execute-app-arg": "x\nexit"})


def test_command_parser_reads_the_recorded_outbound_client_commands():
    data = (ESL / "outbound-socket-ivr" / "outbound-transcript-client-to-freeswitch.txt").read_bytes()
    commands = CommandParser().feed(data)
    assert [c.line for c in commands] == [
        "connect", "myevents", "linger", "sendmsg", "sendmsg", "sendmsg", "sendmsg",
        "event plain CHANNEL_HANGUP_COMPLETE", "sendmsg"]
    answer = commands[3]
    assert answer.headers == {"call-command": "execute", "execute-app-name": "answer",
                              "execute-app-arg": "", "event-lock": "true"}
    assert commands[4].headers["execute-app-arg"].startswith("1 5 1 5000 # tone_stream://%(200,0,440)")
