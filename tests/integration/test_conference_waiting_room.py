"""The waiting room driven by our ESL handlers (CONF-4, CONF-5): the recorded
``conference-wait-mod-hold`` and ``conference-two-members`` streams replayed through the fake
FreeSWITCH, asserting the room commands sent back and the attendance rows written."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from fs_service.audio_storage import current_storage
from fs_service.conferences import names, queries, rooms
from fs_service.conferences.entry_model import Admission
from fs_service.db import db
from fs_service.models import ConferenceAttendance, ConferenceSession
from tests.helpers import until
from tests.integration.test_esl_listener_support import esl, event_frames, fake_fs, tenants  # noqa: F401 - fixtures

WAIT_MOD = "conference-wait-mod-hold"  # 100 joins 3001-acme.test, 101 moderator joins and leaves


def room_numbered(account, number: str, **options):
    room = rooms.create_room(account, None, {"kind": "permanent", "title": "Recorded", **options})
    room.room_number = number
    db.session.commit()
    return room


def conference_commands(fake) -> list[str]:
    return [c for c in fake.api_commands() if c.startswith(("conference ", "sched_"))]


def split_at(frames, action: str, member_type: str | None = None):
    """The frames up to and including the first maintenance event with ``action``."""
    from esl_handlers.events import EventHeaders
    for i, (_, body) in enumerate(frames):
        headers = EventHeaders(body)
        if headers.get("Action") == action and member_type in (None, headers.get("Member-Type")):
            return frames[:i + 1], frames[i + 1:]
    raise AssertionError(f"no {action} in the recording")


def test_the_room_cut_is_scheduled_when_it_is_created(esl, tenants):
    room_numbered(tenants["acme"], "3001")
    created, _ = split_at(event_frames(WAIT_MOD), "conference-create")
    esl.send(created)
    found = until(lambda: len(conference_commands(esl.fake)) >= 2 and conference_commands(esl.fake))
    uid = "04cb0b05-b670-437e-835f-4442ed5b21d1"
    assert found[0] == f"sched_api +10800 conf-{uid} conference 3001-acme.test hup all"
    assert found[1] == f"sched_api +10500 conf-{uid} conference 3001-acme.test play pbx/conf-ending-soon.wav"
    session = db.session.scalar(sa.select(ConferenceSession))
    assert (session.node, session.fs_unique_id, session.ended_at) == ("fs1", uid, None)


def test_the_last_admin_leaving_holds_everyone_and_an_admin_joining_releases_them(esl, tenants):
    room_numbered(tenants["acme"], "3001")
    frames = event_frames(WAIT_MOD)
    admin_in, rest = split_at(frames, "add-member", "moderator")
    esl.send(admin_in)
    until(lambda: "conference 3001-acme.test unhold all" in conference_commands(esl.fake))
    admin_out, rest = split_at(rest, "del-member", "moderator")
    esl.send(admin_out)
    until(lambda: "conference 3001-acme.test hold all" in conference_commands(esl.fake))
    esl.send(rest)  # the recording then holds, unholds and hangs up everyone by hand
    found = until(lambda: [c for c in conference_commands(esl.fake) if c.startswith("sched_del")])
    assert found == ["sched_del conf-04cb0b05-b670-437e-835f-4442ed5b21d1"]
    assert [c for c in conference_commands(esl.fake) if " hold " in c or " unhold " in c] == [
        "conference 3001-acme.test hold 1", "conference 3001-acme.test unhold all",
        "conference 3001-acme.test hold all"]


def test_history_rows_record_each_member_join_and_leave(esl, tenants):
    room_numbered(tenants["acme"], "3001")
    esl.send(event_frames(WAIT_MOD))
    session = db.session.scalar(sa.select(ConferenceSession))
    people = db.session.scalars(sa.select(ConferenceAttendance).order_by(ConferenceAttendance.member_id)).all()
    assert session.ended_at is not None and session.max_members == 2
    assert [(p.member_id, p.role, p.caller_number) for p in people] == [(1, "participant", "100"), (2, "admin", "101")]
    assert all(p.joined_at and p.left_at and p.left_at >= p.joined_at for p in people)


def test_a_room_that_is_not_ours_is_ignored(esl, tenants):
    esl.send(event_frames(WAIT_MOD))  # no room 3001 exists
    assert conference_commands(esl.fake) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConferenceSession)) == 0


def test_talking_and_mute_flags_follow_the_events(esl, tenants):
    room_numbered(tenants["acme"], "3000")
    frames = event_frames("conference-two-members")
    muted, _ = split_at(frames, "mute-member")
    esl.send(muted)
    rows = {a.member_id: a for a in db.session.scalars(sa.select(ConferenceAttendance))}
    assert rows[2].muted is True and rows[1].muted is False


def test_a_participant_arriving_after_the_admins_left_is_held_at_once(esl, tenants):
    """wait-mod no longer holds anyone once a moderator came: we hold the newcomer ourselves."""
    room_numbered(tenants["acme"], "3001")
    admin_out, _ = split_at(event_frames(WAIT_MOD), "del-member", "moderator")
    esl.send(admin_out)
    esl.inject({"Event-Name": "CUSTOM", "Event-Subclass": "conference::maintenance", "Action": "add-member",
                "Conference-Name": "3001-acme.test", "Conference-Unique-ID": "04cb0b05-b670-437e-835f-4442ed5b21d1",
                "Member-ID": "3", "Member-Type": "member", "Unique-ID": "late-caller",
                "Caller-Caller-ID-Number": "102"})
    until(lambda: "conference 3001-acme.test hold 3" in conference_commands(esl.fake))


def test_a_recorded_room_starts_recording_into_the_accounts_folder_when_created(esl, tenants):
    room = room_numbered(tenants["acme"], "3001", record_audio=True)
    created, _ = split_at(event_frames(WAIT_MOD), "conference-create")
    esl.send(created)
    found = until(lambda: [c for c in conference_commands(esl.fake) if " record " in c])
    session = db.session.scalar(sa.select(ConferenceSession))
    path = session.recording_path
    assert path.endswith(".wav") and f"/acme.test/conferences/room-{room.id}-" in path
    assert found == [f"conference 3001-acme.test record {session.recording_path}"]


PARTICIPANT_UUID, ADMIN_UUID = "a05f9042-376d-43b8-9c05-7a0a881a1425", "c0d31572-4c00-4eb5-be41-51d314be896a"


def recorded_names() -> tuple[Path, Path]:
    """The admin said their name; the participant's file holds only a WAV header (silence)."""
    storage = current_storage()
    admin, participant = (storage.local_path(names.name_file("acme.test", u)) for u in (ADMIN_UUID, PARTICIPANT_UUID))
    admin.write_bytes(b"RIFF" + bytes(400))
    participant.write_bytes(b"RIFF" + bytes(40))
    return admin, participant


