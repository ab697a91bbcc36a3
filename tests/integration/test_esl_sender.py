"""send_api_batch against the fake FreeSWITCH, and the fake against the recorded wire format.

Everything runs in gevent greenlets (no monkey patching needed): each batch is spawned and
joined with a hard deadline, so a hang fails the test instead of stalling the run.
"""
import logging
import re
import socket
import time
from pathlib import Path

import gevent
import gevent.socket
import pytest

from esl_handlers.commands import xml_flush_cache
from esl_handlers.protocol import EslParser, encode_command
from esl_handlers.sender import EslUnavailable, send_api_batch
from fs_service.settings import NodeConfig
from fs_service.switch_commands import CommandResult
from tests.fakes.fake_freeswitch import FakeFreeSwitch, wait_for

ESL = Path(__file__).resolve().parent.parent / "fixtures" / "esl"
PASSWORD = "s3cret-Pw"


@pytest.fixture
def fake():
    server = FakeFreeSwitch(password=PASSWORD).start()
    yield server
    server.stop()


def node_for(fake, password=PASSWORD):
    return NodeConfig("fs1", "127.0.0.1", fake.port, password)


def run_batch(node, commands, deadline=10.0, **timeouts):
    """Run send_api_batch in its own greenlet; returns (result or exception, seconds)."""
    def call():
        try:
            return send_api_batch(node, commands, **timeouts)
        except Exception as error:  # returned, so gevent does not print it as a crash
            return error

    started = time.monotonic()
    job = gevent.spawn(call)
    job.join(timeout=deadline)
    assert job.ready(), "send_api_batch hung"
    return job.value, time.monotonic() - started


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- send_api_batch -----------------------------------------------------------------------

def test_batch_of_two_flushes_arrives_in_order_and_results_are_parsed(fake):
    fake.set_reply("xml_flush_cache id 102", "+OK cleared 0 entries\n")
    commands = [xml_flush_cache("101", "acme.test"), xml_flush_cache("102", "acme.test")]
    results, _ = run_batch(node_for(fake), commands)
    assert results == [CommandResult(True, "+OK cleared 1 entry"), CommandResult(True, "+OK cleared 0 entries")]
    assert fake.api_commands() == ["xml_flush_cache id 101 acme.test", "xml_flush_cache id 102 acme.test"]
    assert fake.commands == [f"auth {PASSWORD}", "api xml_flush_cache id 101 acme.test",
                             "api xml_flush_cache id 102 acme.test", "exit"]


def test_batch_uses_one_connection_and_closes_it(fake):
    run_batch(node_for(fake), ["status", "status", "status"])
    assert fake.commands.count(f"auth {PASSWORD}") == 1
    wait_for(lambda: fake.client_count == 0)


def test_error_reply_is_a_failed_result_not_an_exception(fake):
    results, _ = run_batch(node_for(fake), ["nosuchcommand", "status"])
    assert results[0] == CommandResult(False, "-ERR nosuchcommand Command not found!")
    assert results[1].ok and results[1].body.startswith("UP 0 years")


def test_empty_batch_opens_no_connection(fake):
    assert run_batch(node_for(fake), [])[0] == []
    assert fake.commands == []


def test_multi_line_command_is_refused_before_connecting(fake):
    error, _ = run_batch(node_for(fake), ["status\n\nexit"])
    assert isinstance(error, ValueError)
    assert fake.commands == []


def test_wrong_password_is_unavailable_quickly_and_never_shown(fake, caplog):
    caplog.set_level(logging.DEBUG)
    error, seconds = run_batch(node_for(fake, password="wrong-Pw"), ["status"])
    assert isinstance(error, EslUnavailable)
    assert error.node_name == "fs1" and "authentication" in error.reason
    assert seconds < 1.0
    assert "wrong-Pw" not in str(error) and "wrong-Pw" not in caplog.text
    wait_for(lambda: fake.client_count == 0)


def test_refused_auth_is_unavailable(fake):
    fake.refuse_auth = True
    error, _ = run_batch(node_for(fake), ["status"])
    assert isinstance(error, EslUnavailable)
    assert fake.api_commands() == []


def test_nothing_listening_is_unavailable_within_the_connect_timeout():
    node = NodeConfig("fs9", "127.0.0.1", free_port(), PASSWORD)
    error, seconds = run_batch(node, ["status"], connect_timeout=0.5)
    assert isinstance(error, EslUnavailable) and error.node_name == "fs9"
    assert seconds < 1.5


def test_switch_that_never_greets_is_unavailable_within_the_connect_timeout(fake):
    fake.hold_greeting = True
    error, seconds = run_batch(node_for(fake), ["status"], connect_timeout=0.5)
    assert isinstance(error, EslUnavailable)
    assert 0.4 < seconds < 1.5


def test_slow_reply_is_unavailable_within_the_command_timeout_not_a_hang(fake):
    fake.delay_replies = 5.0
    error, seconds = run_batch(node_for(fake), ["status"], command_timeout=0.5)
    assert isinstance(error, EslUnavailable) and "no reply" in error.reason
    assert 0.4 < seconds < 1.5
    wait_for(lambda: fake.client_count == 0)


def test_reply_slower_than_usual_but_within_the_timeout_still_succeeds(fake):
    fake.delay_replies = 0.3
    results, seconds = run_batch(node_for(fake), ["status"], command_timeout=2.0)
    assert results[0].ok and seconds >= 0.3


