"""Only the switches may drive the voicemail socket (issue 14 item 2).

Whoever connects names the action, tenant and box in its channel variables, so the server
refuses a peer outside PBX_VOICEMAIL_ALLOWED on accept (nothing read or written), and a call
whose channel its node does not have (``uuid_exists`` → ``false``): no message row, no lamp.
"""
from __future__ import annotations

import logging

import gevent.socket
import pytest
import sqlalchemy as sa

from esl_handlers.outbound import build_voicemail_server
from fs_service.db import db
from fs_service.models import Mailbox, VoicemailMessage
from tests.factories import make_account, make_extension
from tests.fakes.fake_freeswitch import FakeFreeSwitch
from tests.fakes.fake_outbound import FakeOutboundCall, Listen, Speak
from tests.helpers import until

DEPOSIT = [Listen(), Listen(), Speak(3), Listen()]


@pytest.fixture
def switch():
    with FakeFreeSwitch(password="esl-secret") as fake:
        yield fake


@pytest.fixture
def voicemail(make_app, tmp_path):
    """``voicemail(**settings)`` → (server, domain): a started server, box 101 on a new account."""
    servers, contexts = [], []

    def start(**settings):
        app = make_app(voicemail_storage=str(tmp_path / "vm"), **settings)
        contexts.append(app.app_context())
        contexts[-1].push()
        account, _ = make_account()
        make_extension(account, "101")
        servers.append(build_voicemail_server(app, "127.0.0.1:0").start())
        return servers[-1], account.sip_domain

    yield start
    for server in servers:
        server.stop()
    # The test's reads leave a transaction open: on PostgreSQL the suite's TRUNCATE would wait on it.
    db.session.remove()
    for context in reversed(contexts):
        context.pop()


def deposit(server, domain, switch=None) -> FakeOutboundCall:
    variables = {"pbx_vm_action": "deposit", "pbx_vm_box": "101", "pbx_vm_domain": domain,
                 "pbx_vm_greeting": "unavailable"}
    return FakeOutboundCall(server.port, variables, list(DEPOSIT), switch=switch).run()


def message_count() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(VoicemailMessage))


def refusals(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name == "pbx.esl.outbound" and r.levelno == logging.WARNING and "refused" in r.getMessage()]


def test_a_peer_outside_the_allowed_networks_is_closed_at_once_and_creates_nothing(voicemail, switch, caplog):
    server, domain = voicemail(voicemail_allowed="192.0.2.0/24, 2001:db8::/32",
                               freeswitch_nodes=f"fs1=127.0.0.1:{switch.port}")
    with gevent.socket.create_connection(("127.0.0.1", server.port), timeout=2) as peer:
        assert peer.recv(100) == b""  # closed without a word (no `connect`)
    caplog.clear()
    fake = deposit(server, domain, switch)  # even a channel the node has: the peer is not a switch
    assert fake.closed_by_server and fake.received == [] and fake.apps == []
    assert message_count() == 0 and switch.api_commands() == []
    [warning] = until(lambda: refusals(caplog))
    assert "peer=127.0.0.1" in warning and "reason=network_not_allowed" in warning
    until(lambda: server.active_calls == 0 and len(server.readers) == 0)


def test_a_channel_the_node_does_not_have_creates_nothing(voicemail, switch, caplog):
    server, domain = voicemail(freeswitch_nodes=f"fs1=127.0.0.1:{switch.port}")
    fake = deposit(server, domain)  # its Unique-ID is not a channel of the switch
    assert switch.api_commands() == [f"uuid_exists {fake.uuid}"]
    assert fake.closed_by_server and fake.received == ["connect", "myevents", "linger"] and fake.apps == []
    assert message_count() == 0
    [warning] = refusals(caplog)
    assert f"uuid={fake.uuid}" in warning and "nodes=fs1" in warning and "reason=no_such_channel" in warning


def test_without_a_configured_node_no_call_can_be_proved_so_none_is_taken(voicemail, caplog):
    server, domain = voicemail(freeswitch_nodes="")
    fake = deposit(server, domain)
    assert fake.apps == [] and message_count() == 0
    assert "reason=unknown_node" in refusals(caplog)[0]


def test_a_genuine_call_from_the_switch_still_leaves_its_message(voicemail, switch):
    server, domain = voicemail(freeswitch_nodes=f"fs1=127.0.0.1:{switch.port}")
    fake = deposit(server, domain, switch)
    assert ("record" in [app for app, _ in fake.apps]) and message_count() == 1
    assert switch.api_commands() == [f"uuid_exists {fake.uuid}"]
    box = db.session.scalar(sa.select(Mailbox).where(Mailbox.number == "101"))
    assert db.session.scalar(sa.select(VoicemailMessage.mailbox_id)) == box.id


def test_nodes_sharing_the_peers_address_the_one_the_channel_names_is_asked(voicemail, switch):
    with FakeFreeSwitch(password="esl-secret") as other:
        other.channels.add("ignored")  # never asked: the channel data says FreeSWITCH-Switchname fs1
        server, domain = voicemail(freeswitch_nodes=f"fs2=127.0.0.1:{other.port},fs1=127.0.0.1:{switch.port}")
        fake = deposit(server, domain, switch)
        assert message_count() == 1 and other.api_commands() == []
        assert switch.api_commands() == [f"uuid_exists {fake.uuid}"]
