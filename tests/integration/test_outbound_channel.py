"""OutboundChannel on a socket pair: every wait ends (timeout, hangup grace, closed socket)."""
from __future__ import annotations

import time

import gevent
import gevent.socket
import pytest
from gevent.pool import Group

from esl_handlers.outbound import channel as channel_module
from esl_handlers.outbound.channel import ChannelGone, ChannelTimeout, OutboundChannel
from esl_handlers.protocol import CommandParser, encode_event_plain


@pytest.fixture
def wire():
    ours, theirs = gevent.socket.socketpair()
    readers = Group()
    channel = OutboundChannel(ours, readers)
    yield channel, theirs, readers
    channel.close()
    theirs.close()


def read_command(sock):
    parser = CommandParser()
    while True:
        found = parser.feed(sock.recv(65536))
        if found:
            return found[0]


def complete(app, app_uuid=None, **extra):
    headers = {"Event-Name": "CHANNEL_EXECUTE_COMPLETE", "Application": app, **extra}
    if app_uuid:
        headers["Application-UUID"] = app_uuid
    return encode_event_plain(headers)


def run(job, deadline=5):
    greenlet = gevent.spawn(job)
    greenlet.join(timeout=deadline)
    assert greenlet.ready(), "the wait did not end"
    return greenlet


def test_completion_is_matched_by_our_event_uuid_not_by_name(wire):
    channel, theirs, _ = wire
    job = gevent.spawn(channel.execute, "playback", "a.wav", 5)
    sent = read_command(theirs)
    assert sent.line == "sendmsg" and sent.headers["execute-app-name"] == "playback"
    theirs.sendall(b"Content-Type: command/reply\nReply-Text: +OK\n\n")
    theirs.sendall(complete("playback", "someone-elses-uuid"))  # an older playback finishing
    theirs.sendall(encode_event_plain({"Event-Name": "DTMF", "DTMF-Digit": "#"}))
    theirs.sendall(complete("playback", sent.headers["Event-UUID"], **{"variable_x": "1"}))
    finished = job.get(timeout=5)
    assert finished.dtmf == "#" and finished.complete["variable_x"] == "1"


def test_a_freeswitch_without_application_uuid_is_matched_by_name(wire):
    channel, theirs, _ = wire
    job = gevent.spawn(channel.execute, "answer", "", 5)
    read_command(theirs)
    theirs.sendall(complete("answer"))
    assert job.get(timeout=5).complete["Application"] == "answer"


def test_a_stalled_application_times_out(wire):
    channel, theirs, _ = wire
    started = time.monotonic()
    job = run(lambda: channel.execute("playback", "a.wav", 0.3))
    assert isinstance(job.exception, ChannelTimeout) and time.monotonic() - started < 2


def test_after_a_hangup_the_completion_is_awaited_only_briefly(wire, monkeypatch):
    monkeypatch.setattr(channel_module, "HANGUP_GRACE_SECONDS", 0.2)
    channel, theirs, _ = wire
    job = gevent.spawn(channel.execute, "record", "/r.wav 10", 60)
    read_command(theirs)
    theirs.sendall(encode_event_plain({"Event-Name": "CHANNEL_HANGUP", "Hangup-Cause": "NORMAL_CLEARING"}))
    job.join(timeout=5)
    assert isinstance(job.exception, ChannelGone) and channel.hung_up


def test_a_refused_sendmsg_means_the_channel_is_gone(wire):
    channel, theirs, _ = wire
    job = gevent.spawn(channel.execute, "playback", "a.wav", 5)
    read_command(theirs)
    theirs.sendall(b"Content-Type: command/reply\nReply-Text: -ERR invalid session id [x]\n\n")
    job.join(timeout=5)
    assert isinstance(job.exception, ChannelGone)


def test_a_closed_socket_ends_every_wait_and_the_reader(wire):
    channel, theirs, readers = wire
    job = gevent.spawn(channel.execute, "playback", "a.wav", 60)
    read_command(theirs)
    theirs.close()
    job.join(timeout=5)
    assert isinstance(job.exception, ChannelGone)
    gevent.sleep(0)
    assert len(readers) == 0


def test_a_hangup_noticed_between_applications_sends_nothing_more(wire):
    channel, theirs, _ = wire
    theirs.sendall(encode_event_plain({"Event-Name": "CHANNEL_HANGUP"}))
    gevent.sleep(0.05)
    job = run(lambda: channel.execute("playback", "a.wav", 5))
    assert isinstance(job.exception, ChannelGone)
    theirs.settimeout(0.1)
    with pytest.raises(OSError):
        theirs.recv(1)  # no sendmsg was written
