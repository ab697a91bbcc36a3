"""Messages the switch recorded while the voicemail service was away (issue 16.2): filed when
the service is back -- once, with the deposit's rules -- and emailed through the mail queue."""
from __future__ import annotations

import os
import time

import sqlalchemy as sa

from fs_service.db import db
from fs_service.models import MailDelivery
from fs_service.voicemail import recovery
from tests.fakes.fake_outbound_apps import write_wav
from tests.fakes.voicemail_world import vm_app, world  # noqa: F401

QUIET = recovery.SETTLED_SECONDS + 1


def recorded(world, seconds: float, box: str = "101", quiet_for: float = QUIET) -> tuple[str, object]:
    """A file the switch wrote into the box's folder (no message row), last written ``quiet_for`` ago."""
    fs_path = world.storage.new_recording(world.domain, box, "msg")
    local = world.storage.local_path(fs_path)
    write_wav(local, seconds)
    when = time.time() - quiet_for
    os.utime(local, (when, when))
    return fs_path, local


def test_a_finished_recording_with_no_row_becomes_a_new_message_with_its_email(vm_app, world):  # noqa: F811
    world.box.email = "bob@example.com"
    db.session.commit()
    fs_path, _ = recorded(world, 6)
    assert recovery.recover(vm_app, world.store) == recovery.RecoveryPass(filed=1, waiting=0)
    [message] = world.messages()
    assert (message.audio_path, message.folder, message.duration_seconds) == (fs_path, "new", 6)
    assert message.caller_number == ""  # the file does not say who called
    assert world.emails == [message.id]
    assert recovery.recover(vm_app, world.store) == recovery.RecoveryPass(filed=0, waiting=0)  # once
    assert len(world.messages()) == 1 and world.emails == [message.id]


def test_a_recording_still_being_written_waits_for_the_next_pass(vm_app, world):  # noqa: F811
    fs_path, local = recorded(world, 4, quiet_for=0)
    assert recovery.recover(vm_app, world.store) == recovery.RecoveryPass(filed=0, waiting=1)
    assert world.messages() == []
    when = time.time() - QUIET
    os.utime(local, (when, when))
    assert recovery.recover(vm_app, world.store).filed == 1
    assert [m.audio_path for m in world.messages()] == [fs_path]


def test_short_recordings_are_dropped_and_unknown_boxes_left_alone(vm_app, world):  # noqa: F811
    _, short = recorded(world, 1)
    _, stranger = recorded(world, 5, box="999")
    assert recovery.recover(vm_app, world.store) == recovery.RecoveryPass(filed=0, waiting=0)
    assert not short.exists() and stranger.exists() and world.messages() == []


def test_the_dialogue_finishing_late_keeps_the_one_row_the_recovery_filed(vm_app, world):  # noqa: F811
    world.box.email = "bob@example.com"
    db.session.commit()
    fs_path, _ = recorded(world, 5)
    recovery.recover(vm_app, world.store)
    [message] = world.messages()
    box = world.store.find_box(world.domain, "101")
    assert world.store.leave_message(box, fs_path, 5, "4185551234", "Client Inc") == message.id
    assert len(world.messages()) == 1
    assert db.session.scalar(sa.select(sa.func.count(MailDelivery.id))) == 1


def test_messages_of_the_service_are_never_refiled(vm_app, world):  # noqa: F811
    message = world.add_message(seconds=5)
    when = time.time() - QUIET
    os.utime(world.storage.local_path(message.audio_path), (when, when))
    assert recovery.recover(vm_app, world.store) == recovery.RecoveryPass(filed=0, waiting=0)
    assert [m.id for m in world.messages()] == [message.id]
