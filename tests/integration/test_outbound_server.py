"""The voicemail outbound-socket server against a fake FreeSWITCH playing the channel side.

What the issue calls done: a scripted call leaves a message on a box with room (file + row +
email with the recording attached, received by a real SMTP server + MESSAGE_WAITING sent over
ESL) and is refused on a full box; 8500 → password → 0 → 4 → 1 records a temporary greeting the
next caller hears first, → 4 → 2 removes it; a caller hanging up mid-prompt leaves no greenlet.
"""
from __future__ import annotations

import logging
import socket

import gevent
import pytest
import sqlalchemy as sa
from flask import current_app

from esl_handlers.mwi import install_mwi_sender
from esl_handlers.outbound import build_voicemail_server
from fs_service import mail_queue
from fs_service.db import db
from fs_service.models import Greeting, Mailbox, VoicemailMessage
from fs_service.voicemail import mwi
from tests.factories import make_account, make_extension
from tests.fakes.fake_freeswitch import FakeFreeSwitch
from tests.fakes.fake_outbound import FakeOutboundCall, HangUp, Listen, Press, Speak
from tests.helpers import until
from web.emails import mail_kinds


@pytest.fixture
def switch():
    fake = FakeFreeSwitch(password="esl-secret").start()
    yield fake
    fake.stop()


@pytest.fixture
def service(make_app, tmp_path, smtp_server, switch):
    app = make_app(voicemail_storage=str(tmp_path / "vm"), smtp_port=smtp_server.port,
                   freeswitch_nodes=f"fs1=127.0.0.1:{switch.port}")
    with app.app_context():
        install_mwi_sender(app)
        server = build_voicemail_server(app, "127.0.0.1:0").start()
        account, _ = make_account()
        make_extension(account, "101")
        box = db.session.scalar(sa.select(Mailbox).where(Mailbox.number == "101"))
        box.pin, box.email = "1234", "bob@example.com"
        db.session.commit()
        yield server, account, box
        server.stop()
        mwi.set_sender(None)


def call(server, switch, account, action, actions, **variables):
    """One call from the fake switch: its channel exists there, as a real call's does."""
    values = {"pbx_vm_action": action, "pbx_vm_box": "101", "pbx_vm_domain": account.sip_domain,
              "pbx_vm_greeting": "unavailable", **variables}
    return FakeOutboundCall(server.port, values, list(actions), switch=switch).run()


def sendevents(switch):
    return [c for c in switch.commands if c.startswith("sendevent MESSAGE_WAITING")]


def test_a_scripted_call_leaves_a_message_emailed_with_its_recording_and_the_lamp_lights(
        service, smtp_server, switch):
    server, account, box = service
    sender = gevent.spawn(mail_queue.run_sender_loop, current_app._get_current_object(),
                          mail_kinds(current_app._get_current_object()), 0.05)  # as pbx run does
    try:
        _leave_and_check(server, account, switch, smtp_server)
    finally:
        sender.kill()


def _leave_and_check(server, account, switch, smtp_server):
    fake = call(server, switch, account, "deposit", [Listen(), Listen(), Speak(4), Listen()])
    assert fake.apps[0] == ("answer", "") and fake.apps[-1] == ("hangup", "NORMAL_CLEARING")
    [message] = db.session.scalars(sa.select(VoicemailMessage)).all()
    assert (message.caller_number, message.caller_name, message.duration_seconds) == ("4185551234", "Client Inc", 4)
    recording = until(lambda: smtp_server.messages)[0]
    assert recording["To"] == "bob@example.com" and "4185551234" in recording["Subject"]
    [attachment] = list(recording.iter_attachments())
    assert attachment.get_content_type() == "audio/wav"
    with open(message.audio_path, "rb") as audio:
        assert attachment.get_content() == audio.read()
    lamp = until(lambda: sendevents(switch))[0]
    assert "MWI-Messages-Waiting: yes" in lamp and f"MWI-Message-Account: sip:101@{account.sip_domain}" in lamp
    assert "MWI-Voice-Message: 1/0 (0/0)" in lamp
    db.session.refresh(message)
    assert until(lambda: (db.session.expire_all(), message.emailed_at)[1]) is not None


def test_a_full_box_refuses_the_caller(service, switch, smtp_server):
    server, account, box = service
    box.max_messages = 1
    db.session.add(VoicemailMessage(mailbox_id=box.id, audio_path=None))
    db.session.commit()
    fake = call(server, switch, account, "deposit", [Speak(4)])
    assert ("playback", "pbx/vm-mailbox-full.wav") in fake.apps
    assert not any(app == "record" for app, _ in fake.apps)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(VoicemailMessage)) == 1


