"""Registration, internal and external calls, as the two real switches see them."""
from __future__ import annotations

from .calls import channel, getvar, originate, wait_channel, wait_gone
from .rig import wait_for
from .world import ACME, BETA, CARRIER, DID_ALICE


def _states(rig, tenant) -> dict[str, str]:
    rows = rig.operator.get(f"/accounts/{tenant.id}/status")["extensions"]
    return {row["number"]: row["state"] for row in rows}


def test_phones_of_two_accounts_register_with_the_credentials_the_directory_serves(rig, world):
    registrations = rig.sut.api("sofia status profile internal reg")
    for user, domain in (("100", ACME), ("101", ACME), ("102", ACME), ("103", ACME), ("200", BETA)):
        assert f"{user}@{domain}" in registrations
    assert "beta.test" in registrations and registrations.count("Auth-Realm: \tacme.test") == 4
    gateways = rig.peer.api("sofia status gateway")
    assert gateways.count("REGED") == 5, gateways
    for tenant in (world.acme, world.beta):
        rows = rig.operator.get(f"/accounts/{tenant.id}/status")["extensions"]
        assert all(row["registrations"] == 1 and row["state"] == "available" for row in rows), rows


def test_internal_call_shows_the_directory_caller_name_and_both_statuses(rig, world):
    leg = originate(rig.peer, "acme100", "101", caller_number="100", caller_name="Desk Phone")
    ringing = wait_channel(rig.peer, dest="101", context="phones", callstate="ACTIVE")
    # The callee's phone shows the name the control plane serves for 100, not what the phone sent.
    assert (ringing["cid_name"], ringing["cid_num"]) == ("Alice Tremblay", "100")
    wait_for(lambda: _states(rig, world.acme)["100"] == "in_call" and _states(rig, world.acme)["101"] == "in_call",
             what="100 and 101 in_call")
    rig.peer.api(f"uuid_kill {leg}")
    wait_gone(rig.peer, leg)
    wait_for(lambda: {n: s for n, s in _states(rig, world.acme).items() if n in ("100", "101")}
             == {"100": "available", "101": "available"}, what="100 and 101 available again")


def test_accounts_do_not_reach_each_others_extensions(rig, world):
    leg = originate(rig.peer, "beta200", "101", caller_number="200")
    wait_gone(rig.peer, leg)
    assert channel(rig.peer, dest="101", context="phones") is None


def test_carrier_gateway_saved_by_the_operator_exists_on_the_switch(rig, world):
    status = rig.sut.api("sofia status gateway")
    assert f"external::{CARRIER}" in status and "NOREG" in status, status
    detail = rig.sut.api(f"sofia status gateway {CARRIER}")
    assert f"127.0.0.1:{rig.peer_sip_port}" in detail


def test_outbound_call_reaches_the_carrier_with_the_accounts_caller_id(rig, world):
    originate(rig.peer, "acme100", "5145559876", caller_number="100")
    at_carrier = wait_channel(rig.peer, context="phones", dest="15145559876")
    assert at_carrier["cid_num"] in (DID_ALICE, "1" + DID_ALICE, "+1" + DID_ALICE)
    assert at_carrier["cid_name"] == "Acme"
    out_leg = wait_channel(rig.sut, direction="outbound")
    assert out_leg["name"].startswith("sofia/external/")
    assert getvar(rig.sut, out_leg["uuid"], "sofia_profile_name") == "external"
    assert CARRIER in rig.sut.api(f"sofia status gateway {CARRIER}")
