"""Audio conferences on the real switch (CONF-3, CONF-4, CONF-7): three phones of the peer dial
8300, type the room number and their code; what is asserted is what mod_conference did
(``conference <room> list``: members, their ``hold`` flag) and the recording it wrote.

Participants who arrive before any admin are held (music); the admin's code starts the room
(everyone unheld, all three in the list); the admin hanging up sends the others back on hold
(our ESL handlers answer mod_conference's events: wait-mod alone would leave them talking,
NOTES §9.11); the recording exists once the room has ended.
"""
from __future__ import annotations

import struct
import time
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from .calls import channel, getvar, originate, wait_channel, wait_gone
from .rig import wait_for
from .world import ACME


def _members(rig, name: str) -> dict[str, list[str]]:
    """``conference <name> list``: caller number -> flags, for each member."""
    out = rig.sut.api(f"conference {name} list")
    rows = [line.split(";") for line in out.splitlines() if line.count(";") >= 5]
    return {row[4]: row[5].split("|") for row in rows}


def _type_room_and_code(rig, leg: str, sut: str, room: dict, code: str) -> None:
    """The caller (peer ``leg``, switch leg ``sut``) asked for the room: room number, #, code, #."""
    rig.peer.api(f"uuid_send_dtmf {leg} {room['room_number']}#")
    wait_for(lambda: getvar(rig.sut, sut, "pbx_stage").startswith("conference-code")
             and channel(rig.sut, uuid=sut, application="play_and_get_digits"), what=f"{leg} asked for a code")
    rig.peer.api(f"uuid_send_dtmf {leg} {code}#")


def _enter(rig, phone: str, room: dict, code: str, app: str = "&park()") -> str:
    """Dial 8300 from ``phone``, type the room number then the code (each followed by #)."""
    leg = originate(rig.peer, f"acme{phone}", "8300", app, caller_number=phone)
    name = f"sofia/internal/{phone}@{ACME}"
    sut = wait_channel(rig.sut, name=name, application="play_and_get_digits")["uuid"]
    _type_room_and_code(rig, leg, sut, room, code)
    return leg


def test_participants_wait_on_hold_until_the_admin_comes_and_again_after_the_admin_leaves(rig, world):
    room = rig.operator.post(f"/accounts/{world.acme.id}/conferences",
                            {"kind": "permanent", "title": "E2E room", "language": "en", "record_audio": True})
    name = f"{room['room_number']}-{ACME}"
    first = _enter(rig, "100", room, room["access_code"])
    second = _enter(rig, "101", room, room["access_code"])
    held = wait_for(lambda: (m := _members(rig, name)) and len(m) == 2 and all("hold" in f for f in m.values()) and m,
                    what="both participants in the room, on hold")
    assert set(held) == {"100", "101"}

    admin = _enter(rig, "102", room, room["admin_code"])
    started = wait_for(lambda: (m := _members(rig, name)) and len(m) == 3
                       and not any("hold" in f for f in m.values()) and m, what="the admin starting the room")
    assert "moderator" in started["102"] and "moderator" not in started["100"]

    rig.peer.api(f"uuid_kill {admin}")
    wait_for(lambda: (m := _members(rig, name)) and set(m) == {"100", "101"}
             and all("hold" in f for f in m.values()), what="the others back on hold after the admin left")

    for leg in (first, second):
        rig.peer.api(f"uuid_kill {leg}")
        wait_gone(rig.peer, leg)
    folder = Path(rig.root) / "cp" / "instance" / "voicemail" / ACME / "conferences"
    recorded = wait_for(lambda: [p for p in folder.glob(f"room-{room['id']}-*.wav") if p.stat().st_size > 44],
                        what="the room's recording")
    assert len(recorded) == 1


SPEAKING = "&endless_playback(tone_stream://%(300,100,440))"  # the peer phone "says" its name: a tone


def _played(rig, name: str, path: str) -> int:
    """How many ``conference <name> play <path>`` the control plane sent and FreeSWITCH accepted
    (``+OK``: mod_conference opened the file when queuing it)."""
    return rig.cp.log_text().count(f"command='conference {name} play {path}' ok=True")