def test_8500_options_temporary_greeting_recorded_then_played_first_then_removed(service, switch):
    server, account, box = service
    fake = call(server, switch, account, "login", [Press("1234#"), Press("0"), Press("4"), Press("1"), Speak(3),
                                           Press("2"), Press("*"), Press("*")])
    assert ("playback", "pbx/vm-greeting-saved.wav") in fake.apps
    greeting = db.session.scalar(sa.select(Greeting).where(Greeting.kind == "temporary"))
    deposit = call(server, switch, account, "deposit", [Listen(), Speak(3), Listen()])
    first_playback = next(arg for app, arg in deposit.apps if app == "playback")
    assert first_playback == greeting.audio_path
    call(server, switch, account, "login", [Press("1234#"), Press("0"), Press("4"), Press("2"), Press("*"), Press("*")])
    db.session.expire_all()
    assert db.session.scalar(sa.select(Greeting).where(Greeting.kind == "temporary")) is None
    deposit = call(server, switch, account, "deposit", [Listen(), Listen(), Speak(3), Listen()])
    assert next(arg for app, arg in deposit.apps if app == "playback") == "pbx/vm-person-at-extension.wav"


def test_the_socket_protocol_matches_the_recorded_session(service, switch):
    server, account, box = service
    fake = call(server, switch, account, "login", [Press("1234#"), Press("*")])
    first = fake.sendmsg_headers[0]
    assert first["call-command"] == "execute" and first["event-lock"] == "true"
    uuids = [h["Event-UUID"] for h in fake.sendmsg_headers]
    assert len(set(uuids)) == len(uuids)  # each completion is matched to its own application


def test_hangup_mid_prompt_leaves_no_greenlet_behind(service, switch):
    server, account, box = service
    fake = FakeOutboundCall(server.port, {"pbx_vm_action": "login", "pbx_vm_box": "101",
                                          "pbx_vm_domain": account.sip_domain},
                            [Press("1234#")], hangup_on=("play_and_get_digits", "vm-main-menu"), switch=switch)
    fake.run()
    assert fake.hung_up and fake.closed_by_server
    until(lambda: server.active_calls == 0 and len(server.readers) == 0)
    assert fake.apps[-1][0] == "play_and_get_digits"  # nothing was sent after the hangup


def test_hangup_while_recording_keeps_the_message_with_freeswitchs_length(service, switch):
    server, account, box = service
    fake = call(server, switch, account, "deposit", [Listen(), Listen(), HangUp(seconds=5)])
    assert fake.apps[-1][0] == "record"
    [message] = db.session.scalars(sa.select(VoicemailMessage)).all()
    assert message.duration_seconds == 5
    until(lambda: server.active_calls == 0 and len(server.readers) == 0)


def test_a_tcp_health_check_is_not_logged_as_a_dropped_call_and_calls_go_on(service, switch, caplog):
    server, account, box = service
    caplog.set_level(logging.DEBUG, logger="pbx.esl.outbound")
    probe = socket.create_connection(("127.0.0.1", server.port), timeout=2)
    probe.close()  # what haproxy, keepalived or a tcpSocket probe does
    until(lambda: any("probed" in r.getMessage() for r in caplog.records))
    until(lambda: server.active_calls == 0 and len(server.readers) == 0)
    assert [r.getMessage() for r in caplog.records
            if r.name == "pbx.esl.outbound" and r.levelno >= logging.WARNING] == []

    broken = socket.create_connection(("127.0.0.1", server.port), timeout=2)
    broken.sendall(b"Content-Type: command/re")  # a peer that spoke, then vanished: worth a warning
    broken.close()
    until(lambda: any(r.levelno == logging.WARNING and "dropped during handshake" in r.getMessage()
                      for r in caplog.records))
    assert ("playback", "pbx/vm-mailbox-unavailable.wav") in call(server, switch, account, "something-else", []).apps


def test_an_unknown_action_is_told_the_box_is_unavailable(service, switch):
    server, account, box = service
    fake = call(server, switch, account, "something-else", [])
    assert ("playback", "pbx/vm-mailbox-unavailable.wav") in fake.apps


def test_pbx_run_entry_point_serves_calls_and_stops_with_its_greenlets(make_app, tmp_path, switch):
    import socket

    import gevent

    from esl_handlers.outbound import start_voicemail_server

    with socket.socket() as probe:  # a port from the OS, free once the probe closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = make_app(voicemail_storage=str(tmp_path), voicemail_socket=f"127.0.0.1:{port}",
                   freeswitch_nodes=f"fs1=127.0.0.1:{switch.port}")
    with app.app_context():
        account, _ = make_account()
        greenlets = start_voicemail_server(app)
        try:
            fake = until(lambda: _try_call(port, switch, account))
            assert ("playback", "pbx/vm-mailbox-unavailable.wav") in fake.apps
        finally:
            gevent.killall(greenlets, timeout=2)
            mwi.set_sender(None)
        assert all(g.dead for g in greenlets)


def _try_call(port, switch, account):
    try:
        return FakeOutboundCall(port, {"pbx_vm_action": "deposit", "pbx_vm_box": "999",
                                       "pbx_vm_domain": account.sip_domain}, [], switch=switch).run()
    except OSError:  # not listening yet
        return None
