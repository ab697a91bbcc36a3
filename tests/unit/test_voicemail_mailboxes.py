"""Mailbox rules (VM-3..5): numbers, limits, email-only, treatments, empty and delete."""
from __future__ import annotations

import pytest

from fs_service import voicemail
from fs_service.db import db
from fs_service.errors import NotFound, ValidationFailed
from fs_service.extensions import rules as extensions
from fs_service.voicemail import mwi
from tests.factories import make_account, make_extension
from tests.fakes.voicemail_world import vm_app, world  # noqa: F401 (fixtures)


@pytest.fixture
def sent_lamps():
    events: list[dict] = []
    mwi.set_sender(events.extend)
    yield events
    mwi.set_sender(None)


def test_standalone_box_with_the_guides_defaults(world):
    box = voicemail.create_mailbox(world.account, number="3000", name="Boîte générale")
    db.session.commit()
    assert (box.max_message_seconds, box.max_messages, box.extension_id) == (180, 100, None)
    assert box.pin.isdigit() and len(box.pin) == 6
    assert "3000" in extensions.used_numbers(world.account)


BAD = {
    "extension number": (dict(number="101"), "number"),
    "reserved number": (dict(number="8500"), "number"),
    "not digits": (dict(number="30a0"), "number"),
    "email only without email": (dict(number="3000", email_only=True), "email_only"),
    "too many messages": (dict(number="3000", max_messages=101), "max_messages"),
    "no messages": (dict(number="3000", max_messages=0), "max_messages"),
    "too long messages": (dict(number="3000", max_message_seconds=601), "max_message_seconds"),
    "short password": (dict(number="3000", pin="12"), "pin"),
    "letters in password": (dict(number="3000", pin="12ab"), "pin"),
}


@pytest.mark.parametrize("values,field", BAD.values(), ids=BAD.keys())
def test_bad_boxes_are_refused_naming_the_field(world, values, field):
    with pytest.raises(ValidationFailed) as caught:
        voicemail.create_mailbox(world.account, **values)
    assert field in caught.value.details


def test_treatments_must_belong_to_the_account(world):
    other, _ = make_account()
    from fs_service.models import Treatment
    foreign = Treatment(account_id=other.id, kind="hangup")
    db.session.add(foreign)
    db.session.commit()
    with pytest.raises(ValidationFailed) as caught:
        voicemail.create_mailbox(world.account, number="3000", key0_treatment_id=foreign.id)
    assert "key0_treatment_id" in caught.value.details


def test_email_only_cannot_lose_its_address(world):
    voicemail.update_mailbox(world.account, world.box, {"email": "bob@example.com", "email_only": True})
    with pytest.raises(ValidationFailed) as caught:
        voicemail.update_mailbox(world.account, world.box, {"email": ""})
    assert "email_only" in caught.value.details


def test_number_cannot_be_changed_and_a_new_pin_unlocks(world):
    with pytest.raises(ValidationFailed):
        voicemail.update_mailbox(world.account, world.box, {"number": "3001"})
    world.box.failed_logins = 2
    voicemail.update_mailbox(world.account, world.box, {"pin": "9876"})
    assert world.box.failed_logins == 0


def test_attach_a_box_to_an_extension_that_lost_its_own(world):
    ext = make_extension(world.account, "102")
    voicemail.delete_mailbox(world.account, voicemail.mailbox_of_extension(ext))
    db.session.commit()
    box = voicemail.create_mailbox(world.account, number="102", extension_id=ext.id)
    assert box.extension_id == ext.id
    with pytest.raises(ValidationFailed):
        voicemail.create_mailbox(world.account, number="102", extension_id=ext.id)


def test_list_shows_messages_over_the_limit(world):
    world.add_message()
    world.add_message(folder="saved")
    [usage] = voicemail.list_mailboxes(world.account)
    assert (usage.messages, usage.new, usage.mailbox.max_messages, usage.full) == (2, 1, 100, False)


def test_empty_removes_messages_and_optionally_greetings_and_turns_the_lamp_off(world, sent_lamps):
    message = world.add_message().audio_path
    greeting = world.add_greeting("temporary")
    assert voicemail.empty_mailbox(world.account, world.box) == 1
    db.session.commit()
    assert world.messages() == [] and "temporary" in world.greetings()
    assert not world.storage.local_path(message).exists()
    assert sent_lamps[-1]["MWI-Messages-Waiting"] == "no"
    voicemail.empty_mailbox(world.account, world.box, delete_greetings=True)
    db.session.commit()
    assert world.greetings() == {} and not world.storage.local_path(greeting).exists()


def test_a_rollback_keeps_the_files_and_sends_no_lamp(world, sent_lamps):
    message = world.add_message()
    voicemail.empty_mailbox(world.account, world.box)
    db.session.rollback()
    assert world.storage.local_path(message.audio_path).exists() and sent_lamps == []


def test_delete_box_removes_rows_and_files_even_with_its_extension(world, sent_lamps):
    message = world.add_message().audio_path
    greeting = world.add_greeting("name")
    extensions.delete_extension(world.account, world.box.extension)
    db.session.commit()
    assert not world.storage.local_path(message).exists()
    assert not world.storage.local_path(greeting).exists()
    assert voicemail.find_mailbox(world.account, "101") is None
    assert sent_lamps[-1]["MWI-Message-Account"] == f"sip:101@{world.domain}"


def test_another_accounts_box_and_messages_are_not_found(world):
    other, _ = make_account()
    message = world.add_message()
    with pytest.raises(NotFound):
        voicemail.get_mailbox(other, world.box.id)
    with pytest.raises(NotFound):
        voicemail.get_message(other, message.id)
    with pytest.raises(NotFound):
        voicemail.empty_mailbox(other, world.box)


def test_message_file_is_the_local_copy_of_freeswitchs_path(world):
    message = world.add_message()
    assert voicemail.message_file(message).read_bytes()[:4] == b"RIFF"
