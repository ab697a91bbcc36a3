"""The voicemail service restarts while a caller is leaving a message, or does not take the call
(issue 16.2).

The switch records, not the service: when ``pbx run`` is stopped two seconds into the
recording, FreeSWITCH goes on recording until the caller is silent, then the dialplan's
fallback tells the caller the message was delivered; when the control plane is back, the
message is filed in the box (the whole recording, including what was said while the service
was down) and emailed with that recording attached.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from .calls import originate, wait_gone
from .ports import free_port
from .rig import wait_for
from .test_voicemail import RING_SECONDS, _mailbox, _next_execute, _seconds_and_loudness, _tone

SPOKEN_SECONDS = 8  # the caller speaks this long; the service is stopped 2 s in


@pytest.fixture
def short_ring(rig, world):
    settings = f"/accounts/{world.acme.id}/extensions/{world.acme.extensions['102']['id']}/settings"
    ring_seconds = rig.operator.get(settings)["ring_seconds"]
    rig.operator.patch(settings, {"ring_seconds": RING_SECONDS})
    yield
    rig.operator.patch(settings, {"ring_seconds": ring_seconds})


def _record_through_a_restart(rig) -> tuple[Path, float]:
    """101 → 102, skips the greeting, speaks SPOKEN_SECONDS; the control plane is stopped 2 s
    into the recording and started again once the switch has finished recording, told the
    caller the message was delivered and hung up. Returns the recording's path and how many
    seconds of it were spoken while the service was down."""
    tone = _tone(rig.root / "caller-speaks-long.wav", SPOKEN_SECONDS)
    events = rig.sut.events("CHANNEL_EXECUTE", "CHANNEL_EXECUTE_COMPLETE")
    try:
        caller = originate(rig.peer, "acme101", "102", "&playback(silence_stream://-1)", caller_number="101")
        _next_execute(events, "socket", "async full", timeout=RING_SECONDS + 10)
        _next_execute(events, "playback", "vm-person-at-extension")
        rig.peer.api(f"uuid_send_dtmf {caller} #")
        record = _next_execute(events, "record")
        rig.peer.api(f"uuid_broadcast {caller} {tone} aleg")
        time.sleep(2)
        stopped = time.monotonic()
        rig.cp.stop()
        try:
            # the switch ends the recording on the caller's silence, with no service to ask
            wait_for(lambda: (e := events.next_event(0.5)) and e.get("Event-Name") == "CHANNEL_EXECUTE_COMPLETE"
                     and e.get("Application") == "record", SPOKEN_SECONDS + 15, interval=0,
                     what="the switch to finish recording on its own")
            down_for = time.monotonic() - stopped
            # then the dialplan goes on after ``socket``: the deposit had set what to say
            said = wait_for(lambda: (e := events.next_event(0.5)) and e.get("Event-Name") == "CHANNEL_EXECUTE_COMPLETE"
                            and e.get("Application") == "playback" and e, 15, interval=0,
                            what="the switch's own last words")
            assert (said["Application-Data"], said["Application-Response"]) == (
                "pbx/vm-message-sent.wav", "FILE PLAYED"), said
            wait_gone(rig.peer, caller)  # and hung up
        finally:
            rig.cp.start()
    finally:
        events.close()
    return Path(record["Application-Data"].split()[0]), down_for


def test_a_message_recorded_while_the_service_restarts_reaches_the_box_and_the_email(rig, world, short_ring):
    box = _mailbox(rig, world, "102")
    messages = f"/accounts/{world.acme.id}/mailboxes/{box['id']}/messages"
    before = {m["id"] for m in rig.operator.get(messages)}
    path, down_for = _record_through_a_restart(rig)

    recorded = path.read_bytes()
    seconds, loudness = _seconds_and_loudness(recorded)
    assert seconds >= SPOKEN_SECONDS - 1 and down_for > SPOKEN_SECONDS - 2, (seconds, down_for)
    assert loudness > 1000, loudness  # the caller's tone, recorded while nobody drove the call

    [message] = wait_for(lambda: [m for m in rig.operator.get(messages) if m["id"] not in before], 60,
                         what="the message filed once the service is back")
    try:
        assert message["folder"] == "new" and message["duration_seconds"] >= SPOKEN_SECONDS - 1, message

        def emailed():
            return [m for m in rig.smtp.messages if m["To"] == "chloe@acme.test"
                    and any(a.get_payload(decode=True) == recorded for a in m.iter_attachments())]
        assert len(wait_for(emailed, 30, what="the email with the whole recording")) == 1
        time.sleep(1)
        assert [m["id"] for m in rig.operator.get(messages) if m["id"] not in before] == [message["id"]]
    finally:
        rig.operator.delete(f"{messages}/{message['id']}")


def _restart_control_plane(rig, **env: str) -> None:
    """Stop ``pbx run``, change its environment, start it again."""
    rig.cp.stop()
    rig.cp.env.update(env)
    rig.cp.start()


def test_a_caller_the_voicemail_service_does_not_take_hears_the_switchs_own_prompt(rig, world, short_ring):
    """The voicemail service answers the switch's connection but cannot take the call (here: it
    cannot prove the channel, its only node is somewhere else) and closes it: ``socket`` returns
    and the dialplan's fallback answers, plays "our voicemail is briefly unavailable" and hangs
    up -- no silence, and no message. (Closing *before* ``connect`` would not do: seen on 1.11.1,
    the ``socket`` application then waits in silence until the caller hangs up.)"""
    box = _mailbox(rig, world, "102")
    messages = f"/accounts/{world.acme.id}/mailboxes/{box['id']}/messages"
    before = rig.operator.get(messages)
    nodes = rig.cp.env["PBX_FREESWITCH_NODES"]
    _restart_control_plane(rig, PBX_FREESWITCH_NODES="fs1=192.0.2.1:8021")  # TEST-NET: not the switch
    try:
        events = rig.sut.events("CHANNEL_EXECUTE_COMPLETE")
        try:
            caller = originate(rig.peer, "acme101", "102", "&playback(silence_stream://-1)", caller_number="101")
            played = wait_for(lambda: (e := events.next_event(0.5)) and e.get("Application") == "playback"
                              and e, RING_SECONDS + 20, interval=0, what="the fallback prompt")
            assert played["Application-Data"] == "pbx/vm-service-unavailable.wav", played["Application-Data"]
            assert played["Application-Response"] == "FILE PLAYED", played["Application-Response"]
            wait_gone(rig.peer, caller)  # the switch hung up after the prompt
        finally:
            events.close()
    finally:
        _restart_control_plane(rig, PBX_FREESWITCH_NODES=nodes)
    assert rig.operator.get(messages) == before


def test_with_the_voicemail_service_down_socket_returns_and_the_fallback_speaks(rig):
    """The production layout's other case: ``pbx voicemail`` is down (connection refused) while
    the web still answers xml_curl. Seen on the switch under test with the very actions our
    dialplan gives a deposit (xml_curl/dialplan.py ``_voicemail_socket`` and its fallback), the
    socket address being a port nobody listens on: ``socket`` fails, logs and returns, and the
    caller hears the unavailable prompt instead of silence."""
    closed = free_port()  # handed out once and never bound: connecting to it is refused
    actions = ",".join([
        "set:pbx_vm_fallback=pbx/vm-service-unavailable.wav",
        f"socket:127.0.0.1:{closed} async full",
        "answer", "playback:${pbx_vm_fallback}", "hangup"])
    events = rig.sut.events("CHANNEL_EXECUTE_COMPLETE")
    try:
        # The B leg of the loopback pair answers and waits; the A leg runs the actions.
        reply = rig.sut.api(f"bgapi originate {{ignore_early_media=true}}loopback/answer\\,sleep:20000/default/inline "
                            f"'{actions}' inline")
        assert reply.startswith("+OK"), reply
        done = {}
        while "playback" not in done:
            event = events.next_event(15)
            assert event is not None, f"no playback after socket; saw {done}"
            done[event.get("Application")] = (event.get("Application-Data"), event.get("Application-Response"))
        assert "socket" in done, done
        assert done["playback"] == ("pbx/vm-service-unavailable.wav", "FILE PLAYED"), done
    finally:
        events.close()
