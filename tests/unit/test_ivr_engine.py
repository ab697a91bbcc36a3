"""The IVR engine as data: events in, commands out (no socket, no FreeSWITCH)."""
from __future__ import annotations

import pytest

from fs_service.ivr import (Answer, CallEnded, Digits, Done, End, GetDigits, Hangup, HungUp, Ivr, Play, PlaybackDone,
                            Record, RecordDone, Started, Timeout, Transfer)
from fs_service.ivr.steps import ask, key_regex, menu, play

CLEANED: list[str] = []


def sample(variables):
    """A tiny dialogue: answer, greet (interruptible by 1), ask a key, record or transfer."""
    yield Answer()
    digit = yield from play(("hello.wav",), "1")
    choice = digit or (yield from menu(("menu.wav",), "12"))
    if choice == "2":
        yield Transfer("100", variables["context"])
        return
    try:
        event = yield Record("/tmp/x.wav", 30)
        CLEANED.append(f"recorded {event.seconds:g}")
    except CallEnded:
        CLEANED.append("hung up while recording")
        raise


def run(script, variables, events):
    """Start, then feed each event; the list of commands the engine answered."""
    engine = Ivr(script)
    out = [engine.start(variables)]
    for event in events:
        out.append(engine.feed(event))
    return out


MENU = GetDigits(("menu.wav",), 1, 1, 5000, "none", "^[12]$", 3)
CASES = {
    "key during greeting skips the menu": (
        [Done(), PlaybackDone("1"), RecordDone("/tmp/x.wav", 4.0), Done()],
        [Answer(), Play(("hello.wav",), "1"), Record("/tmp/x.wav", 30), Hangup(), End()], ["recorded 4"]),
    "menu choice 2 transfers and the call leaves us": (
        [Done(), PlaybackDone(""), Digits("2"), Done()],
        [Answer(), Play(("hello.wav",), "1"), MENU, Transfer("100", "acme.test"), End()], []),
    "hangup during the recording lets the dialogue clean up": (
        [Done(), PlaybackDone(""), Digits("1"), HungUp()],
        [Answer(), Play(("hello.wav",), "1"), MENU, Record("/tmp/x.wav", 30), End()],
        ["hung up while recording"]),
    "a stalled application hangs up": (
        [Done(), Timeout(), Done()],
        [Answer(), Play(("hello.wav",), "1"), Hangup(), End()], []),
    "hangup at the first prompt ends quietly": (
        [HungUp(), Done()], [Answer(), End(), End()], []),
}


@pytest.mark.parametrize("events,expected,cleanup", CASES.values(), ids=CASES.keys())
def test_sample_dialogue(events, expected, cleanup):
    CLEANED.clear()
    assert run(sample, {"context": "acme.test"}, events) == expected
    assert CLEANED == cleanup


def test_a_dialogue_that_returns_without_hanging_up_is_hung_up_for():
    def short(variables):
        yield Answer()

    assert run(short, {}, [Done(), Done(), Done()]) == [Answer(), Hangup(), End(), End()]


def test_a_failing_dialogue_hangs_up_instead_of_leaving_silence():
    def broken(variables):
        yield Answer()
        raise RuntimeError("database down")

    assert run(broken, {}, [Done(), Done()]) == [Answer(), Hangup(), End()]


def test_commands_yielded_after_a_hangup_are_ignored():
    def stubborn(variables):
        try:
            yield Play(("a.wav",))
        except CallEnded:
            yield Play(("never.wav",))

    assert run(stubborn, {}, [HungUp()]) == [Play(("a.wav",)), End()]


def test_started_is_only_given_to_start():
    engine = Ivr(sample)
    engine.start({"context": "x"})
    with pytest.raises(ValueError):
        engine.feed(Started({}))


def test_ask_returns_the_digits_or_nothing():
    def asking(variables):
        got = yield from ask(("pin.wav",), 4, 10)
        yield Play((f"{got or 'none'}.wav",))

    assert run(asking, {}, [Digits("1234")])[1] == Play(("1234.wav",))
    assert run(asking, {}, [Digits("")])[1] == Play(("none.wav",))


@pytest.mark.parametrize("keys,regex", [("12", "^[12]$"), ("0*#", r"^[0\*\#]$")])
def test_key_regex_accepts_exactly_one_of_the_keys(keys, regex):
    assert key_regex(keys) == regex