def test_a_room_announcing_members_records_each_name_and_plays_it_on_arrival_and_departure(rig, world):
    room = rig.operator.post(f"/accounts/{world.acme.id}/conferences",
                            {"kind": "permanent", "title": "E2E names", "language": "en", "announce_members": True})
    name = f"{room['room_number']}-{ACME}"
    folder = Path(rig.root) / "cp" / "instance" / "voicemail" / ACME / "conferences"
    before = set(folder.glob("name-*.wav"))
    first = _enter(rig, "100", room, room["admin_code"], SPEAKING)
    wait_for(lambda: "100" in _members(rig, name), timeout=30, what="100 in the room after saying a name")
    second = _enter(rig, "101", room, room["access_code"], SPEAKING)
    wait_for(lambda: set(_members(rig, name)) == {"100", "101"}, timeout=30, what="101 in the room")
    recorded = [p for p in set(folder.glob("name-*.wav")) - before if p.stat().st_size > 44]
    assert len(recorded) == 2  # each caller's name, recorded by FreeSWITCH into the shared folder
    fs_paths = {p.name: str(p.resolve()) for p in recorded}
    joined = wait_for(lambda: [p for p in fs_paths.values() if _played(rig, name, p)]
                      and _played(rig, name, "pbx/conf-joined.wav"), what="101's name announced to the room")
    assert joined == 1  # 100 arrived alone: nothing announced to an empty room
    announced_101 = next(p for p in fs_paths.values() if _played(rig, name, p))

    rig.peer.api(f"uuid_kill {second}")
    wait_for(lambda: _played(rig, name, announced_101) == 2 and _played(rig, name, "pbx/conf-left.wav") == 1,
             what="101's name and 'has left' played to 100")
    rig.peer.api(f"uuid_kill {first}")
    wait_gone(rig.peer, first)
    wait_for(lambda: not any(p.exists() for p in recorded), what="the names deleted once the room ended")


def test_an_admin_adds_a_participant_and_calls_them_into_the_running_room(rig, world):
    room = rig.operator.post(f"/accounts/{world.acme.id}/conferences",
                            {"kind": "permanent", "title": "E2E dial-out", "language": "en"})
    name = f"{room['room_number']}-{ACME}"
    admin = _enter(rig, "100", room, room["admin_code"])
    url = f"/accounts/{world.acme.id}/conferences/{room['id']}"
    wait_for(lambda: rig.operator.get(f"{url}/members"), what="the admin in the room, as the control plane knows")
    rig.operator.post(f"{url}/participants", {"name": "Guest Caller", "email": "guest@example.test",
                                              "phone": "5145559876", "call_now": True, "invite": False})
    # Out through the account's carrier (the peer answers as the callee), into the room.
    wait_channel(rig.peer, context="phones", dest="15145559876")
    joined = wait_for(lambda: (m := _members(rig, name)) and len(m) == 2 and m, what="the callee in the room")
    guest = next(flags for number, flags in joined.items() if number != "100")
    assert "moderator" not in guest and "hold" not in guest  # a participant, the admin being there
    people = wait_for(lambda: [p for p in rig.operator.get(f"{url}/members") if p["name"] == "Guest Caller"],
                      what="the widget naming the called participant")
    assert people[0]["role"] == "participant"
    rig.peer.api(f"uuid_kill {admin}")
    wait_gone(rig.peer, admin)


DID_CONFERENCE = "5145550109"


def test_a_carrier_call_to_a_number_whose_treatment_is_the_conference_entry_enters_a_room(rig, world):
    room = rig.operator.post(f"/accounts/{world.acme.id}/conferences",
                            {"kind": "permanent", "title": "E2E by DID", "language": "en"})
    entry = rig.operator.post(f"/accounts/{world.acme.id}/treatments", {"kind": "conference"})["id"]
    number = rig.operator.post(f"/accounts/{world.acme.id}/numbers",
                               {"e164": DID_CONFERENCE, "label": "Conférences", "timezone": "America/Montreal"})
    rig.operator.patch(f"/accounts/{world.acme.id}/numbers/{number['id']}",
                       {"open_treatment_id": entry, "closed_treatment_id": entry})
    leg = originate(rig.peer, "carrier", DID_CONFERENCE, caller_number="4185551234")
    sut = wait_channel(rig.sut, direction="inbound", cid_num="4185551234", application="play_and_get_digits")
    assert sut["context"] == ACME and sut["name"].startswith("sofia/external/")  # a guest of the account
    assert getvar(rig.sut, sut["uuid"], "pbx_stage").startswith("conference-room")
    _type_room_and_code(rig, leg, sut["uuid"], room, room["admin_code"])
    name = f"{room['room_number']}-{ACME}"
    joined = wait_for(lambda: _members(rig, name).get("4185551234"), what="the carrier caller in the room")
    assert "moderator" in joined
    rig.peer.api(f"uuid_kill {leg}")
    wait_gone(rig.peer, leg)


