"""Recorded carrier calls (context public) answered from business hours, exceptions, closure
messages and the blacklist (flow 3), with the planner's clock frozen."""
from __future__ import annotations

import hashlib
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from fs_service.audio_storage import current_storage
from fs_service.callplan import clock
from fs_service.db import db
from fs_service.extensions import rules as extensions
from fs_service.models import Gateway, Mailbox
from fs_service.numbers import rules as numbers, schedules, treatments
from tests.factories import make_account, make_extension, make_live_leg, make_user
from tests.helpers import xml_curl_body
from tests.integration.test_xml_curl_directory import post

DID_CALL = ("inbound-did-call", "0037-dialplan-5145550100.form")  # 4185551234 "Client Inc" → 5145550100
ANONYMOUS_CALL = ("inbound-anonymous-call", "0040-dialplan-5145550100.form")
TORONTO = ZoneInfo("America/Toronto")
WEEKDAYS_9_TO_5 = [dict(weekday=d, opens_at=time(8, 0), closes_at=time(17, 0)) for d in range(5)]


@pytest.fixture
def frozen():
    """Freeze the planner's clock: ``frozen(2026, 11, 25, 10)`` is that wall time in Toronto."""
    def freeze(*parts) -> None:
        at = datetime(*parts, tzinfo=TORONTO)
        clock.set_clock(lambda: at)
    yield freeze
    clock.set_clock(None)


@pytest.fixture
def acme(app):
    account, _ = make_account(name="Acme", sip_domain="acme.test")
    alice = make_user(account, first_name="Alice", last_name="Tremblay")
    exts = {"100": make_extension(account, number="100", user=alice)}
    exts.update({n: make_extension(account, number=n) for n in ("101", "102")})
    db.session.add(Gateway(name="carrier", proxy="sip.carrier.example"))
    number = numbers.create_number(account, "514-555-0100", label="Main")
    ring_alice = treatments.create_treatment(account, kind="extension", extension_id=exts["100"].id)
    closed = treatments.create_treatment(account, kind="message", message_path="pbx/vm-not-available.wav")
    numbers.update_number(account, number, dict(open_treatment_id=ring_alice.id, closed_treatment_id=closed.id))
    schedules.set_week(account, number, WEEKDAYS_9_TO_5)
    db.session.commit()
    return account, number, exts


def own_closure(account, number, name: str) -> str:
    """A path where the number's own closure messages live (fs_service.sound_files' rule)."""
    folder = current_storage().fs_root / account.sip_domain / f"number-{number.id}"
    return str(folder / f"closure-{hashlib.md5(name.encode()).hexdigest()}.wav")


def actions(client, body: bytes) -> list[tuple[str, str]]:
    response = post(client, body)
    assert response.status_code == 200 and b"<?" not in response.data
    doc = etree.fromstring(response.data)
    assert doc.xpath("/document/section[@name='dialplan']/context/@name") == ["public"]
    return [(a.get("application"), a.get("data", "")) for a in doc.xpath("//action")]


def call(client, recording=DID_CALL) -> list[tuple[str, str]]:
    return actions(client, xml_curl_body(*recording))


def reentry(recording, destination: str, **variables: str) -> bytes:
    """The request FreeSWITCH sends after one of our ``transfer <destination> XML public``."""
    body = xml_curl_body(*recording).replace(b"Caller-Destination-Number=5145550100",
                                             f"Caller-Destination-Number={destination}".encode())
    extra = "".join(f"&variable_{name}={value.replace(':', '%3A')}" for name, value in variables.items())
    return body + extra.encode()


def bridges(found):
    return [data for app, data in found if app == "bridge"]


def plays(found):
    """What the plan plays before the voicemail service takes over (not the switch's fallback
    for a voicemail service that does not answer)."""
    return [data for app, data in found if app == "playback" and data != "${pbx_vm_fallback}"]


