"""Listening to messages by phone (VM-1): login, counts, navigation, envelope, lockout."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from fs_service.db import db
from tests.fakes.ivr_caller import HangUp, Listen, Press, converse
from tests.fakes.voicemail_world import vm_app, world  # noqa: F401 (fixtures)

MAIN = "ask vm-main-menu"


def login(world, actions, box=""):
    return converse(world.script(), world.login_vars(box), actions)


def test_own_phone_asks_only_the_password(world):
    heard = login(world, [Press("1234#"), Press("*")], box="101")
    assert heard == ["lang fr", "ask vm-enter-password", "lang fr", "play vm-no-messages", MAIN,
                     "play vm-goodbye", "hangup"]


def test_any_phone_asks_the_box_then_the_password(world):
    heard = login(world, [Press("101#"), Press("1234#"), Press("*")])
    assert heard[:3] == ["lang fr", "ask vm-enter-mailbox", "ask vm-enter-password"]
    assert MAIN in heard


def test_the_menus_speak_the_box_owners_language(world):
    world.box.extension.language = "en"
    db.session.commit()
    heard = login(world, [Press("1234#"), Press("*")], box="101")
    assert heard[:3] == ["lang fr", "ask vm-enter-password", "lang en"]


def test_counts_are_announced_with_singular_and_plural(world):
    world.add_message()
    world.add_message()
    world.add_message(folder="saved")
    heard = login(world, [Press("1234#"), Press("*")], box="101")
    assert heard[3:9] == ["play vm-you-have", "say 2", "play vm-new-messages", "play vm-and", "say 1",
                          "play vm-saved-message"]


def test_three_wrong_passwords_lock_the_box(world):
    heard = login(world, [Press("1#"), Press("2#"), Press("3#")], box="101")
    assert heard == ["lang fr", "ask vm-enter-password", "play vm-login-incorrect", "ask vm-enter-password",
                     "play vm-login-incorrect", "ask vm-enter-password", "play vm-too-many-attempts", "hangup"]
    again = login(world, [Press("1234#")], box="101")  # even the right password, for a while
    assert again[-2:] == ["play vm-mailbox-locked", "hangup"]


def test_unknown_boxes_fail_like_wrong_passwords(world):
    heard = login(world, [Press("555#"), Press("1234#"), Press("555#"), Press("1#"), Press("555#"), Press("1#")])
    assert heard.count("play vm-login-incorrect") == 3 and heard[-2] == "play vm-too-many-attempts"


def test_a_good_password_resets_the_failure_count(world):
    login(world, [Press("1#"), Press("2#"), Press("1234#"), Press("*")], box="101")
    db.session.refresh(world.box)
    assert world.box.failed_logins == 0 and world.box.locked_until is None


NAVIGATION = {
    "save moves the message to saved": ([Press("2")], "saved", 1),
    "delete removes it": ([Press("3")], None, 0),
    "next leaves it new": ([Press("6")], "new", 1),
    "replay then save": ([Press("1"), Listen(), Press("2")], "saved", 1),
    "star returns to the main menu": ([Press("*")], "new", 1),
}


@pytest.mark.parametrize("keys,folder,left", NAVIGATION.values(), ids=NAVIGATION.keys())
def test_message_navigation(world, keys, folder, left):
    world.add_message()
    login(world, [Press("1234#"), Press("1"), *keys, Press("*")], box="101")
    messages = world.messages()
    assert len(messages) == left
    assert not messages or messages[0].folder == folder


def test_listening_plays_new_messages_in_order_with_their_menu(world):
    world.add_message(caller="111")
    world.add_message(caller="222")
    heard = login(world, [Press("1234#"), Press("1"), Listen(), Press("6"), Listen(), Press("2"), Press("*")],
                  box="101")
    start = heard.index("play vm-message")
    assert heard[start:start + 9] == ["play vm-message", "say 1", "play msg", "ask vm-message-menu",
                                      "play vm-message", "say 2", "play msg", "ask vm-message-menu",
                                      "play vm-saved"]
    assert "play vm-no-more-messages" in heard
    assert [m.folder for m in world.messages()] == ["new", "saved"]


def test_a_key_during_the_message_acts_at_once(world):
    world.add_message()
    heard = login(world, [Press("1234#"), Press("1"), Press("3"), Press("*")], box="101")
    assert "ask vm-message-menu" not in heard and "play vm-deleted" in heard


def test_envelope_says_the_date_and_the_caller(world):
    message = world.add_message(caller="4185551234")
    message.created_at = datetime(2026, 3, 5, 19, 30, tzinfo=timezone.utc)
    db.session.commit()
    heard = login(world, [Press("1234#"), Press("1"), Listen(), Press("5"), Press("*"), Press("*")], box="101")
    start = heard.index("play vm-received")
    assert heard[start:start + 4] == ["play vm-received", f"say {int(message.created_at.timestamp())}",
                                      "play vm-from", "say 4185551234"]


def test_saved_messages_are_key_2(world):
    world.add_message(folder="saved")
    heard = login(world, [Press("1234#"), Press("2"), Press("3"), Press("*")], box="101")
    assert "play vm-deleted" in heard and world.messages() == []


@pytest.mark.parametrize("steps", range(1, 6))
def test_hangup_at_every_step_ends_cleanly(world, steps):
    world.add_message()
    actions = [Press("1234#"), Press("1"), Listen(), Press("2"), Press("*")][:steps]
    heard = login(world, [*actions, HangUp()], box="101")
    assert (heard[-1] == "hangup") == (steps == 5)  # the caller left first: nothing more was sent
