"""Leaving a message, as tables of "the caller does" → "the caller hears" (engine + real database)."""
from __future__ import annotations

import pytest

from fs_service.db import db
from tests.fakes.ivr_caller import HangUp, Listen, Press, Speak, converse
from tests.fakes.voicemail_world import vm_app, world  # noqa: F401 (fixtures)

DEFAULT_GREETING = ["lang fr", "play vm-person-at-extension", "say 101", "play vm-not-available,vm-leave-message"]
KEPT_IF_CUT = "set pbx_vm_fallback=pbx/vm-message-sent.wav"  # the switch says "sent" should the service go
RECORD = [KEPT_IF_CUT, "play beep", "record"]
SENT = ["ask vm-review-message", "play vm-message-sent", "hangup"]


def deposit(world, actions, **variables):
    return converse(world.script(), world.deposit_vars(**variables), actions)


def test_default_greeting_then_message_is_saved_with_caller_and_emailed(world):
    world.box.email = "bob@example.com"
    db.session.commit()
    heard = deposit(world, [Listen(), Listen(), Speak(5), Listen()])
    assert heard == DEFAULT_GREETING + RECORD + SENT
    [message] = world.messages()
    assert (message.folder, message.caller_number, message.caller_name) == ("new", "4185551234", "Client Inc")
    assert message.duration_seconds == 5 and message.email_to == "bob@example.com"
    assert world.storage.local_path(message.audio_path).is_file()
    assert world.emails == [message.id]


GREETING_ORDER = {
    "temporary wins over everything": ({"temporary", "unavailable", "busy", "name"}, "unavailable",
                                       "play temporary"),
    "unavailable greeting": ({"unavailable", "name"}, "unavailable", "play unavailable"),
    "busy greeting when busy": ({"busy", "unavailable"}, "busy", "play busy"),
    "busy without a busy greeting uses unavailable": ({"unavailable"}, "busy", "play unavailable"),
    "recorded name then standard sentence": ({"name"}, "unavailable",
                                             "play name,vm-not-available,vm-leave-message"),
    "recorded name when busy": ({"name"}, "busy", "play name,vm-is-busy,vm-leave-message"),
    "nothing recorded: standard greeting": (set(), "unavailable", "play vm-person-at-extension"),
}


@pytest.mark.parametrize("recorded,situation,first", GREETING_ORDER.values(), ids=GREETING_ORDER.keys())
def test_greeting_order(world, recorded, situation, first):
    for kind in recorded:
        world.add_greeting(kind)
    heard = deposit(world, [Listen(), Listen(), Listen(), Speak(3), Listen()], pbx_vm_greeting=situation)
    assert heard[1] == first


@pytest.mark.parametrize("disposition,first", [("USER_BUSY", "play busy"), ("NO_ANSWER", "play unavailable")])
def test_auto_greeting_follows_why_the_ringing_ended(world, disposition, first):
    world.add_greeting("busy")
    world.add_greeting("unavailable")
    heard = deposit(world, [Listen(), Speak(3), Listen()], pbx_vm_greeting="auto",
                    originate_disposition=disposition)
    assert heard[1] == first


def test_pound_skips_the_greeting(world):
    world.add_greeting("unavailable")
    heard = deposit(world, [Press("#"), Speak(3), Listen()])
    assert heard == ["lang fr", "play unavailable"] + RECORD + SENT


def test_skip_greeting_variable_goes_straight_to_the_tone(world):
    heard = deposit(world, [Speak(3), Listen()], pbx_vm_skip_greeting="true")
    assert heard == ["lang fr"] + RECORD + SENT


def test_full_box_refuses_the_message(world):
    world.box.max_messages = 2
    db.session.commit()
    world.add_message()
    world.add_message(folder="saved")
    assert deposit(world, [Speak(3)]) == ["lang fr", "play vm-mailbox-full", "hangup"]
    assert len(world.messages()) == 2


def test_email_only_box_keeps_the_message_only_until_it_is_emailed(world):
    world.box.email, world.box.email_only = "bob@example.com", True
    db.session.commit()
    deposit(world, [Listen(), Listen(), Speak(4), Listen()])
    [message] = world.messages()
    assert message.delete_after_email and world.emails == [message.id]
    from fs_service import voicemail
    assert voicemail.stored_count(world.box) == 0  # not in the box, not on the lamp


