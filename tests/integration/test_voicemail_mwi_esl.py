"""Lamps reach FreeSWITCH: the core's MESSAGE_WAITING headers go out as `sendevent` over ESL."""
from __future__ import annotations

import pytest

from esl_handlers.mwi import install_mwi_sender, send_message_waiting, sendevent_headers
from fs_service import voicemail
from fs_service.db import db
from fs_service.settings import NodeConfig
from fs_service.voicemail import mwi
from fs_service.voicemail.store import VoicemailStore
from tests.factories import make_account, make_extension
from tests.fakes.fake_freeswitch import FakeFreeSwitch
from tests.fakes.voicemail_world import World
from tests.helpers import until


@pytest.fixture
def switch():
    fake = FakeFreeSwitch(password="esl-secret").start()
    yield fake
    fake.stop()


@pytest.fixture
def lamp_app(make_app, tmp_path, switch):
    app = make_app(voicemail_storage=str(tmp_path), freeswitch_nodes=f"fs1=127.0.0.1:{switch.port}")
    with app.app_context():
        install_mwi_sender(app)
        yield app
        mwi.set_sender(None)


def sent(switch):
    return [c for c in switch.commands if c.startswith("sendevent MESSAGE_WAITING")]


def test_emptying_a_box_turns_the_lamp_off_on_every_node(lamp_app, switch):
    account, _ = make_account()
    make_extension(account, "101")
    box = voicemail.find_mailbox(account, "101")
    world = World(account, box, VoicemailStore(lamp_app))
    world.add_message()
    world.add_greeting("temporary")
    voicemail.empty_mailbox(account, box, delete_greetings=True)
    db.session.commit()
    [event] = until(lambda: sent(switch))
    assert event.splitlines() == ["sendevent MESSAGE_WAITING", "MWI-Messages-Waiting: no",
                                  f"MWI-Message-Account: sip:101@{account.sip_domain}",
                                  "MWI-Voice-Message: 0/0 (0/0)"]
    assert world.greetings() == {} and world.messages() == []


def test_an_unreachable_node_costs_a_log_line_not_an_error(switch):
    node = NodeConfig("fs9", "127.0.0.1", 1, "x")
    headers = mwi.message_waiting_headers("acme.test", "101", mwi.MwiCounts(1, 0))
    assert send_message_waiting(node, [headers], timeout=0.5) == 0


def test_fake_freeswitch_accepts_the_event(switch):
    node = NodeConfig("fs1", "127.0.0.1", switch.port, "esl-secret")
    headers = mwi.message_waiting_headers("acme.test", "101", mwi.MwiCounts(2, 1))
    assert send_message_waiting(node, [headers, headers]) == 2


def test_header_values_cannot_smuggle_a_second_command():
    with pytest.raises(ValueError):
        sendevent_headers({"MWI-Message-Account": "sip:1@a\n\napi shutdown"})
    with pytest.raises(ValueError):
        sendevent_headers({"Event-Name": "SHUTDOWN"})
