"""IVR commands → FreeSWITCH applications, and finished applications → IVR outcomes.

Outcomes are read from the events of the recorded outbound transcript, so the variable names
(`variable_<var>`, `variable_read_result`, `variable_record_ms`) are FreeSWITCH's own.
"""
from __future__ import annotations

import pytest

from esl_handlers.outbound.apps import AppCall, app_calls, files_arg, outcome
from esl_handlers.protocol import EslParser
from fs_service.ivr import (Answer, Bridge, Digits, Done, GetDigits, Hangup, Play, PlaybackDone, Record, RecordDone,
                            Say, SetVar, Transfer)
from tests.helpers import FIXTURES

TRANSCRIPT = FIXTURES / "esl" / "outbound-socket-ivr" / "outbound-transcript-freeswitch-to-client.esl"


def recorded_completion(app: str) -> dict[str, str]:
    for frame in EslParser().feed(TRANSCRIPT.read_bytes()):
        if frame.content_type == "text/event-plain":
            event = frame.event()
            if event.name == "CHANNEL_EXECUTE_COMPLETE" and event.get("Application") == app:
                return event.headers
    raise AssertionError(f"no completion of {app} in the recording")


MAPPINGS = {
    "answer": (Answer(), [("answer", "")]),
    "set": (SetVar("timezone", "America/Toronto"), [("set", "timezone=America/Toronto")]),
    "play stops on its keys only": (Play(("a.wav",), "#0"), [("set", "playback_terminators=#0"),
                                                             ("playback", "a.wav")]),
    "play without keys cannot be interrupted": (Play(("a.wav", "b.wav")), [
        ("set", "playback_terminators=none"), ("playback", "file_string://a.wav!b.wav")]),
    "get digits": (GetDigits(("pin.wav",), 4, 10, 7000, "#", r"\d+"), [
        ("play_and_get_digits", r"4 10 1 7000 # pin.wav silence_stream://250 v1 \d+ 3000")]),
    "menu without terminator": (GetDigits(("m.wav",), 1, 1, 5000, "none", "^[12]$", 3, "bad.wav"), [
        ("play_and_get_digits", "1 1 3 5000 none m.wav bad.wav v1 ^[12]$ 3000")]),
    "say": (Say("fr", "number", "iterated", "101"), [("say", "fr number iterated 101")]),
    "record clears the last length first": (Record("/vm/a.wav", 180), [
        ("multiset", "playback_terminators=# record_ms="), ("record", "/vm/a.wav 180 200 3")]),
    "transfer": (Transfer("101", "acme.test"), [("transfer", "101 XML acme.test")]),
    "bridge": (Bridge("user/101@acme.test"), [("bridge", "user/101@acme.test")]),
    "hangup": (Hangup(), [("hangup", "NORMAL_CLEARING")]),
}


@pytest.mark.parametrize("command,expected", MAPPINGS.values(), ids=MAPPINGS.keys())
def test_each_command_becomes_these_applications(command, expected):
    calls = app_calls(command, "v1")
    assert [(c.name, c.arg) for c in calls] == expected
    assert all(isinstance(c, AppCall) and c.timeout > 0 for c in calls)


def test_record_waits_longer_than_the_longest_message():
    assert app_calls(Record("/vm/a.wav", 180), "v")[-1].timeout > 180


@pytest.mark.parametrize("command", [Record("/vm/my file.wav", 10), Transfer("1 0", "x"),
                                     GetDigits(("a b.wav",)), Say("fr", "number", "pronounced", "")])
def test_values_that_would_split_into_other_arguments_are_refused(command):
    with pytest.raises(ValueError):
        app_calls(command, "v")


def test_file_string_parts_cannot_hold_the_separator():
    with pytest.raises(ValueError):
        files_arg(("a!b.wav", "c.wav"))


def test_digits_come_from_the_commands_own_variable_of_the_recorded_completion():
    complete = recorded_completion("play_and_get_digits")
    assert outcome(GetDigits(("x",)), complete, "1234#", "vm_digits") == Digits("1234")
    assert outcome(GetDigits(("x",)), complete, "", "another_variable") == Digits("")


def test_a_failed_collection_gives_no_digits_even_if_the_variable_is_stale():
    complete = {**recorded_completion("play_and_get_digits"), "variable_read_result": "failure"}
    assert outcome(GetDigits(("x",)), complete, "", "vm_digits") == Digits("")


def test_record_length_comes_from_record_ms():
    complete = recorded_completion("record")
    assert outcome(Record("/r.wav", 3), complete, "", "v") == RecordDone("/r.wav", 1.98)
    assert outcome(Record("/r.wav", 3), {}, "#", "v") == RecordDone("/r.wav", 0.0, "#")


def test_the_first_allowed_key_interrupts_a_playback():
    assert outcome(Play(("a",), "#0"), recorded_completion("playback"), "50#", "v") == PlaybackDone("0")
    assert outcome(Play(("a",), ""), None, "5", "v") == PlaybackDone("")
    assert outcome(Answer(), recorded_completion("answer"), "", "v") == Done()
