"""Web broadcast (CONF-1/CONF-2 option) from the switch's recorded events: a broadcasting
single-use room is also recorded into its live file when created (not the room's recording),
the link streams it while the occurrence runs, and the file goes with the occurrence. Wrong
token, permanent room or room not running: the same 404."""
from __future__ import annotations

import sqlalchemy as sa

from fs_service.audio_storage import current_storage
from fs_service.conferences import broadcast
from fs_service.db import db
from fs_service.models import ConferenceSession
from tests.helpers import until
from tests.integration.test_conference_waiting_room import WAIT_MOD, conference_commands, room_numbered, split_at
from tests.integration.test_esl_listener_support import esl, event_frames, fake_fs, tenants  # noqa: F401 - fixtures
from tests.unit.test_broadcast_stream import header


def _on_air(acme, **options):
    room = room_numbered(acme, "3001", **options)
    room.kind, room.web_broadcast = "single_use", True
    db.session.commit()
    return room


def test_a_broadcasting_room_records_its_live_file_streamed_by_the_link_until_it_ends(client, esl, tenants):
    room = _on_air(tenants["acme"], record_audio=True)
    link = f"/listen/{room.id}/{broadcast.token(room)}"
    assert client.get(link).status_code == 404  # not running
    created, rest = split_at(event_frames(WAIT_MOD), "conference-create")
    esl.send(created)
    session = db.session.scalar(sa.select(ConferenceSession))
    live = broadcast.live_file("acme.test", session.id)
    records = until(lambda: [c for c in conference_commands(esl.fake) if " record " in c and "live-" in c])
    assert records == [f"conference 3001-acme.test record {live}"]
    esl.inject({"Event-Name": "CUSTOM", "Event-Subclass": "conference::maintenance", "Action": "start-recording",
                "Conference-Name": "3001-acme.test", "Conference-Unique-ID": session.fs_unique_id, "Path": live})
    db.session.refresh(session)
    assert session.recording_path != live  # the room's own recording stays the history's

    local = current_storage().local_path(live)
    local.write_bytes(header() + b"\x10\x00" * 800)
    assert client.get(f"/listen/{room.id}/{'0' * 32}").status_code == 404
    streaming = client.get(link, buffered=False)
    assert streaming.status_code == 200 and streaming.mimetype == "audio/wav"
    chunks = streaming.response
    assert next(chunks)[:4] == b"RIFF" and next(chunks) == b"\x10\x00" * 800
    esl.send(rest)  # the room ends: the stream ends, the live file is deleted
    assert b"".join(chunks) == b""
    until(lambda: not local.exists())
    assert client.get(link).status_code == 404


def test_a_permanent_room_never_broadcasts(client, esl, tenants):
    room = room_numbered(tenants["acme"], "3001")
    room.web_broadcast = True  # written behind the rules' back
    db.session.commit()
    esl.send(split_at(event_frames(WAIT_MOD), "conference-create")[0])
    assert not [c for c in conference_commands(esl.fake) if "live-" in c]
    assert client.get(f"/listen/{room.id}/{broadcast.token(room)}").status_code == 404
