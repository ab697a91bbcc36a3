"""VM-6: a phone asking for its lamp (MESSAGE_QUERY) is answered from our mailboxes, since
mod_voicemail is not loaded (NOTES §9.12)."""
from __future__ import annotations

from dataclasses import replace

from esl_handlers.mwi import install_mwi_sender
from fs_service.db import db
from fs_service.models import Mailbox, VoicemailMessage
from tests.helpers import until
from tests.integration.test_esl_listener_support import Esl, esl, fake_fs, tenants  # noqa: F401 - fixtures


def sendevents(fake) -> list[str]:
    return [c for c in fake.commands if c.startswith("sendevent MESSAGE_WAITING")]


def point_lamps_at(app, esl: Esl) -> None:
    app.config["PBX"] = replace(app.config["PBX"], freeswitch_nodes=f"fs1=127.0.0.1:{esl.fake.port}")
    install_mwi_sender(app)


def test_message_query_gets_our_counts_back_as_message_waiting(app, esl: Esl, tenants):
    point_lamps_at(app, esl)
    box = db.session.query(Mailbox).filter_by(account_id=tenants["acme"].id, number="101").one()
    db.session.add_all([VoicemailMessage(mailbox_id=box.id, folder="new", caller_number="4185551234"),
                        VoicemailMessage(mailbox_id=box.id, folder="saved", caller_number="4185559999")])
    db.session.commit()
    esl.fake.commands.clear()
    esl.inject({"Event-Name": "MESSAGE_QUERY", "Message-Account": "sip:101@acme.test"})
    event = until(lambda: sendevents(esl.fake))[0].splitlines()
    assert "MWI-Message-Account: sip:101@acme.test" in event
    assert "MWI-Messages-Waiting: yes" in event and "MWI-Voice-Message: 1/1 (0/0)" in event


def test_a_query_for_a_box_we_do_not_have_is_ignored(app, esl: Esl, tenants):
    point_lamps_at(app, esl)
    esl.fake.commands.clear()
    esl.inject({"Event-Name": "MESSAGE_QUERY", "Message-Account": "sip:999@acme.test"})
    esl.settle()
    assert sendevents(esl.fake) == []


def test_answers_go_over_the_listener_connection_not_a_new_one(app, esl: Esl, tenants):
    point_lamps_at(app, esl)
    logins = sum(c.startswith("auth ") for c in esl.fake.commands)
    esl.inject({"Event-Name": "MESSAGE_QUERY", "Message-Account": "sip:101@acme.test"})
    assert "MWI-Messages-Waiting: no" in until(lambda: sendevents(esl.fake))[0]
    assert sum(c.startswith("auth ") for c in esl.fake.commands) == logins
