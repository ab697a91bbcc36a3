"""Voicemail on the real switches: a call nobody answers ends in the box, the message is kept,
emailed and lights the phone's lamp; the owner dials 8500 and listens to it (VM-1..6).

102's phone rings and never answers (peer dialplan). 101 calls it; after 102's ring time the
switch under test hands the call to the voicemail service of ``pbx run`` (outbound socket).
The caller skips the greeting with # and "speaks" a 4-second tone, then hangs up -- which is
how most people send. What is checked is what really happened: the applications the switch
executed (``CHANNEL_EXECUTE``), the recorded file on disk and its audio, the message row and
its audio through the API, the email the SMTP server received, the message-summary NOTIFYs
phone 102 received (the peer logs the SIP it receives), and the file the switch played back
(``PLAYBACK_STOP``) when 102 listened.
"""
from __future__ import annotations

import io
import math
import re
import urllib.request
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path

import pytest

from .calls import originate
from .esl_client import EslClient
from .rig import wait_for
from .world import ACME

RING_SECONDS = 4
TONE_SECONDS = 4
RATE = 8000


@dataclass
class Deposit:
    box: dict  # the API row of 102's mailbox, before the call
    path: Path  # where the switch recorded (the record application's file)
    message: dict  # the API row of the message left
    executed: list[tuple[str, str]]  # (application, data) the switch ran on the caller's leg
    notifies_from: int  # offset of the peer log before the call


def _tone(path: Path, seconds: float) -> Path:
    """A steady 440 Hz tone: loud enough that the record application never hears silence."""
    samples = array("h", (int(0.3 * 32767 * math.sin(2 * math.pi * 440 * i / RATE))
                          for i in range(int(RATE * seconds))))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())
    return path


def _seconds_and_loudness(data: bytes) -> tuple[float, float]:
    """(duration, RMS of the 16-bit samples) of a WAV file."""
    with wave.open(io.BytesIO(data)) as audio:
        assert (audio.getsampwidth(), audio.getnchannels()) == (2, 1)
        samples = array("h", audio.readframes(audio.getnframes()))
        seconds = audio.getnframes() / audio.getframerate()
    return seconds, math.sqrt(sum(s * s for s in samples) / max(len(samples), 1))


def _next_execute(events: EslClient, application: str, data: str = "", seen: list | None = None,
                  timeout: float = 20.0) -> dict:
    """The next ``CHANNEL_EXECUTE`` of ``application`` whose data contains ``data``."""
    def next_one():
        event = events.next_event(0.5)
        if event is None:
            return None
        found = (event.get("Application", ""), event.get("Application-Data", ""))
        if seen is not None:
            seen.append(found)
        return event if found[0] == application and data in found[1] else None
    return wait_for(next_one, timeout, interval=0, what=f"the switch to execute {application} {data}")


def _mailbox(rig, world, number: str) -> dict:
    return next(b for b in rig.operator.get(f"/accounts/{world.acme.id}/mailboxes") if b["number"] == number)


def _notifies(rig, gateway: str, since: int) -> list[str]:
    """The message-summary NOTIFYs the peer received for ``gateway`` (a phone) after ``since``."""
    with open(rig.peer.log_file, "rb") as log:
        log.seek(since)
        text = log.read().decode("utf-8", "replace")
    blocks = re.split(r"^(?=recv \d+ bytes|send \d+ bytes)", text, flags=re.MULTILINE)
    return [b for b in blocks if b.startswith("recv ") and f"NOTIFY sip:gw+{gateway}@" in b
            and "Event: message-summary" in b]


def _lamp(rig, gateway: str, since: int, new: int, saved: int) -> str:
    """The NOTIFY telling the phone it has ``new`` new and ``saved`` saved messages."""
    waiting = "yes" if new else "no"

    def found():
        return [n for n in _notifies(rig, gateway, since)
                if f"Messages-Waiting: {waiting}" in n and f"Voice-Message: {new}/{saved} " in n]
    return wait_for(found, 15, what=f"a NOTIFY Messages-Waiting: {waiting} {new}/{saved} to {gateway}")[-1]


@pytest.fixture(scope="module")
def deposit(rig, world):
    """101 calls 102, nobody answers, 101 leaves a 4-second message and hangs up. Afterwards
    the message is deleted and 102's ring time restored: the session's other scenarios find
    102 as the world built it."""
    settings = f"/accounts/{world.acme.id}/extensions/{world.acme.extensions['102']['id']}/settings"
    ring_seconds = rig.operator.get(settings)["ring_seconds"]
    rig.operator.patch(settings, {"ring_seconds": RING_SECONDS})
    try:
        left = _leave_a_message(rig, world)
        yield left
        rig.operator.delete(f"/accounts/{world.acme.id}/mailboxes/{left.box['id']}/messages/{left.message['id']}")
    finally:
        rig.operator.patch(settings, {"ring_seconds": ring_seconds})