def test_during_hours_rings_the_open_extension_with_its_settings(client, acme, frozen):
    frozen(2026, 11, 25, 10, 0)  # a Wednesday
    found = call(client)
    assert found[0] == ("set", "pbx_number_id=%d" % acme[1].id)
    assert bridges(found) == ["user/100@acme.test"] and ("set", "call_timeout=20") in found
    assert found[-4] == ("socket", "127.0.0.1:8084 async full") and ("set", "pbx_vm_box=100") in found


def test_saved_extension_settings_are_live_through_the_number(client, acme, frozen):
    account, _, exts = acme
    frozen(2026, 11, 25, 10, 0)
    extensions.update_extension(account, exts["100"], dict(dnd=True, dnd_mode="busy"))
    db.session.commit()
    assert call(client)[-1] == ("hangup", "USER_BUSY")


def test_outside_hours_plays_the_closed_message_then_hangs_up(client, acme, frozen):
    frozen(2026, 11, 25, 17, 0)  # closing time is already closed
    found = call(client)
    assert plays(found) == ["pbx/vm-not-available.wav"] and bridges(found) == []
    assert found[-1] == ("hangup", "NORMAL_CLEARING")


def test_a_number_without_closed_treatment_says_the_office_is_closed(client, acme, frozen):
    account, number, _ = acme
    numbers.update_number(account, number, dict(closed_treatment_id=None))
    db.session.commit()
    frozen(2026, 11, 28, 10, 0)  # Saturday
    assert plays(call(client)) == ["pbx/office-closed.wav"]


def test_exception_date_uses_the_exception_treatment(client, acme, frozen):
    account, number, exts = acme
    box = db.session.query(Mailbox).filter_by(extension_id=exts["101"].id).one()
    to_box = treatments.create_treatment(account, kind="mailbox", mailbox_id=box.id)
    schedules.create_exception(account, number, label="Holiday", start_date=date(2026, 12, 24),
                               end_date=date(2026, 12, 26), treatment_id=to_box.id)
    db.session.commit()
    frozen(2026, 12, 24, 10, 0)
    found = call(client)
    assert ("set", "pbx_vm_box=101") in found and ("set", "pbx_vm_action=deposit") in found and not bridges(found)


@pytest.mark.parametrize("yearly,next_year_plays", [(True, ["pbx/vm-not-available.wav"]), (False, [])])
def test_exception_repeats_next_year_only_when_yearly(client, acme, frozen, yearly, next_year_plays):
    account, number, _ = acme
    schedules.create_exception(account, number, start_date=date(2026, 11, 26), repeat_yearly=yearly)
    db.session.commit()
    frozen(2026, 11, 26, 10, 0)  # Thursday: closed by the exception
    assert plays(call(client)) == ["pbx/vm-not-available.wav"]
    frozen(2027, 11, 26, 10, 0)  # a Friday: open unless the exception repeats
    assert plays(call(client)) == next_year_plays


def test_closed_between_two_times_only_closes_that_window(client, acme, frozen):
    account, number, _ = acme
    schedules.create_exception(account, number, start_date=date(2026, 11, 25), kind="between",
                               closed_from=time(12, 0), closed_until=time(13, 0))
    db.session.commit()
    frozen(2026, 11, 25, 12, 30)
    assert plays(call(client)) == ["pbx/vm-not-available.wav"]
    frozen(2026, 11, 25, 13, 0)
    assert bridges(call(client)) == ["user/100@acme.test"]


def test_closure_message_plays_first_when_closed_as_usual(client, acme, frozen):
    account, number, _ = acme
    message = own_closure(account, number, "main")
    numbers.set_closure_message(account, number, message)
    db.session.commit()
    frozen(2026, 11, 25, 20, 0)
    found = call(client)
    assert plays(found) == [message, "pbx/vm-not-available.wav"]
    assert found.index(("answer", "")) < found.index(("playback", message))
    frozen(2026, 11, 25, 10, 0)
    assert plays(call(client)) == []  # open: no closure message