def test_key_0_goes_to_the_accounts_reception(world):
    from tests.factories import make_extension
    reception = world.treatment("extension", extension_id=make_extension(world.account, "102").id)
    world.account.reception_treatment_id = reception.id
    db.session.commit()
    heard = deposit(world, [Press("0")])
    assert heard[-2:] == [f"set pbx_stage=treatment:{reception.id}", f"transfer 102@{world.domain}"]
    assert world.messages() == []


def test_key_0_from_a_company_number_call_reenters_through_public(world):
    from tests.factories import make_extension
    reception = world.treatment("extension", extension_id=make_extension(world.account, "102").id)
    world.box.key0_treatment_id = reception.id
    db.session.commit()
    heard = deposit(world, [Press("0")], pbx_number_id="7")
    assert heard[-1] == "transfer 102@public"


def test_key_0_does_nothing_without_a_reception(world):
    heard = deposit(world, [Press("0"), Listen(), Speak(3), Listen()])
    assert heard == DEFAULT_GREETING + RECORD + SENT


def test_key_star_lets_the_owner_log_into_this_box(world):
    heard = deposit(world, [Press("*"), Press("1234#"), Press("*")])
    assert heard[2:5] == ["lang fr", "ask vm-enter-password", "lang fr"]
    assert "ask vm-main-menu" in heard


def test_box_treatments_replace_the_defaults(world):
    world.box.star_treatment_id = world.treatment("hangup").id
    world.box.key0_treatment_id = world.treatment("message", message_path="pbx/office-closed.wav").id
    db.session.commit()
    assert deposit(world, [Press("*")])[-1] == "hangup"
    assert deposit(world, [Press("0")])[-2:] == ["play office-closed", "hangup"]


def test_a_key_message_saved_before_the_sound_rule_is_skipped_not_played(world):
    """A row holding a path the account may not play (another tenant's file, a voicemail file)
    acts as no treatment: key 0 does what it does without a reception (fs_service.sound_files)."""
    world.box.key0_treatment_id = world.treatment("message", message_path="/etc/passwd.wav").id
    db.session.commit()
    heard = deposit(world, [Press("0"), Listen(), Speak(3), Listen()])
    assert heard == DEFAULT_GREETING + RECORD + SENT and not any("passwd" in line for line in heard)


HANGUPS = {
    "during the greeting: nothing": ([HangUp()], 0),
    "during the recording after speaking: kept": ([Listen(), Listen(), HangUp(seconds=4)], 1),
    "during the recording right after the tone: dropped": ([Listen(), Listen(), HangUp(seconds=0.5)], 0),
    "at the review menu: kept": ([Listen(), Listen(), Speak(4), HangUp()], 1),
    "while listening to it: kept": ([Listen(), Listen(), Speak(4), Press("1"), HangUp()], 1),
}


@pytest.mark.parametrize("actions,kept", HANGUPS.values(), ids=HANGUPS.keys())
def test_hangup_at_every_step(world, actions, kept):
    deposit(world, actions)
    messages = world.messages()
    assert len(messages) == kept
    folder = world.storage.local_root / world.domain / "101"
    assert len(list(folder.glob("msg-*.wav"))) == kept  # a dropped recording leaves no file


def test_too_short_a_message_is_dropped(world):
    heard = deposit(world, [Listen(), Listen(), Speak(1)])
    assert heard[-2:] == ["play vm-no-message-recorded", "hangup"]
    assert world.messages() == []


def test_review_listen_then_record_again_then_send(world):
    heard = deposit(world, [Listen(), Listen(), Speak(3), Press("1"), Listen(), Press("3"), Speak(6), Press("#")])
    assert heard[4:] == RECORD + ["ask vm-review-message", "play msg", "ask vm-review-message",
                                  "play beep", "record"] + SENT
    [message] = world.messages()
    assert message.duration_seconds == 6


def test_unknown_box_says_so(world):
    assert deposit(world, [], pbx_vm_box="999") == ["lang fr", "play vm-mailbox-unavailable", "hangup"]
