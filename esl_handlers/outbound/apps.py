"""IVR commands (fs_service.ivr, data) → the dialplan applications that carry them out, and the
finished application's event → the IVR outcome. Pure, so every quirk is tested as data:

- ``playback`` stops on a key only if the key is in ``playback_terminators`` (default "*",
  mod_dptools on_dtmf), so each Play/Record sets it first; "none" holds no DTMF digit.
- ``play_and_get_digits`` splits its arguments on spaces and keeps the digits in a channel
  variable, which stays set for the rest of the call (see the recorded transcript: later
  events still carry ``variable_vm_digits``) -- hence one fresh variable per command.
- ``record`` reports its length in ``variable_record_ms`` of its CHANNEL_EXECUTE_COMPLETE
  (cleared before each recording, since it too outlives the application).
- Several prompts play as one ``file_string://a!b`` (one application, one interruption).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from fs_service.ivr import commands as c, events as e

NO_KEYS = "none"
LONG_PROMPT_SECONDS = 600.0  # a prompt's length is unknown here; a stalled switch still ends


@dataclass(frozen=True)
class AppCall:
    name: str
    arg: str
    timeout: float


def _no_space(value: str, what: str) -> str:
    if not value or any(ch.isspace() for ch in value):
        raise ValueError(f"{what} must be one word for FreeSWITCH: {value!r}")
    return value


def files_arg(files: tuple[str, ...]) -> str:
    if not files:
        raise ValueError("nothing to play")
    if len(files) == 1:
        return files[0]
    if any("!" in f for f in files):
        raise ValueError(f"'!' separates file_string parts: {files!r}")
    return "file_string://" + "!".join(files)


def app_calls(command: c.Command, digits_variable: str) -> list[AppCall]:
    """The applications for ``command``; ``digits_variable`` is fresh for each GetDigits."""
    if isinstance(command, c.Answer):
        return [AppCall("answer", "", 10)]
    if isinstance(command, c.SetVar):
        return [AppCall("set", f"{_no_space(command.name, 'variable')}={command.value}", 5)]
    if isinstance(command, c.Play):
        return [AppCall("set", f"playback_terminators={command.keys or NO_KEYS}", 5),
                AppCall("playback", files_arg(command.files), LONG_PROMPT_SECONDS)]
    if isinstance(command, c.GetDigits):
        return [AppCall("play_and_get_digits", _digits_arg(command, digits_variable), LONG_PROMPT_SECONDS)]
    if isinstance(command, c.Say):
        words = [command.language, command.kind, command.method, *([command.gender] if command.gender else []),
                 command.text]
        return [AppCall("say", " ".join(_no_space(w, "say argument") for w in words), 60)]
    if isinstance(command, c.Record):
        arg = f"{_no_space(command.path, 'path')} {command.max_seconds} {command.silence_threshold} " \
              f"{command.silence_seconds}"
        # record_ms cleared first: a failed record (folder missing) must not report the last length
        return [AppCall("multiset", f"playback_terminators={command.terminators or NO_KEYS} record_ms=", 5),
                AppCall("record", arg, command.max_seconds + 30.0)]
    if isinstance(command, c.Transfer):
        arg = f"{_no_space(command.destination, 'destination')} XML {_no_space(command.context, 'context')}"
        return [AppCall("transfer", arg, 10)]
    if isinstance(command, c.Bridge):
        return [AppCall("bridge", _no_space(command.endpoint, "endpoint"), 4 * 3600)]
    if isinstance(command, c.Hangup):
        return [AppCall("hangup", _no_space(command.cause, "cause"), 10)]
    raise TypeError(f"no application for {type(command).__name__}")


def _digits_arg(command: c.GetDigits, variable: str) -> str:
    invalid = command.invalid_file or "silence_stream://250"
    parts = [str(command.min_digits), str(command.max_digits), str(command.tries), str(command.timeout_ms),
             command.terminators or NO_KEYS, files_arg(command.files), invalid, variable, command.regex,
             str(command.digit_timeout_ms)]
    return " ".join(_no_space(part, "play_and_get_digits argument") for part in parts)


def outcome(command: c.Command, complete: Mapping[str, str] | None, dtmf: str,
            digits_variable: str) -> e.Event:
    """The IVR event for a finished command: ``complete`` holds the headers of the last
    application's CHANNEL_EXECUTE_COMPLETE, ``dtmf`` the keys seen while it ran."""
    headers = complete or {}
    if isinstance(command, c.Play):
        return e.PlaybackDone(next((d for d in dtmf if d in command.keys), ""))
    if isinstance(command, c.GetDigits):
        ok = headers.get("variable_read_result", "success") == "success"
        return e.Digits(headers.get(f"variable_{digits_variable}", "") if ok else "")
    if isinstance(command, c.Record):
        try:
            seconds = int(headers.get("variable_record_ms", "0")) / 1000.0
        except ValueError:
            seconds = 0.0
        return e.RecordDone(command.path, seconds, next((d for d in dtmf if d in command.terminators), ""))
    return e.Done()