def test_connection_dropped_mid_batch_fails_fast_with_completed_results(fake):
    def drop(cmd):
        fake.drop_connections()
        return "+OK never sent\n"

    fake.set_reply("xml_flush_cache id 102", drop)
    commands = [xml_flush_cache("101", "acme.test"), xml_flush_cache("102", "acme.test"), "status"]
    error, seconds = run_batch(node_for(fake), commands, command_timeout=5.0)
    assert isinstance(error, EslUnavailable) and "closed" in error.reason
    assert seconds < 2.0
    assert error.completed == [CommandResult(True, "+OK cleared 1 entry")]


def test_concurrent_batches_each_get_their_own_answers(fake):
    fake.set_reply(re.compile(r"xml_flush_cache id (\d+)"), lambda cmd: f"+OK {cmd.split()[2]}\n")
    node = node_for(fake)
    jobs = [gevent.spawn(send_api_batch, node, [xml_flush_cache(u, "acme.test")]) for u in ("100", "101", "102")]
    gevent.joinall(jobs, timeout=5, raise_error=True)
    assert [j.value[0].body for j in jobs] == ["+OK 100", "+OK 101", "+OK 102"]


def test_one_log_line_per_batch_without_the_password(fake, caplog):
    caplog.set_level(logging.INFO, logger="pbx.esl")
    run_batch(node_for(fake), [xml_flush_cache("101", "acme.test")])
    records = [r for r in caplog.records if r.name == "pbx.esl"]
    assert len(records) == 1
    assert records[0].esl_node == "fs1" and records[0].esl_outcome == "sent"
    assert PASSWORD not in caplog.text


# -- the fake speaks the recorded wire format -----------------------------------------------

class RawClient:
    """A bare ESL client on a gevent socket, reading frames with our parser."""

    def __init__(self, port):
        self.sock = gevent.socket.create_connection(("127.0.0.1", port), timeout=2)
        self.parser, self.frames, self.raw = EslParser(), [], b""

    def send(self, cmd, headers=None):
        self.sock.sendall(encode_command(cmd, headers))

    def next_frame(self, timeout=2.0):
        with gevent.Timeout(timeout):
            while not self.frames:
                data = self.sock.recv(65536)
                assert data, "connection closed"
                self.raw += data
                self.frames += self.parser.feed(data)
        return self.frames.pop(0)

    def login(self, password=PASSWORD, events="BACKGROUND_JOB CUSTOM sofia::register"):
        assert self.next_frame().content_type == "auth/request"
        self.send(f"auth {password}")
        assert self.next_frame().reply_text == "+OK accepted"
        if events:
            self.send(f"event plain {events}")
            assert self.next_frame().reply_text == "+OK event listener enabled plain"
        self.raw = b""
        return self


def recorded_api_frames():
    data = (ESL / "api-transcript" / "api-transcript-freeswitch-to-client.esl").read_bytes()
    return data, [f for f in EslParser().feed(data) if f.content_type == "api/response"]


def test_fake_api_replies_are_byte_identical_to_the_recording(fake):
    data, _ = recorded_api_frames()
    client = RawClient(fake.port).login(events=None)
    fake.set_reply("xml_flush_cache directory", "+OK cleared 0 entries\n")
    for cmd in ("status", "xml_flush_cache directory", "nosuchcommand"):
        client.send(f"api {cmd}")
        client.next_frame()
    assert client.raw in data


def test_fake_bgapi_answers_job_uuid_then_background_job_event(fake):
    client = RawClient(fake.port).login()
    client.send("bgapi originate user/102@acme.test &park")
    reply = client.next_frame()
    assert reply.content_type == "command/reply"
    job_uuid = re.fullmatch(r"\+OK Job-UUID: (\S+)", reply.reply_text).group(1)
    assert reply.headers["Job-UUID"] == job_uuid
    event = client.next_frame().event()
    assert event.name == "BACKGROUND_JOB"
    assert (event.get("Job-UUID"), event.get("Job-Command"), event.get("Job-Command-Arg")) == (
        job_uuid, "originate", "user/102@acme.test &park")
    assert event.body == "-ERR USER_NOT_REGISTERED\n"


def test_fake_injects_events_only_to_matching_subscribers(fake):
    register = RawClient(fake.port).login(events="CUSTOM sofia::register")
    channels = RawClient(fake.port).login(events="CHANNEL_CREATE")
    fake.inject_event({"Event-Subclass": "sofia::register", "Event-Name": "CUSTOM", "from-user": "100"})
    fake.inject_event({"Event-Name": "CHANNEL_CREATE", "Unique-ID": "u1"})
    assert register.next_frame().event().get("from-user") == "100"
    assert channels.next_frame().event().get("Unique-ID") == "u1"
    assert register.frames == [] and channels.frames == []


def test_fake_replays_a_recording_without_its_handshake(fake):
    client = RawClient(fake.port).login(events="ALL")
    fake.replay(ESL / "registration" / "events-plain.esl", chunk_size=333)
    names = [client.next_frame().event().name for _ in range(26)]
    assert names.count("sofia::register") == 5


def test_fake_exit_says_bye_and_disconnects(fake):
    client = RawClient(fake.port).login(events=None)
    client.send("exit")
    assert client.next_frame().reply_text == "+OK bye"
    notice = client.next_frame()
    assert notice.content_type == "text/disconnect-notice"
    assert notice.text.startswith("Disconnected, goodbye.")
    wait_for(lambda: fake.client_count == 0)
