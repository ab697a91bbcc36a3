"""Parked calls with several FreeSWITCH nodes: each node's mod_valet_parking has its own lots,
so the same lot can hold 701 on two nodes at once (PARK-2, 0009_parked_calls_per_node)."""
from __future__ import annotations

import time

import sqlalchemy as sa

from fs_service.db import db
from fs_service.models import ParkedCall
from fs_service.park import events as parking_store, lot as parking
from fs_service.park.lot import ParkHold, ParkLeave, ParkSnapshot
from tests.integration.test_api_support import log_in
from tests.integration.test_esl_listener_support import esl, fake_fs, tenants  # noqa: F401 - fixtures
from tests.integration.test_parking import beta_valet


def hold(uuid, caller, slot="701", lot="beta.test"):
    return ParkHold(lot, slot, uuid, caller, "", None, time.time())


def rows() -> list[tuple[str, str, str]]:
    return [tuple(r) for r in db.session.execute(
        sa.select(ParkedCall.node, ParkedCall.slot, ParkedCall.uuid).order_by(ParkedCall.node, ParkedCall.uuid))]


def test_two_nodes_parking_in_the_same_lot_and_slot_both_appear_with_their_node(tenants):
    parking_store.apply_changes("fs1", [hold("on-fs1", "4185550001")])
    parking_store.apply_changes("fs2", [hold("on-fs2", "4185550002")])
    calls = parking.parked_calls(tenants["beta"])
    assert [(c.slot, c.node, c.caller_number) for c in calls] == [
        ("701", "fs1", "4185550001"), ("701", "fs2", "4185550002")]


def test_a_hold_on_one_node_replaces_only_that_nodes_occupant_of_the_slot(tenants):
    parking_store.apply_changes("fs1", [hold("old-fs1", "1")])
    parking_store.apply_changes("fs2", [hold("on-fs2", "2")])
    parking_store.apply_changes("fs1", [hold("new-fs1", "3")])  # the old call's leave was lost
    assert rows() == [("fs1", "701", "new-fs1"), ("fs2", "701", "on-fs2")]


def test_a_resync_of_one_node_replaces_only_that_nodes_parked_calls(tenants):
    parking_store.apply_changes("fs1", [hold("a-fs1", "1"), hold("b-fs1", "2", slot="702")])
    parking_store.apply_changes("fs2", [hold("a-fs2", "3"), hold("b-fs2", "4", slot="702")])
    parking_store.apply_changes("fs1", [ParkSnapshot(("beta.test",), (hold("c-fs1", "5"),))])
    assert rows() == [("fs1", "701", "c-fs1"), ("fs2", "701", "a-fs2"), ("fs2", "702", "b-fs2")]


def test_a_leave_removes_the_row_of_the_node_it_came_from_only(tenants):
    parking_store.apply_changes("fs1", [hold("on-fs1", "1")])
    parking_store.apply_changes("fs2", [hold("on-fs2", "2")])
    parking_store.apply_changes("fs2", [ParkLeave("beta.test", "701", "on-fs1")])  # not fs2's call
    assert len(rows()) == 2
    parking_store.apply_changes("fs2", [ParkLeave("beta.test", "701", "on-fs2")])
    assert rows() == [("fs1", "701", "on-fs1")]


def test_exit_and_bridge_events_through_the_listener_free_only_the_listeners_node(esl, tenants):
    parking_store.apply_changes("fs2", [hold("beta-call-1", "2")])  # fs2 holds the same slot (and uuid)
    esl.inject(beta_valet("hold"))  # the fixture's listener is fs1
    assert sorted(c.node for c in parking.parked_calls(tenants["beta"])) == ["fs1", "fs2"]
    esl.inject(beta_valet("bridge"))
    assert [c.node for c in parking.parked_calls(tenants["beta"])] == ["fs2"]
    esl.inject(beta_valet("hold", "beta-call-2"))
    esl.inject(beta_valet("exit", "beta-call-2"))
    assert [c.node for c in parking.parked_calls(tenants["beta"])] == ["fs2"]


def test_the_status_page_and_api_show_both_calls_with_their_node(client, tenants):
    parking_store.apply_changes("fs1", [hold("on-fs1", "4185550001")])
    parking_store.apply_changes("fs2", [hold("on-fs2", "4185550002")])
    beta = tenants["beta"]
    log_in(client, beta.users[0])  # its admin
    page = client.get(f"/accounts/{beta.id}/status").text
    section = page[page.index('id="parked-calls"'):]
    assert section.count('data-slot="701"') == 2
    assert 'data-node="fs1"' in section and 'data-node="fs2"' in section
    assert "<th>Serveur</th>" in section and "occupé sur deux serveurs" in section
    parked = client.get(f"/api/v1/accounts/{beta.id}/status").json["parked_calls"]
    assert [(p["slot"], p["node"], p["caller_number"]) for p in parked] == [
        ("701", "fs1", "4185550001"), ("701", "fs2", "4185550002")]