def test_closure_message_is_skipped_for_an_exception_with_its_own_treatment(client, acme, frozen):
    account, number, _ = acme
    message = own_closure(account, number, "main")
    numbers.set_closure_message(account, number, message)
    hang_up = treatments.create_treatment(account, kind="hangup")
    schedules.create_exception(account, number, start_date=date(2026, 12, 25), treatment_id=hang_up.id)
    schedules.create_exception(account, number, start_date=date(2026, 12, 31))  # default closed behaviour
    db.session.commit()
    frozen(2026, 12, 25, 10, 0)
    assert call(client) == [("set", f"pbx_number_id={number.id}"), ("hangup", "NORMAL_CLEARING")]
    frozen(2026, 12, 31, 10, 0)
    assert plays(call(client))[0] == message


def test_recording_a_short_silence_disables_the_closure_message(client, acme, frozen):
    account, number, _ = acme
    assert numbers.record_closure_message(account, number, own_closure(account, number, "new"), speech_seconds=4.2)
    assert not numbers.record_closure_message(account, number, own_closure(account, number, "silence"),
                                              speech_seconds=0.4)
    db.session.commit()
    frozen(2026, 11, 25, 20, 0)
    assert plays(call(client)) == ["pbx/vm-not-available.wav"]


def test_forward_to_another_extension_reenters_public_and_rings_it(client, acme, frozen):
    account, number, exts = acme
    extensions.update_extension(account, exts["100"], dict(forward_mode="always", forward_destination="101"))
    db.session.commit()
    frozen(2026, 11, 25, 10, 0)
    found = call(client)
    assert ("transfer", "101 XML public") in found and ("set", "pbx_forward_hops=1") in found
    assert not [data for app, data in found if app == "transfer" and "acme.test" in data]
    again = actions(client, reentry(DID_CALL, "101", pbx_number_id=str(number.id), pbx_forward_hops="1"))
    assert bridges(again) == ["user/101@acme.test"]


def test_reentry_for_a_number_reaches_no_external_number_without_a_transferring_phone(client, acme, frozen):
    number = acme[1]
    assert actions(client, reentry(DID_CALL, "5145559876", pbx_number_id=str(number.id)))[-1] == \
        ("hangup", "CALL_REJECTED")
    foreign = make_live_leg("100", "other.test")  # a phone of another account on the other end
    assert actions(client, reentry(DID_CALL, "5145559876", pbx_number_id=str(number.id), last_bridge_to=foreign,
                                   **{"sip_h_Referred-By": "<sip:100@acme.test>"}))[-1] == ("hangup", "CALL_REJECTED")
    assert actions(client, reentry(DID_CALL, "999", pbx_number_id=str(number.id)))[-1] == \
        ("hangup", "UNALLOCATED_NUMBER")


def test_a_caller_blind_transferred_by_a_phone_to_a_mobile_leaves_with_that_phones_rights(client, acme, frozen):
    account, number, exts = acme
    exts["100"].long_distance = "unlimited"
    exts["101"].long_distance = "disabled"
    db.session.commit()
    by_alice = actions(client, reentry(DID_CALL, "16135551234", pbx_number_id=str(number.id),
                                       last_bridge_to=make_live_leg("100", "acme.test")))
    assert bridges(by_alice)[-1].endswith("sofia/gateway/carrier/16135551234")
    # 101 transferred the call and names Alice in its REFER: the header is not believed.
    by_101 = actions(client, reentry(DID_CALL, "16135551234", pbx_number_id=str(number.id),
                                     last_bridge_to=make_live_leg("101", "acme.test"),
                                     **{"sip_h_Referred-By": "<sip:100@acme.test>"}))
    assert by_101[-1] == ("hangup", "OUTGOING_CALL_BARRED") and not bridges(by_101)
