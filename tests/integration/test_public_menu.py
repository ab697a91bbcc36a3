"""Welcome menus served live: the plan runs ``ivr``, FreeSWITCH fetches ``ivr.conf``, and every
key re-enters the public dialplan where the core plans it (guide 1.2, NOTES §9.10)."""
from __future__ import annotations

import pytest

from fs_service.db import db
from fs_service.numbers import menus, rules as numbers, treatments
from tests.factories import make_account, make_extension
from tests.integration.test_public_calls import (DID_CALL, acme, actions, bridges, call, frozen, plays,  # noqa: F401
                                                 reentry)


@pytest.fixture
def menu(acme):
    account, number, exts = acme
    to_101 = treatments.create_treatment(account, kind="extension", extension_id=exts["101"].id)
    goodbye = treatments.create_treatment(account, kind="message", message_path="pbx/vm-goodbye.wav")
    welcome = menus.create_menu(account, name="Accueil", language="fr", greeting_path="pbx/vm-greeting-menu.wav",
                                timeout_seconds=6, repeat_count=2, timeout_treatment_id=goodbye.id)
    menus.set_menu_keys(account, welcome, {"1": to_101.id})
    run_menu = treatments.create_treatment(account, kind="menu", menu_id=welcome.id)
    numbers.update_number(account, number, dict(open_treatment_id=run_menu.id))
    db.session.commit()
    return welcome


def in_menu(number, menu_id: int, typed: str, **extra) -> bytes:
    return reentry(DID_CALL, typed, pbx_number_id=str(number.id), pbx_stage=f"menu:{menu_id}", **extra)


def test_open_hours_answer_and_run_the_menu_with_its_stage_set(client, acme, menu, frozen):
    frozen(2026, 11, 25, 10, 0)
    found = call(client)
    stage = ("set", f"pbx_stage=menu:{menu.id}")
    assert found.index(stage) < found.index(("answer", "")) < found.index(("ivr", f"pbx_menu_{menu.id}"))
    assert ("set", "sound_prefix=$${sound_prefix_fr}") in found
    assert found[-2:] == [("set", f"pbx_stage=menu-timeout:{menu.id}"), ("transfer", "menu-timeout XML public")]


def test_typing_8500_during_the_greeting_leads_to_voicemail_login(client, acme, menu):
    found = actions(client, in_menu(acme[1], menu.id, "8500"))
    assert found[0] == ("set", "pbx_stage=")
    assert ("set", "pbx_vm_action=login") in found and ("set", "pbx_vm_box=") in found
    assert ("set", "pbx_vm_domain=acme.test") in found and found[-4] == ("socket", "127.0.0.1:8084 async full")


def test_typing_an_extension_rings_it_with_its_settings(client, acme, menu):
    found = actions(client, in_menu(acme[1], menu.id, "102"))
    assert bridges(found) == ["user/102@acme.test"] and ("set", "pbx_vm_box=102") in found


def test_a_key_runs_its_treatment(client, acme, menu):
    assert bridges(actions(client, in_menu(acme[1], menu.id, "1"))) == ["user/101@acme.test"]


def test_8400_hands_the_call_to_the_closure_recording_for_that_number(client, acme, menu):
    found = actions(client, in_menu(acme[1], menu.id, "8400"))
    assert ("set", "pbx_vm_action=closure-record") in found and ("set", f"pbx_closure_number_id={acme[1].id}") in found


def test_invalid_entry_replays_the_menu_then_gives_up_to_the_timeout_treatment(client, acme, menu):
    first = actions(client, in_menu(acme[1], menu.id, "999"))
    assert ("set", "pbx_menu_failures=1") in first and plays(first) == ["pbx/menu-invalid.wav"]
    assert ("ivr", f"pbx_menu_{menu.id}") in first
    second = actions(client, in_menu(acme[1], menu.id, "999", pbx_menu_failures="1"))
    assert plays(second) == ["pbx/vm-goodbye.wav"] and ("ivr", f"pbx_menu_{menu.id}") not in second


def test_menu_timeout_reentry_plans_the_timeout_treatment(client, acme, menu):
    body = reentry(DID_CALL, "menu-timeout", pbx_number_id=str(acme[1].id), pbx_stage=f"menu-timeout:{menu.id}")
    assert plays(actions(client, body)) == ["pbx/vm-goodbye.wav"]


def test_a_menu_of_another_account_cannot_be_resumed(client, acme, menu):
    other, _ = make_account(name="Beta", sip_domain="beta.test")
    make_extension(other, number="102")
    foreign = numbers.create_number(other, "+15145550177")
    db.session.commit()
    assert actions(client, in_menu(foreign, menu.id, "102"))[-1] == ("hangup", "NORMAL_CLEARING")


def test_saved_menu_keys_are_live_on_the_next_keypress(client, acme, menu):
    account, number, exts = acme
    assert bridges(actions(client, in_menu(number, menu.id, "1"))) == ["user/101@acme.test"]
    to_102 = treatments.create_treatment(account, kind="extension", extension_id=exts["102"].id)
    menus.set_menu_keys(account, menu, {"1": to_102.id})
    db.session.commit()
    assert bridges(actions(client, in_menu(number, menu.id, "1"))) == ["user/102@acme.test"]
    treatments.update_treatment(account, to_102, dict(kind="voicemail_login"))
    db.session.commit()
    assert ("set", "pbx_vm_action=login") in actions(client, in_menu(number, menu.id, "1"))


def test_voicemail_key_0_running_a_menu_treatment_re_enters_here_with_that_treatment(client, acme, menu):
    account, number, _ = acme
    run_menu = treatments.create_treatment(account, kind="menu", menu_id=menu.id)
    db.session.commit()
    found = actions(client, reentry(DID_CALL, "pbx-treatment", pbx_number_id=str(number.id),
                                    pbx_stage=f"treatment:{run_menu.id}"))
    assert found[0] == ("set", "pbx_stage=") and ("ivr", f"pbx_menu_{menu.id}") in found


def test_a_treatment_of_another_account_is_never_run(client, acme, menu):
    other, _ = make_account(sip_domain="other.test")
    foreign = treatments.create_treatment(other, kind="message", message_path="pbx/vm-cancelled.wav")
    db.session.commit()
    found = actions(client, reentry(DID_CALL, "pbx-treatment", pbx_number_id=str(acme[1].id),
                                    pbx_stage=f"treatment:{foreign.id}"))
    assert found == [("set", "pbx_stage="), ("hangup", "NORMAL_CLEARING")]