def test_a_caller_hanging_up_while_saying_their_name_leaves_no_name_file(rig, world):
    room = rig.operator.post(f"/accounts/{world.acme.id}/conferences",
                            {"kind": "permanent", "title": "E2E shy", "language": "en", "announce_members": True})
    folder = Path(rig.root) / "cp" / "instance" / "voicemail" / ACME / "conferences"
    before = set(folder.glob("name-*.wav"))
    leg = _enter(rig, "101", room, room["access_code"], SPEAKING)
    recording = wait_channel(rig.sut, name=f"sofia/internal/101@{ACME}", application="record")
    wait_for(lambda: set(folder.glob("name-*.wav")) - before, what="the name being recorded")
    rig.peer.api(f"uuid_kill {leg}")
    wait_gone(rig.sut, recording["uuid"])
    wait_for(lambda: not set(folder.glob("name-*.wav")) - before, what="the half-recorded name deleted")


def test_end_now_hangs_up_everyone_and_the_room_goes_to_the_history(rig, world):
    room = rig.operator.post(f"/accounts/{world.acme.id}/conferences",
                            {"kind": "permanent", "title": "E2E end now", "language": "en"})
    name = f"{room['room_number']}-{ACME}"
    legs = [_enter(rig, "100", room, room["admin_code"]), _enter(rig, "101", room, room["access_code"])]
    url = f"/accounts/{world.acme.id}/conferences/{room['id']}"
    wait_for(lambda: len(rig.operator.get(f"{url}/members")) == 2, what="both in the room, as the control plane knows")
    assert rig.operator.post(f"{url}/end", {})["ok"] is True
    for leg in legs:
        wait_gone(rig.peer, leg)
    assert "not found" in rig.sut.api(f"conference {name} list").lower()
    ended = wait_for(lambda: [h for h in rig.operator.get(f"/accounts/{world.acme.id}/conference-history")
                              if h["room_id"] == room["id"]], what="the ended room in the history")
    assert len(ended[0]["attendees"]) == 2


def test_a_broadcast_room_streams_its_live_audio_to_the_listen_link_until_it_ends(rig, world):
    now = datetime.now(ZoneInfo("America/Toronto")).replace(second=0, microsecond=0, tzinfo=None)
    room = rig.operator.post(f"/accounts/{world.acme.id}/conferences",
                            {"kind": "single_use", "title": "E2E on air", "language": "en", "web_broadcast": True,
                             "starts_at": now.isoformat(), "duration_minutes": 60,
                             "timezone": "America/Toronto"})
    assert room["broadcast_path"].startswith(f"/listen/{room['id']}/")
    with pytest.raises(urllib.error.HTTPError) as refused:  # not running yet
        urllib.request.urlopen(rig.operator.base + room["broadcast_path"], timeout=10)
    assert refused.value.code == 404
    leg = _enter(rig, "100", room, room["admin_code"], SPEAKING)  # the admin "talks": a 440 Hz tone
    name = f"{room['room_number']}-{ACME}"
    wait_for(lambda: "100" in _members(rig, name), what="the speaker in the room")
    stream = wait_for(lambda: _open(rig.operator.base + room["broadcast_path"]), what="the stream answering")
    assert stream.headers["Content-Type"] == "audio/wav"
    header = stream.read(44)
    assert header[:4] == b"RIFF" and header[8:16] == b"WAVEfmt " and header[-8:] == b"data\xff\xff\xff\xff"
    rate = struct.unpack("<I", header[24:28])[0]
    audio = stream.read(rate * 2)  # one second of 16-bit mono, arriving as the room runs
    samples = struct.unpack(f"<{len(audio) // 2}h", audio)
    assert len(audio) == rate * 2 and max(abs(s) for s in samples) > 1000  # the tone, not silence
    rig.peer.api(f"uuid_kill {leg}")
    wait_gone(rig.peer, leg)
    started = time.monotonic()
    while stream.read(65536):  # the stream ends by itself once the room has ended
        assert time.monotonic() - started < 30, "the stream did not end with the room"


def _open(url: str):
    try:
        return urllib.request.urlopen(url, timeout=10)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:  # the room's creation event not applied yet
            return None
        raise
