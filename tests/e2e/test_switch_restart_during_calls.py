"""A FreeSWITCH restart in the middle of calls (issue 16, part 7): the calls die with the
switch and their hang-ups never reach the control plane, so only the resync after the
reconnect can clear them. No extension may stay shown "in call", and calls work again."""
from __future__ import annotations

from .calls import hang_up_everything, originate, wait_channel, wait_gone
from .rig import wait_for


def _rows(rig, tenant) -> dict[str, tuple[str, int]]:
    rows = rig.operator.get(f"/accounts/{tenant.id}/status")["extensions"]
    return {row["number"]: (row["state"], row["active_calls"]) for row in rows}


def _in_call(rig, tenant, *numbers: str) -> bool:
    rows = _rows(rig, tenant)
    return all(rows[n] == ("in_call", 1) for n in numbers)


def test_a_switch_restart_during_calls_leaves_no_call_shown_and_calls_work_again(rig, world):
    try:
        originate(rig.peer, "acme100", "101", caller_number="100")
        originate(rig.peer, "acme102", "103", caller_number="102")
        wait_channel(rig.peer, dest="101", context="phones", callstate="ACTIVE")
        wait_channel(rig.peer, dest="103", context="phones", callstate="ACTIVE")
        wait_for(lambda: _in_call(rig, world.acme, "100", "101", "102", "103"), 20, what="four phones in call")

        rig.sut.stop()
        wait_for(lambda: not rig.cp.health()["nodes"][0]["up"], 20, what="node fs1 seen down")
        rig.sut.start(rig.sounds)
        wait_for(lambda: rig.cp.health()["nodes"][0]["up"], 30, what="node fs1 up again")
        wait_for(lambda: rig.peer.api("sofia status gateway").count("REGED") == len(rig.phones), 40,
                 what="every phone registered again")
        wait_for(lambda: set(_rows(rig, world.acme).values()) == {("available", 0)}, 30,
                 what="no call left shown after the restart")

        leg = originate(rig.peer, "acme100", "101", caller_number="100")
        wait_channel(rig.peer, dest="101", context="phones", callstate="ACTIVE")
        wait_for(lambda: _in_call(rig, world.acme, "100", "101"), 20, what="100 and 101 in call again")
        rig.peer.api(f"uuid_kill {leg}")
        wait_gone(rig.peer, leg)
        wait_for(lambda: _rows(rig, world.acme)["100"] == ("available", 0), 20, what="100 available again")
    finally:
        hang_up_everything(rig.peer)
