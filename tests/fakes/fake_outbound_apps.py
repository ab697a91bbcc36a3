"""How the fake outbound FreeSWITCH runs each dialplan application (see fake_outbound.py)."""
from __future__ import annotations

import math
import re
import struct
import wave
from pathlib import Path


def write_wav(path: Path, seconds: float, rate: int = 8000) -> None:
    """What `record` leaves behind: 8 kHz mono 16-bit audio (a tone, so it is not silence)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / rate)))
                      for n in range(int(seconds * rate)))
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(frames)


class AppRunner:
    def __init__(self, call) -> None:
        self.call = call

    def execute(self, headers: dict[str, str]) -> None:
        from tests.fakes.fake_outbound import HangUp

        call = self.call
        app, arg = headers.get("execute-app-name", ""), headers.get("execute-app-arg", "")
        app_uuid = headers.get("Event-UUID", "")
        call.apps.append((app, arg))
        done = {"Application": app, "Application-Data": arg, "Application-UUID": app_uuid}
        call.event("CHANNEL_EXECUTE", **done)
        if call.hangup_on and app == call.hangup_on[0] and call.hangup_on[1] in arg:
            self._hang_up_during(done)
            return
        handler = getattr(self, f"_{app}", None)
        response = handler(arg) if handler else "_none_"
        if isinstance(response, HangUp):
            self._hang_up_during(done)
            return
        call.event("CHANNEL_EXECUTE_COMPLETE", **done, **{"Application-Response": response or "_none_"})
        if app == "hangup":
            call.finish_hangup()

    def _hang_up_during(self, done: dict[str, str]) -> None:
        self.call.hang_up()
        self.call.event("CHANNEL_EXECUTE_COMPLETE", **done, **{"Application-Response": "_none_"})
        self.call.finish_hangup()

    def _dtmf(self, digits: str) -> None:
        for digit in digits:
            self.call.event("DTMF", **{"DTMF-Digit": digit, "DTMF-Duration": "2000", "DTMF-Source": "RTP"})

    # -- applications --------------------------------------------------------------------
    def _answer(self, arg: str):
        self.call.event("CHANNEL_ANSWER")

    def _set(self, arg: str):
        name, _, value = arg.partition("=")
        if value:
            self.call.channel_vars[name] = value
        else:
            self.call.channel_vars.pop(name, None)

    def _multiset(self, arg: str):
        for item in arg.split():
            self._set(item)

    def _hangup(self, arg: str):
        self.call.hang_up()

    def _playback(self, arg: str):
        from tests.fakes.fake_outbound import HangUp, Press

        terminators = self.call.channel_vars.get("playback_terminators", "*")
        if terminators == "none":
            return "FILE PLAYED"
        action = self.call.next_action()
        if isinstance(action, HangUp):
            return action
        if isinstance(action, Press):
            self._dtmf(action.digits[:1])  # a terminator stops the file, any other key is ignored
        return "FILE PLAYED"

    def _play_and_get_digits(self, arg: str):
        from tests.fakes.fake_outbound import HangUp, Press

        parts = arg.split(" ")
        min_digits, max_digits, terminators, variable, regex = int(parts[0]), int(parts[1]), parts[4], \
            parts[7], parts[8]
        action = self.call.next_action()
        if isinstance(action, HangUp):
            return action
        typed = action.digits if isinstance(action, Press) else ""
        self._dtmf(typed)
        digits = typed
        for index, digit in enumerate(typed):
            if digit in terminators and terminators != "none":
                digits = typed[:index]
                break
        digits = digits[:max_digits]
        ok = len(digits) >= min_digits and re.search(regex, digits) is not None
        self.call.channel_vars["read_result"] = "success" if ok else "failure"
        if ok:
            self.call.channel_vars[variable] = digits
        return "_none_"

    def _record(self, arg: str):
        from tests.fakes.fake_outbound import HangUp, Speak

        path, max_seconds = arg.split(" ")[0], int(arg.split(" ")[1])
        action = self.call.next_action()
        if isinstance(action, HangUp):
            if action.seconds:
                write_wav(self.call.recording_path(path), action.seconds)
                self.call.channel_vars["record_ms"] = str(int(action.seconds * 1000))
            return action
        seconds = min(action.seconds, max_seconds) if isinstance(action, Speak) else 0.0
        write_wav(self.call.recording_path(path), seconds)
        self.call.channel_vars["record_ms"] = str(int(seconds * 1000))
        if isinstance(action, Speak) and action.key:
            self._dtmf(action.key)
        return "_none_"
