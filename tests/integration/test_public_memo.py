"""Bursts on one number: within one second, a call whose treatment reads no live state is
planned once (public.plan_first's memo), yet any change -- the menu, the schedule, the
closure message, the treatment -- shows on the very next call, and an extension (live busy
state) is planned for every call."""
from __future__ import annotations

from fs_service.callplan import public
from fs_service.db import db
from fs_service.models import ActiveChannel
from fs_service.numbers import menus, rules as numbers, treatments
from tests.helpers import xml_curl_body
from tests.integration.test_public_calls import DID_CALL, acme, call, frozen, plays  # noqa: F401
from tests.integration.test_public_menu import menu  # noqa: F401
from tests.integration.test_xml_curl_directory import post


def body_from(caller: str) -> bytes:
    return xml_curl_body(*DID_CALL).replace(b"Caller-Caller-ID-Number=", f"Caller-Caller-ID-Number={caller}&x=".encode(), 1)


def test_one_second_of_calls_to_a_menu_shares_one_plan_whatever_the_caller(client, acme, menu, frozen):
    frozen(2026, 11, 25, 10, 0)
    public._FIRST.clear()
    first = post(client, body_from("4185550001")).data
    again = post(client, body_from("4185550002")).data
    assert first == again and b"ivr" in first and len(public._FIRST) == 1


def test_changes_show_on_the_next_call_of_the_same_second(client, acme, menu, frozen):  # noqa: F811
    account, number, exts = acme
    frozen(2026, 11, 25, 10, 0)
    assert ("ivr", f"pbx_menu_{menu.id}") in call(client)
    menus.update_menu(account, menu, dict(language="en"))
    db.session.commit()
    assert ("set", "default_language=en") in call(client)
    goodbye = treatments.create_treatment(account, kind="message", message_path="pbx/vm-goodbye.wav")
    numbers.update_number(account, number, dict(open_treatment_id=goodbye.id))
    db.session.commit()
    assert plays(call(client)) == ["pbx/vm-goodbye.wav"]


def test_an_extension_treatment_is_planned_for_every_call(client, acme, frozen):  # noqa: F811
    account, number, exts = acme  # open treatment: ring Alice (100)
    frozen(2026, 11, 25, 10, 0)
    exts["100"].busy_behaviour = "message"
    db.session.commit()
    assert "pbx/user-busy.wav" not in plays(call(client))
    db.session.add(ActiveChannel(uuid="busy-100", node="fs1", sip_user="100", sip_domain="acme.test",
                                 state="answered"))
    db.session.commit()
    assert "pbx/user-busy.wav" in plays(call(client))
