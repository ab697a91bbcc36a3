"""Saved = live with the per-process account view (fs_service.calls.context.AccountView):
each call first warms the cache, then a change made outside the settings API (models the
operator or another process edits) must show on the very next call, and live state must never
be cached."""
from __future__ import annotations

import sqlalchemy as sa

from fs_service.db import db
from fs_service.models import ActiveChannel, Extension, Gateway, Mailbox
from tests.integration.test_settings_support import CALL_101, CALL_OUT, acme, actions, body, bridges, save  # noqa: F401
from tests.integration.test_xml_curl_directory import post

ACME_ID = "{origination_caller_id_name=Acme,origination_caller_id_number=15145550100}"


def test_a_renamed_global_gateway_carries_the_next_external_call(client, acme):
    assert bridges(actions(client, CALL_OUT)) == [f"{ACME_ID}sofia/gateway/carrier/15145559876"]
    db.session.scalar(sa.select(Gateway).where(Gateway.name == "carrier")).name = "carrier-b"
    db.session.commit()
    assert bridges(actions(client, CALL_OUT)) == [f"{ACME_ID}sofia/gateway/carrier-b/15145559876"]


def test_an_account_gateway_added_later_wins_over_the_global_one(client, acme):
    actions(client, CALL_OUT)
    own = Gateway(name="acme-trunk", proxy="trunk.example", account_id=acme.account.id)
    db.session.add(own)
    db.session.flush()
    acme.account.gateway_id = own.id
    db.session.commit()
    assert bridges(actions(client, CALL_OUT)) == [f"{ACME_ID}sofia/gateway/acme-trunk/15145559876"]


def test_a_standalone_mailbox_created_after_a_miss_is_reached(client, acme):
    assert actions(client, CALL_101, destination="3000")[-1] == ("hangup", "UNALLOCATED_NUMBER")
    db.session.add(Mailbox(account_id=acme.account.id, number="3000", name="General", pin="1234"))
    db.session.commit()
    assert ("set", "pbx_vm_box=3000") in actions(client, CALL_101, destination="3000")


def test_a_renumbered_mailbox_is_the_next_deposit_target(client, acme):
    assert ("set", "pbx_vm_box=101") in actions(client, CALL_101)
    db.session.scalar(sa.select(Mailbox).where(Mailbox.extension_id == acme.exts["101"].id)).number = "1101"
    db.session.commit()
    assert ("set", "pbx_vm_box=1101") in actions(client, CALL_101)


def test_an_extension_changed_outside_the_api_is_live(client, acme):
    actions(client, CALL_101)
    db.session.get(Extension, acme.exts["101"].id).ring_seconds = 35
    db.session.commit()
    assert ("set", "call_timeout=35") in actions(client, CALL_101)


def test_busy_state_is_read_live_not_from_the_cached_settings(client, acme):
    save(client, acme, "101", busy_behaviour="message")
    assert ("playback", "pbx/user-busy.wav") not in actions(client, CALL_101)
    db.session.add(ActiveChannel(uuid="busy-101", node="fs1", sip_user="101", sip_domain="acme.test",
                                 state="answered"))
    db.session.commit()
    assert ("playback", "pbx/user-busy.wav") in actions(client, CALL_101)
    db.session.execute(sa.delete(ActiveChannel))
    db.session.commit()
    assert ("playback", "pbx/user-busy.wav") not in actions(client, CALL_101)


def test_a_disabled_account_gets_no_plan_on_the_next_call(client, acme):
    actions(client, CALL_101)
    acme.account.enabled = False
    db.session.commit()
    assert b'status="not found"' in post(client, body(CALL_101)).data

