"""A pretend caller for the IVR engine alone (no socket): it answers each command the way the
channel would, using the same actions as the fake outbound FreeSWITCH (Press, Listen, Speak,
HangUp), and writes down what the caller heard as short words, so a dialogue test is a table
of "caller does" → "caller hears".
"""
from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from fs_service import ivr
from tests.fakes.fake_outbound import HangUp, Listen, Press, Speak
from tests.fakes.fake_outbound_apps import write_wav


def describe(command) -> str | None:
    """``play vm-goodbye``, ``ask vm-main-menu``, ``say 3``, ``lang en``…"""
    if isinstance(command, ivr.Play):
        return "play " + ",".join(_name(f) for f in command.files)
    if isinstance(command, ivr.GetDigits):
        return "ask " + ",".join(_name(f) for f in command.files)
    if isinstance(command, ivr.Say):
        return f"say {command.text}"
    if isinstance(command, ivr.Record):
        return "record"
    if isinstance(command, ivr.SetVar):
        if command.name == "sound_prefix":
            return "lang " + command.value.removeprefix("${sound_prefix_").rstrip("}")
        return None if command.name == "timezone" else f"set {command.name}={command.value}"
    if isinstance(command, ivr.Transfer):
        return f"transfer {command.destination}@{command.context}"
    if isinstance(command, ivr.Hangup):
        return "hangup"
    return None  # Answer


def _name(file: str) -> str:
    if file.startswith("tone_stream://"):
        return "beep"
    stem = PurePosixPath(file).stem
    return stem if file.startswith("pbx/") else stem.split("-")[0]  # a recording: its kind


def _digits(command: ivr.GetDigits, typed: str) -> str:
    if command.terminators != "none":
        typed = re.split("[" + re.escape(command.terminators) + "]", typed)[0]
    typed = typed[:command.max_digits]
    ok = len(typed) >= command.min_digits and re.search(command.regex, typed)
    return typed if ok else ""


def respond(command, actions: list):
    """The channel's outcome for ``command`` (the caller's next action when it waits for one)."""
    waits = isinstance(command, (ivr.GetDigits, ivr.Record)) or (isinstance(command, ivr.Play) and command.keys)
    if not waits:
        return ivr.PlaybackDone() if isinstance(command, ivr.Play) else ivr.Done()
    action = actions.pop(0) if actions else HangUp()
    if isinstance(action, HangUp):
        if isinstance(command, ivr.Record) and action.seconds:
            write_wav(Path(command.path), action.seconds)
        return ivr.HungUp()
    if isinstance(command, ivr.Play):
        key = action.digits[:1] if isinstance(action, Press) else ""
        return ivr.PlaybackDone(key if key in command.keys else "")
    if isinstance(command, ivr.GetDigits):
        return ivr.Digits(_digits(command, action.digits) if isinstance(action, Press) else "")
    seconds = action.seconds if isinstance(action, Speak) else 0.0
    write_wav(Path(command.path), seconds)
    return ivr.RecordDone(command.path, seconds, action.key if isinstance(action, Speak) else "")


def converse(script, variables: dict, actions: list, limit: int = 300) -> list[str]:
    """Run a whole call; returns what was heard/done, in order."""
    actions = list(actions)
    engine = ivr.Ivr(script)
    command, heard = engine.start(variables), []
    for _ in range(limit):
        if isinstance(command, ivr.End):
            return heard
        if (word := describe(command)) is not None:
            heard.append(word)
        command = engine.feed(respond(command, actions))
    raise AssertionError(f"call did not end: {heard[-10:]}")


__all__ = ["HangUp", "Listen", "Press", "Speak", "converse", "describe", "respond"]