def test_a_room_announcing_members_plays_each_recorded_name_to_the_others_then_forgets_it(esl, tenants):
    room_numbered(tenants["acme"], "3001", announce_members=True)
    admin, participant = recorded_names()
    esl.send(event_frames(WAIT_MOD))
    until(lambda: [c for c in conference_commands(esl.fake) if c.startswith("sched_del")])
    said = names.name_file("acme.test", ADMIN_UUID)
    room = [c for c in conference_commands(esl.fake) if c.startswith("conference ")]
    # 100 alone: nothing announced (and no name); 101 joins and leaves while 100 is there.
    assert room == ["conference 3001-acme.test hold 1", "conference 3001-acme.test unhold all",
                    f"conference 3001-acme.test play {said}", "conference 3001-acme.test play pbx/conf-joined.wav",
                    "conference 3001-acme.test hold all",
                    f"conference 3001-acme.test play {said}", "conference 3001-acme.test play pbx/conf-left.wav"]
    until(lambda: not admin.exists() and not participant.exists())


def test_a_room_without_announcements_plays_no_name(esl, tenants):
    room_numbered(tenants["acme"], "3001")
    admin, _ = recorded_names()
    esl.send(event_frames(WAIT_MOD))
    until(lambda: [c for c in conference_commands(esl.fake) if c.startswith("sched_del")])
    assert not [c for c in conference_commands(esl.fake) if " play " in c and not c.startswith("sched_api")]


def test_a_caller_hanging_up_while_saying_their_name_leaves_no_file_and_a_closed_attendance(esl, tenants):
    room = room_numbered(tenants["acme"], "3001", announce_members=True)
    queries.expect(room.id, ADMIN_UUID, Admission("admin"), "101")  # let in by the entry: recording the name now
    other = ConferenceAttendance(conference_id=room.id, uuid="not-a-room-leg", caller_number="102")
    db.session.add(other)
    db.session.commit()
    said, _ = recorded_names()
    hangup = {"Event-Name": "CHANNEL_HANGUP_COMPLETE", "Unique-ID": ADMIN_UUID, "Hangup-Cause": "NORMAL_CLEARING",
              "variable_pbx_conf_expected": "true"}
    esl.inject({**hangup, "Unique-ID": "not-a-room-leg", "variable_pbx_conf_expected": ""})  # no mark: ignored
    esl.inject(hangup)
    until(lambda: not said.exists())
    db.session.expire_all()
    row = db.session.scalar(sa.select(ConferenceAttendance).where(ConferenceAttendance.uuid == ADMIN_UUID))
    assert row.joined_at is None and row.left_at is not None
    assert db.session.get(ConferenceAttendance, other.id).left_at is None
