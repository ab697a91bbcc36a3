"""The closure message recorded by phone (HRS-4), end to end: the dialplan hands 8400 to the
outbound socket, the fake FreeSWITCH plays the caller (DTMF, speech), our server runs the
dialogue, and the next carrier call on the closed number hears the new message first."""
from __future__ import annotations

from pathlib import Path

import pytest

from esl_handlers.outbound import build_voicemail_server
from fs_service.db import db
from fs_service.models import PhoneNumber
from fs_service.numbers import menus, rules as numbers
from tests.fakes.fake_freeswitch import FakeFreeSwitch
from tests.fakes.fake_outbound import FakeOutboundCall, Listen, Press, Speak
from tests.fakes.fake_outbound_apps import write_wav
from tests.helpers import until
from tests.integration.test_ivr_conf import ivr_conf
from tests.integration.test_public_calls import acme, actions, call, frozen, plays  # noqa: F401 (fixtures)
from tests.integration.test_public_menu import in_menu, menu  # noqa: F401 (fixture)

CLOSED_AT = (2026, 11, 25, 20, 0)  # a Wednesday evening: closed as usual


@pytest.fixture
def switch():
    """The FreeSWITCH node the calls come from: the voicemail socket checks each channel there."""
    with FakeFreeSwitch(password="esl-secret") as fake:
        yield fake


@pytest.fixture
def app(make_app, tmp_path, switch):
    """The shared fixtures (accounts, numbers, calls) on an app whose storage folder is the
    test's and whose one node is the fake switch."""
    found = make_app(voicemail_storage=str(tmp_path / "voicemail"), freeswitch_nodes=f"fs1=127.0.0.1:{switch.port}")
    with found.app_context():
        yield found


@pytest.fixture
def server(app):
    found = build_voicemail_server(app, "127.0.0.1:0").start()
    yield found
    found.stop()


def socket_variables(found: list[tuple[str, str]]) -> dict[str, str]:
    """What the rendered plan sets on the channel before ``socket`` (the dialogue's input)."""
    assert found[-4][0] == "socket"  # then the switch's fallback should the service not answer
    return dict(data.split("=", 1) for app, data in found if app == "set" and data.startswith("pbx_"))


def dial_8400(server, switch, number: PhoneNumber, actions, number_id: str = "") -> FakeOutboundCall:
    variables = {"pbx_vm_action": "closure-record", "pbx_closure_number_id": number_id,
                 "pbx_vm_domain": "acme.test"}
    return FakeOutboundCall(server.port, variables, list(actions), switch=switch).run()


def credentials(number: PhoneNumber) -> list:
    return [Press(number.closure_code + "#"), Press(number.closure_password + "#")]


def stored_message(number: PhoneNumber) -> str | None:
    db.session.expire_all()
    return db.session.get(PhoneNumber, number.id).closure_message_path


def test_8400_during_the_menu_records_the_message_the_next_closed_call_hears_first(
        client, acme, menu, server, switch, frozen):
    _, number, _ = acme
    variables = socket_variables(actions(client, in_menu(number, menu.id, "8400")))
    assert variables["pbx_closure_number_id"] == str(number.id)
    fake = FakeOutboundCall(server.port, variables, [*credentials(number), Speak(3), Listen(), Press("1")],
                            switch=switch).run()
    [recorded] = [arg.split(" ")[0] for app, arg in fake.apps if app == "record"]
    assert ("playback", recorded) in fake.apps  # played back before the choice
    assert ("playback", "pbx/closure-saved.wav") in fake.apps and fake.apps[-1] == ("hangup", "NORMAL_CLEARING")
    assert stored_message(number) == recorded
    until(lambda: server.active_calls == 0)
    frozen(*CLOSED_AT)
    assert plays(call(client)) == [recorded, "pbx/vm-not-available.wav"]


def test_a_short_silence_by_phone_disables_the_message_and_deletes_its_file(client, acme, server, switch, frozen, app):
    _, number, _ = acme
    dial_8400(server, switch, number, [*credentials(number), Speak(3), Press("1")])
    first = stored_message(number)
    fake = dial_8400(server, switch, number, [*credentials(number), Speak(0.4)])
    assert ("playback", "file_string://pbx/closure-no-speech.wav!pbx/closure-disabled.wav") in fake.apps
    assert stored_message(number) is None
    assert first is not None and list(Path(app.config["PBX"].voicemail_storage).rglob("closure-*.wav")) == []
    frozen(*CLOSED_AT)
    assert plays(call(client)) == ["pbx/vm-not-available.wav"]


def test_re_recording_replaces_the_message_and_the_old_file(client, acme, server, switch):
    _, number, _ = acme
    dial_8400(server, switch, number, [*credentials(number), Speak(3), Press("1")])
    first = stored_message(number)
    dial_8400(server, switch, number, [*credentials(number), Speak(2), Press("2"), Speak(4), Listen(), Press("1")])
    second = stored_message(number)
    assert second != first and not Path(first).exists() and Path(second).is_file()


def test_three_wrong_passwords_end_the_call_without_recording(client, acme, server, switch):
    _, number, _ = acme
    fake = dial_8400(server, switch, number, [Press(number.closure_code + "#"), Press("1#")] * 3)
    assert ("playback", "pbx/closure-locked.wav") in fake.apps
    assert not any(app == "record" for app, _ in fake.apps)
    assert stored_message(number) is None


def test_the_key_3_deletes_an_uploaded_message(client, acme, server, switch, tmp_path):
    account, number, _ = acme
    source = tmp_path / "upload.wav"
    write_wav(source, 2.0)
    numbers.upload_closure_message(account, number, source.read_bytes())
    db.session.commit()
    uploaded = stored_message(number)
    assert Path(uploaded).is_file()
    dial_8400(server, switch, number, [*credentials(number), Speak(3), Listen(), Press("3")])
    assert stored_message(number) is None and not Path(uploaded).exists()


def test_uploaded_files_are_what_freeswitch_plays(client, acme, menu, frozen, tmp_path):
    """The closure message first on a closed call; the menu greeting in ivr.conf."""
    account, number, _ = acme
    source = tmp_path / "upload.wav"
    write_wav(source, 2.0)
    numbers.upload_closure_message(account, number, source.read_bytes())
    menus.upload_menu_greeting(account, menu, source.read_bytes())
    db.session.commit()
    frozen(*CLOSED_AT)
    assert plays(call(client)) == [stored_message(number), "pbx/vm-not-available.wav"]
    greeting = ivr_conf(client, f"pbx_menu_{menu.id}", number.id).xpath("//menu")[0].get("greet-long")
    assert greeting == menu.greeting_path and Path(greeting).is_file()
