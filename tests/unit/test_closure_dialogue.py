"""Recording a number's closure message by phone (HRS-4): the dialogue as "caller does" → "caller hears"
tables on the IVR engine alone, against the real database and storage folder."""
from __future__ import annotations

import pytest

from fs_service import sound_files
from fs_service.db import db
from fs_service.numbers import rules as numbers
from fs_service.voicemail.closure_store import MAX_FAILURES
from tests.fakes.ivr_caller import HangUp, Listen, Press, Speak, converse
from tests.fakes.voicemail_world import vm_app, world  # noqa: F401 (fixtures)

ASK = ["ask closure-enter-code", "ask closure-enter-password"]
LOGIN = ["lang fr", *ASK, "lang fr"]  # the caller's language, then the account's
RECORD = ["play closure-record", "play beep", "record"]


@pytest.fixture
def number(world):
    found = numbers.create_number(world.account, "514-555-0100", label="Main")
    other = numbers.create_number(world.account, "514-555-0199", label="Other")
    db.session.commit()
    world.other = other
    return found


def dial_8400(world, actions, number_id=None):
    variables = {"pbx_vm_action": "closure-record", "pbx_vm_domain": world.domain,
                 "pbx_closure_number_id": "" if number_id is None else str(number_id)}
    return converse(world.script(), variables, actions)


def credentials(number) -> list:
    return [Press(number.closure_code + "#"), Press(number.closure_password + "#")]


def message_of(number) -> str | None:
    db.session.expire_all()
    return db.session.get(type(number), number.id).closure_message_path


def existing_message(world, number) -> str:
    path = world.storage.new_recording(world.domain, f"number-{number.id}", "closure")
    from tests.fakes.fake_outbound_apps import write_wav
    write_wav(world.storage.local_path(path), 2.0)
    number.closure_message_path = path
    db.session.commit()
    return path


SCENARIOS = {
    # name: (after login, heard after login, message kept)
    "listen then 1 keeps": ([Speak(3), Listen(), Press("1")],
                            [*RECORD, "play closure", "ask closure-review", "play closure-saved"], True),
    "1 during the playback keeps": ([Speak(3), Press("1")], [*RECORD, "play closure", "play closure-saved"], True),
    "silence in the menu keeps": ([Speak(3), Listen(), Listen()],
                                  [*RECORD, "play closure", "ask closure-review", "play closure-saved"], True),
    "2 records again then keeps": ([Speak(3), Press("2"), Speak(4), Press("1")],
                                   [*RECORD, "play closure", *RECORD, "play closure", "play closure-saved"], True),
    "3 deletes": ([Speak(3), Listen(), Press("3")],
                  [*RECORD, "play closure", "ask closure-review", "play closure-disabled"], False),
    "a short silence disables": ([Speak(0.4)], [*RECORD, "play closure-no-speech,closure-disabled"], False),
}


@pytest.mark.parametrize("actions,heard,kept", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_recording_scenarios(world, number, actions, heard, kept):
    old = existing_message(world, number)
    result = dial_8400(world, [*credentials(number), *actions])
    assert result == [*LOGIN, *heard, "hangup"]
    path = message_of(number)
    assert (path is not None) is kept
    assert not world.storage.local_path(old).exists()  # the previous file is gone either way
    files = list(world.storage.local_root.joinpath(world.domain, f"number-{number.id}").glob("closure-*.wav"))
    assert [str(f) for f in files] == ([str(world.storage.local_path(path))] if kept else [])


def test_a_kept_recording_holds_the_speech_and_is_playable_by_freeswitch(world, number):
    dial_8400(world, [*credentials(number), Speak(3), Press("1")])
    path = message_of(number)
    assert path.startswith(str(world.storage.fs_root)) and sound_files.playable_problem(world.domain, path, world.storage.fs_root) is None


def test_a_wrong_password_is_said_and_asked_again(world, number):
    heard = dial_8400(world, [Press(number.closure_code + "#"), Press("000000#"), *credentials(number),
                              Speak(2), Press("1")])
    assert heard[1:6] == [*ASK, "play closure-login-incorrect", *ASK]
    assert message_of(number) is not None


def test_three_wrong_pairs_lock_the_service_even_for_the_right_password_next_call(world, number):
    wrong = [Press(number.closure_code + "#"), Press("999999#")] * MAX_FAILURES
    heard = dial_8400(world, wrong)
    assert heard[-2:] == ["play closure-locked", "hangup"]
    again = dial_8400(world, [*credentials(number), Speak(3), Press("1")])
    assert again == ["lang fr", *ASK, "play closure-locked", "hangup"]
    assert message_of(number) is None


def test_a_stranger_locking_a_menu_does_not_lock_the_accounts_phones(world, number):
    dial_8400(world, [Press("1#"), Press("2#")] * MAX_FAILURES, number_id=number.id)
    assert dial_8400(world, [*credentials(number), Speak(2), Press("1")], number_id=number.id)[3] == "play closure-locked"
    dial_8400(world, [*credentials(number), Speak(2), Press("1")])
    assert message_of(number) is not None


def test_through_a_numbers_menu_only_that_numbers_code_opens(world, number):
    other = world.other
    heard = dial_8400(world, [*credentials(number), HangUp()], number_id=other.id)
    assert "play closure-login-incorrect" in heard
    dial_8400(world, [*credentials(other), Speak(2), Press("1")], number_id=other.id)
    assert message_of(other) is not None and message_of(number) is None


def test_the_code_of_another_account_never_opens(world, number, vm_app):
    from tests.factories import make_account
    stranger, _ = make_account()
    db.session.commit()
    variables = {"pbx_vm_action": "closure-record", "pbx_vm_domain": stranger.sip_domain}
    heard = converse(world.script(), variables, [*credentials(number), HangUp()])
    assert "play closure-login-incorrect" in heard and message_of(number) is None


HANGUPS = {
    "while recording, after speaking": ([HangUp(seconds=3)], True),
    "while recording, almost nothing said": ([HangUp(seconds=0.3)], False),
    "during the playback": ([Speak(3), HangUp()], True),
}


@pytest.mark.parametrize("actions,replaced", HANGUPS.values(), ids=HANGUPS.keys())
def test_hanging_up_keeps_a_spoken_recording_and_never_turns_the_message_off(world, number, actions, replaced):
    old = existing_message(world, number)
    dial_8400(world, [*credentials(number), *actions])
    path = message_of(number)
    assert path is not None and (path != old) is replaced
    files = list(world.storage.local_root.joinpath(world.domain, f"number-{number.id}").glob("closure-*.wav"))
    assert len(files) == 1