def _leave_a_message(rig, world) -> Deposit:
    box = _mailbox(rig, world, "102")
    before = {m["id"] for m in rig.operator.get(f"/accounts/{world.acme.id}/mailboxes/{box['id']}/messages")}
    tone = _tone(rig.root / "caller-speaks.wav", TONE_SECONDS)
    notifies_from = rig.peer.log_file.stat().st_size
    executed: list[tuple[str, str]] = []
    events, spoken = rig.sut.events("CHANNEL_EXECUTE"), rig.peer.events("PLAYBACK_STOP")
    try:
        caller = originate(rig.peer, "acme101", "102", "&playback(silence_stream://-1)", caller_number="101")
        _next_execute(events, "bridge", f"user/102@{ACME}", executed)
        _next_execute(events, "socket", "async full", executed, timeout=RING_SECONDS + 10)
        _next_execute(events, "playback", "vm-person-at-extension", executed)
        rig.peer.api(f"uuid_send_dtmf {caller} #")  # skip the greeting: straight to the tone
        record = _next_execute(events, "record", "", executed)
        rig.peer.api(f"uuid_broadcast {caller} {tone} aleg")
        wait_for(lambda: (e := spoken.next_event(0.5)) and e.get("Playback-File-Path") == str(tone),
                 TONE_SECONDS + 10, interval=0, what="the caller to finish speaking")
        rig.peer.api(f"uuid_kill {caller}")
    finally:
        events.close()
        spoken.close()
    messages = f"/accounts/{world.acme.id}/mailboxes/{box['id']}/messages"
    [message] = wait_for(lambda: [m for m in rig.operator.get(messages) if m["id"] not in before],
                         what="the message row")
    return Deposit(box, Path(record["Application-Data"].split()[0]), message, executed, notifies_from)


def test_an_unanswered_call_reaches_the_voicemail_service_after_the_ring_time(deposit):
    """The switch rang 102 for its ring time, then ran our socket, which answered, played the
    default greeting ("the person at extension ...", skipped with #) and recorded into the
    account's folder of the box."""
    apps = [app for app, _ in deposit.executed]
    assert apps.index("bridge") < apps.index("socket") < apps.index("answer") < apps.index("record")
    assert ("set", "pbx_vm_box=102") in deposit.executed and ("set", f"call_timeout={RING_SECONDS}") in deposit.executed
    greeting = [data for app, data in deposit.executed if app == "playback" and "vm-person-at-extension" in data]
    assert greeting, deposit.executed  # "the person at extension ..." (interrupted by the caller's #)
    assert deposit.path.parent.parts[-2:] == (ACME, "102") and deposit.path.name.startswith("msg-")


def test_the_message_is_recorded_kept_emailed_and_lights_the_phones_lamp(rig, world, deposit):
    """A WAV of the caller's 4 seconds on disk, a new message from 101 in the API whose audio
    is that file, an email to Chloé with the same file attached, and a message-summary NOTIFY
    with Messages-Waiting: yes received by phone 102."""
    recorded = deposit.path.read_bytes()
    seconds, loudness = _seconds_and_loudness(recorded)
    assert TONE_SECONDS - 1.5 < seconds < TONE_SECONDS + 2, seconds
    assert loudness > 1000, loudness  # the tone, not silence

    message = deposit.message
    assert (message["folder"], message["caller_number"]) == ("new", "101")
    assert message["duration_seconds"] >= 2
    audio = urllib.request.Request(
        f"{rig.cp.url}/api/v1/accounts/{world.acme.id}/mailboxes/{deposit.box['id']}/messages/{message['id']}/audio",
        headers={"Authorization": f"Bearer {rig.operator.token}"})
    with urllib.request.urlopen(audio, timeout=30) as reply:
        assert (reply.headers.get_content_type(), reply.read()) == ("audio/wav", recorded)

    def emailed():
        return [m for m in rig.smtp.messages if m["To"] == "chloe@acme.test"
                and any(a.get_payload(decode=True) == recorded for a in m.iter_attachments())]
    [email] = wait_for(emailed, what="the email with the recording to chloe@acme.test")
    [attachment] = list(email.iter_attachments())
    assert attachment.get_content_type() == "audio/wav" and "101" in email["Subject"]

    box = _mailbox(rig, world, "102")
    notify = _lamp(rig, "acme102", deposit.notifies_from, box["new"], box["messages"] - box["new"])
    assert f"Message-Account: sip:102@{ACME}" in notify


def test_the_owner_dials_8500_gives_the_pin_hears_the_message_and_saves_it(rig, world, deposit):
    """102 dials 8500 from its own phone: only the PIN is asked; 1 plays the new messages --
    the switch plays the very file recorded, to the end -- and 2 saves it: the API shows it
    saved and the phone gets a NOTIFY with one new message fewer."""
    pin = _mailbox(rig, world, "102")["pin"]
    since = rig.peer.log_file.stat().st_size
    events = rig.sut.events("CHANNEL_EXECUTE", "PLAYBACK_STOP")
    try:
        owner = originate(rig.peer, "acme102", "8500", caller_number="102")
        _next_execute(events, "play_and_get_digits", "vm-enter-password")
        rig.peer.api(f"uuid_send_dtmf {owner} {pin}#")
        _next_execute(events, "play_and_get_digits", "vm-main-menu")
        rig.peer.api(f"uuid_send_dtmf {owner} 1")
        _next_execute(events, "playback", str(deposit.path))

        def played_to_the_end():
            event = events.next_event(0.5)
            return event if event and event.get("Event-Name") == "PLAYBACK_STOP" \
                and event.get("Playback-File-Path") == str(deposit.path) else None
        stop = wait_for(played_to_the_end, TONE_SECONDS + 10, interval=0, what="the message played")
        assert stop.get("Playback-Status") == "done"
        _next_execute(events, "play_and_get_digits", "vm-message-menu")
        rig.peer.api(f"uuid_send_dtmf {owner} 2")
        _next_execute(events, "playback", "vm-saved")
    finally:
        events.close()
    path = f"/accounts/{world.acme.id}/mailboxes/{deposit.box['id']}/messages/{deposit.message['id']}"
    wait_for(lambda: rig.operator.get(path)["folder"] == "saved", what="the message saved")
    box = _mailbox(rig, world, "102")
    _lamp(rig, "acme102", since, box["new"], box["messages"] - box["new"])
