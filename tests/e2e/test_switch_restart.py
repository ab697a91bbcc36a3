"""A FreeSWITCH restart: the control plane sees the node go and come back, and resyncs."""
from __future__ import annotations

from .calls import originate, wait_channel
from .rig import wait_for


def _node(rig) -> dict:
    return rig.cp.health()["nodes"][0]


def test_switch_restart_brings_the_node_back_with_statuses_resynced(rig, world):
    rig.sut.stop()
    wait_for(lambda: not _node(rig)["up"], 20, what="node fs1 seen down")
    status = rig.operator.get(f"/accounts/{world.acme.id}/status")
    assert not status["nodes"][0]["up"]
    rig.sut.start(rig.sounds)
    wait_for(lambda: _node(rig)["up"], 30, what="node fs1 up again")
    wait_for(lambda: rig.peer.api("sofia status gateway").count("REGED") == len(rig.phones), 40,
             what="every phone registered again")

    def resynced():
        rows = rig.operator.get(f"/accounts/{world.acme.id}/status")["extensions"]
        return all(row["registrations"] == 1 and row["state"] == "available" for row in rows)
    wait_for(resynced, 30, what="statuses resynced after the restart")
    originate(rig.peer, "acme100", "101", caller_number="100")
    wait_channel(rig.peer, context="phones", dest="101")
