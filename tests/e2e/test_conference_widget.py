"""The control widget's commands on the real switch (CONF-6, guide 16.3): the room page's Mute
and Kick buttons call the same core and ESL functions as the API used here
(fs_service.conferences.live.member_command, esl_handlers.conference_control.control). What is
asserted is what mod_conference did (``conference <room> list`` flags) and that its events came
back into the widget's list (talking / muted / who is in)."""
from __future__ import annotations

from .rig import wait_for
from .test_conference import _enter, _members
from .world import ACME


def test_the_widget_mutes_unmutes_and_kicks_a_participant_of_a_running_room(rig, world):
    account = world.acme.id
    room = rig.operator.post(f"/accounts/{account}/conferences", {"kind": "permanent", "title": "Widget room"})
    name = f"{room['room_number']}-{ACME}"
    members_url = f"/accounts/{account}/conferences/{room['id']}/members"
    legs = [_enter(rig, "100", room, room["access_code"]), _enter(rig, "102", room, room["admin_code"])]
    wait_for(lambda: (m := _members(rig, name)) and len(m) == 2 and not any("hold" in f for f in m.values()),
             what="the admin starting the room")
    listed = wait_for(lambda: (m := rig.operator.get(members_url)) and len(m) == 2 and m, what="the widget's list")
    [guest] = [m for m in listed if m["caller_number"] == "100"]
    assert guest["role"] == "participant" and guest["muted"] is False

    rig.operator.post(f"{members_url}/{guest['id']}", {"action": "mute"})
    wait_for(lambda: "speak" not in _members(rig, name)["100"], what="100 muted in mod_conference")
    wait_for(lambda: [m["muted"] for m in rig.operator.get(members_url) if m["id"] == guest["id"]] == [True],
             what="the mute event back in the widget's list")
    rig.operator.post(f"{members_url}/{guest['id']}", {"action": "unmute"})
    wait_for(lambda: "speak" in _members(rig, name)["100"], what="100 unmuted in mod_conference")

    rig.operator.post(f"{members_url}/{guest['id']}", {"action": "kick"})
    wait_for(lambda: set(_members(rig, name)) == {"102"}, what="100 kicked out of the room")
    wait_for(lambda: [m["caller_number"] for m in rig.operator.get(members_url)] == ["102"],
             what="the widget's list without 100")
    for leg in legs[1:]:
        rig.peer.api(f"uuid_kill {leg}")
