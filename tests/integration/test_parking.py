"""Call park: recorded valet events through the listener, per-account lots, resync from
``valet_info``, and batch coalescing of slots (PARK-1, PARK-2)."""
from __future__ import annotations

import time

import sqlalchemy as sa

from esl_handlers.events import EventHeaders
from fs_service.db import db
from fs_service.models import ParkedCall
from fs_service.park import events as parking_store, lot as parking
from fs_service.park.lot import ParkHold, ParkLeave
from tests.fakes.fake_freeswitch import FakeFreeSwitch
from tests.helpers import until
from tests.integration.test_esl_listener_support import (PASSWORD, esl, event_frames, fake_fs,  # noqa: F401 - fixtures
                                                         script_state, tenants)


def slots(account) -> dict[str, str]:
    return {p.slot: p.caller_number for p in parking.parked_calls(account)}


def split_after_hold(frames):
    """The recording up to and including the valet ``hold``, and the rest."""
    at = next(i for i, (_, body) in enumerate(frames)
              if b"valet_parking%3A%3Ainfo" in body and EventHeaders(body).get("Action") == "hold")
    return frames[:at + 1], frames[at + 1:]


def test_park_and_retrieve_shows_slot_701_occupied_then_free(esl, tenants):
    parked, retrieved = split_after_hold(event_frames("park-and-retrieve"))
    esl.send(parked)
    [call] = parking.parked_calls(tenants["acme"])
    assert (call.slot, call.caller_number, call.parked_by) == ("701", "100", "100")
    assert 0 <= call.duration_seconds < 60
    assert parking.parked_calls(tenants["beta"]) == []
    esl.send(retrieved)
    assert parking.parked_calls(tenants["acme"]) == []


def beta_valet(action: str, uuid: str = "beta-call-1") -> dict:
    """A valet_parking::info as mod_valet_parking fires it for a call parked in beta.test's lot."""
    return {"Event-Name": "CUSTOM", "Event-Subclass": "valet_parking::info", "Valet-Lot-Name": "beta.test",
            "Valet-Extension": "701", "Action": action, "Unique-ID": uuid, "Call-Direction": "inbound",
            "Caller-Caller-ID-Number": "4185551234", "Caller-Caller-ID-Name": "Client Inc"}


def test_two_accounts_parking_at_once_each_get_their_own_701(esl, tenants):
    parked, retrieved = split_after_hold(event_frames("park-and-retrieve"))
    esl.send(parked)
    esl.inject(beta_valet("hold"))
    assert slots(tenants["acme"]) == {"701": "100"}
    assert slots(tenants["beta"]) == {"701": "4185551234"}
    esl.send(retrieved)  # acme's call retrieved: beta's stays parked
    assert slots(tenants["acme"]) == {}
    assert slots(tenants["beta"]) == {"701": "4185551234"}
    esl.inject(beta_valet("exit"))
    assert slots(tenants["beta"]) == {}


def test_after_a_reconnect_the_lots_are_what_valet_info_says(esl, tenants):
    esl.inject(beta_valet("hold", "gone-call"))  # parked before FreeSWITCH restarted
    port, sessions = esl.fake.port, esl.listener.sessions
    esl.fake.stop()
    back = FakeFreeSwitch(password=PASSWORD, port=port).start()
    try:
        script_state(back, channels=[{"uuid": "u-702", "direction": "inbound", "presence_id": "",
                                      "cid_num": "5145559999", "cid_name": "Bob", "callstate": "ACTIVE",
                                      "created_epoch": str(int(time.time()) - 30)}],
                     lots='<lots>\n  <lot name="acme.test">\n    <extension uuid="u-702">702</extension>\n'
                          '  </lot>\n</lots>\n')
        until(lambda: esl.listener.sessions == sessions + 1 and esl.listener.connected, timeout=10)
        esl.settle()
        [call] = parking.parked_calls(tenants["acme"])
        assert (call.slot, call.caller_number, call.caller_name) == ("702", "5145559999", "Bob")
        assert 25 <= call.duration_seconds < 90
        assert parking.parked_calls(tenants["beta"]) == []  # its call died with the old switch
    finally:
        esl.listener.stop()
        back.stop()


def hold(uuid, slot="701", lot="acme.test"):
    return ParkHold(lot, slot, uuid, "100", "Alice", None, time.time())


def uuids() -> list[str]:
    return sorted(db.session.scalars(sa.select(ParkedCall.uuid)))


def test_a_batch_with_leave_hold_leave_on_one_slot_clears_the_earlier_occupant_too(tenants):
    parking_store.apply_changes("fs1", [hold("w")])
    parking_store.apply_changes("fs1", [ParkLeave("acme.test", "701", "w"), hold("x"),
                                        ParkLeave("acme.test", "701", "x")])
    assert uuids() == []


def test_a_late_leave_of_an_old_call_does_not_free_the_slot_a_new_call_holds(tenants):
    parking_store.apply_changes("fs1", [hold("old"), hold("new"), ParkLeave("acme.test", "701", "old")])
    assert uuids() == ["new"]
    parking_store.apply_changes("fs1", [ParkLeave("acme.test", "701", "old")])
    assert uuids() == ["new"]


def test_a_lot_that_is_no_accounts_domain_is_ignored(tenants):
    parking_store.apply_changes("fs1", [hold("stray", lot="unknown.test")])
    assert uuids() == []


def test_a_nodes_resync_replaces_only_that_nodes_parked_calls(tenants):
    parking_store.apply_changes("fs1", [hold("on-fs1")])
    parking_store.apply_changes("fs2", [hold("on-fs2", lot="beta.test")])
    snapshot = parking.ParkSnapshot(("acme.test",), (hold("new-fs1", slot="703"),))
    parking_store.apply_changes("fs1", [snapshot])
    rows = db.session.execute(sa.select(ParkedCall.node, ParkedCall.uuid).order_by(ParkedCall.uuid)).all()
    assert [tuple(r) for r in rows] == [("fs1", "new-fs1"), ("fs2", "on-fs2")]
    parking_store.apply_changes("fs2", [parking.ParkSnapshot((), ())])  # fs2 restarted
    assert uuids() == ["new-fs1"]
