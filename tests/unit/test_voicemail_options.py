"""Mailbox options by phone (VM-2): the guide's 0 → 4 → 1 / 2, the other greetings, the password."""
from __future__ import annotations

import pytest

from fs_service.db import db
from tests.fakes.ivr_caller import HangUp, Listen, Press, Speak, converse
from tests.fakes.voicemail_world import vm_app, world  # noqa: F401 (fixtures)

LOGGED_IN = [Press("1234#"), Press("0")]  # own phone: password, then 0 = options


def options(world, actions):
    return converse(world.script(), world.login_vars("101"), [*LOGGED_IN, *actions])


def test_0_4_1_records_a_temporary_greeting_that_the_next_caller_hears_first(world):
    world.add_greeting("unavailable")
    heard = options(world, [Press("4"), Press("1"), Speak(4), Press("2"), Press("*"), Press("*")])
    start = heard.index("ask vm-greeting-temporary,vm-greeting-menu")
    assert heard[start:start + 6] == ["ask vm-greeting-temporary,vm-greeting-menu", "play vm-record-greeting",
                                      "play beep", "record", "ask vm-review-greeting", "play vm-greeting-saved"]
    temporary = world.greetings()["temporary"]
    assert world.storage.local_path(temporary).is_file()
    deposit = converse(world.script(), world.deposit_vars(), [Listen(), Speak(3), Listen()])
    assert deposit[1] == "play temporary"


def test_0_4_2_removes_it_and_the_usual_greeting_is_back(world):
    world.add_greeting("unavailable")
    old = world.add_greeting("temporary")
    heard = options(world, [Press("4"), Press("2"), Press("*"), Press("*")])
    assert "play vm-greeting-removed" in heard
    assert "temporary" not in world.greetings()
    assert not world.storage.local_path(old).exists()
    deposit = converse(world.script(), world.deposit_vars(), [Listen(), Speak(3), Listen()])
    assert deposit[1] == "play unavailable"


def test_removing_a_greeting_that_does_not_exist_says_so(world):
    assert "play vm-no-greeting" in options(world, [Press("4"), Press("2"), Press("*"), Press("*")])


@pytest.mark.parametrize("key,kind,instructions", [("1", "unavailable", "play vm-record-greeting"),
                                                   ("2", "busy", "play vm-record-greeting"),
                                                   ("3", "name", "play vm-record-name")])
def test_the_other_greetings_follow_the_same_keys(world, key, kind, instructions):
    heard = options(world, [Press(key), Press("1"), Speak(3), Press("2"), Press("*"), Press("*")])
    assert instructions in heard
    assert set(world.greetings()) == {kind}


def test_a_new_recording_replaces_the_old_file(world):
    old = world.add_greeting("unavailable")
    options(world, [Press("1"), Press("1"), Speak(3), Press("2"), Press("*"), Press("*")])
    assert world.greetings()["unavailable"] != old
    assert not world.storage.local_path(old).exists()


REVIEW = {
    "listen then keep": ([Press("1"), Listen(), Press("2")], True),
    "silence keeps": ([Listen()], True),
    "record again then keep": ([Press("3"), Speak(2), Press("2")], True),
    "star cancels": ([Press("*")], False),
    "hang up keeps": ([HangUp()], True),
}


@pytest.mark.parametrize("review,kept", REVIEW.values(), ids=REVIEW.keys())
def test_greeting_review(world, review, kept):
    options(world, [Press("4"), Press("1"), Speak(3), *review, Press("*"), Press("*")])
    assert ("temporary" in world.greetings()) is kept
    files = list((world.storage.local_root / world.domain / "101").glob("temporary-*.wav"))
    assert len(files) == int(kept)


def test_hangup_while_recording_a_greeting_keeps_what_was_said(world):
    options(world, [Press("4"), Press("1"), HangUp(seconds=3)])
    assert "temporary" in world.greetings()


def test_hangup_right_after_the_tone_records_nothing(world):
    options(world, [Press("4"), Press("1"), HangUp(seconds=0.2)])
    assert world.greetings() == {}


def test_change_password(world):
    heard = options(world, [Press("5"), Press("4321#"), Press("4321#"), Press("*"), Press("*")])
    assert "play vm-password-changed" in heard
    db.session.refresh(world.box)
    assert world.box.pin == "4321"


@pytest.mark.parametrize("typed,said", [(["4321#", "9999#"], "play vm-password-mismatch"),
                                        (["12#"], "play vm-cancelled")])
def test_password_not_changed(world, typed, said):
    heard = options(world, [Press("5"), *map(Press, typed), Press("*"), Press("*")])
    assert said in heard
    db.session.refresh(world.box)
    assert world.box.pin == "1234"


@pytest.mark.parametrize("steps", range(0, 4))
def test_hangup_at_every_options_step(world, steps):
    actions = [Press("4"), Press("1"), Speak(3), Press("2")][:steps]
    heard = options(world, [*actions, HangUp()])
    assert heard[-1] != "hangup"
