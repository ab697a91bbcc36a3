"""Core rules for numbers, treatments, menus and closure messages (what needs the database)."""
from __future__ import annotations

import pytest
from lxml import etree

from fs_service import outbox
from fs_service.db import db
from fs_service.errors import NotFound, ValidationFailed
from fs_service.extensions import rules as extensions
from fs_service.models import PhoneNumber, Treatment
from fs_service.numbers import menus, rules as numbers, treatments
from tests.factories import make_account, make_extension
from tests.helpers import xml_curl_body
from tests.integration.test_xml_curl_directory import post


@pytest.fixture
def acme(app):
    account, _ = make_account(name="Acme", sip_domain="acme.test")
    ext = make_extension(account, number="101")
    return account, ext


@pytest.fixture
def beta(app):
    account, _ = make_account(name="Beta", sip_domain="beta.test")
    return account, make_extension(account, number="201")


def field_of(error: pytest.ExceptionInfo) -> str:
    return next(iter(error.value.details))


@pytest.mark.parametrize("typed", ["+15145550100", "15145550100", "5145550100", "514-555-0100", "(514) 555-0100",
                                   "+1 514 555 0100"])
def test_numbers_are_stored_in_e164_whatever_the_writing(acme, typed):
    assert numbers.create_number(acme[0], typed).e164 == "+15145550100"


@pytest.mark.parametrize("bad", ["", "555-0100", "+33142685300", "1514555010", "0145550100", "9115550100",
                                 "5149115555", "514555010a", "+1 514 555 01000"])
def test_non_north_american_numbers_are_refused_naming_the_field(acme, bad):
    with pytest.raises(ValidationFailed) as error:
        numbers.create_number(acme[0], bad)
    assert field_of(error) == "e164"


def test_a_number_belongs_to_one_account_only(acme, beta):
    numbers.create_number(acme[0], "+15145550100")
    with pytest.raises(ValidationFailed) as error:
        numbers.create_number(beta[0], "514 555 0100")
    assert error.value.error_id == "number_taken"


def test_new_number_gets_the_account_zone_and_closure_credentials(acme):
    number = numbers.create_number(acme[0], "+15145550100", label="Main")
    other = numbers.create_number(acme[0], "+15145550101")
    assert number.timezone == "America/Toronto" and len(number.closure_code) == 6
    assert number.closure_password.isdigit() and number.closure_code != other.closure_code
    with pytest.raises(ValidationFailed) as error:
        numbers.create_number(acme[0], "+15145550102", timezone="Mars/Olympus")
    assert field_of(error) == "timezone"


def test_update_number_accepts_only_own_treatments_and_known_fields(acme, beta):
    number = numbers.create_number(acme[0], "+15145550100")
    foreign = treatments.create_treatment(beta[0], kind="hangup")
    with pytest.raises(ValidationFailed) as error:
        numbers.update_number(acme[0], number, dict(open_treatment_id=foreign.id))
    assert field_of(error) == "open_treatment_id"
    with pytest.raises(ValidationFailed):
        numbers.update_number(acme[0], number, dict(e164="+15145550199"))
    with pytest.raises(NotFound):
        numbers.get_number(beta[0], number.id)


def test_treatment_targets_must_be_of_the_same_account(acme, beta):
    with pytest.raises(ValidationFailed) as error:
        treatments.create_treatment(acme[0], kind="extension", extension_id=beta[1].id)
    assert field_of(error) == "extension_id"
    with pytest.raises(ValidationFailed) as error:
        treatments.create_treatment(acme[0], kind="message", message_path="../etc/passwd.wav")
    assert field_of(error) == "message_path"
    ring = treatments.create_treatment(acme[0], kind="extension", extension_id=acme[1].id, message_path="x.wav")
    assert ring.message_path is None  # fields of other kinds are cleared


def test_a_chain_of_messages_may_not_loop(acme):
    account = acme[0]
    first = treatments.create_treatment(account, kind="message", message_path="pbx/office-closed.wav")
    second = treatments.create_treatment(account, kind="message", message_path="pbx/vm-goodbye.wav", message_then="continue",
                                         next_treatment_id=first.id)
    with pytest.raises(ValidationFailed) as error:
        treatments.update_treatment(account, first, dict(message_then="continue", next_treatment_id=second.id))
    assert field_of(error) == "next_treatment_id"


def test_deleting_a_used_treatment_falls_back_to_the_default_and_renews_the_cache(acme):
    account = acme[0]
    number = numbers.create_number(account, "+15145550100")
    closed = treatments.create_treatment(account, kind="hangup")
    numbers.update_number(account, number, dict(closed_treatment_id=closed.id))
    db.session.commit()
    token = number.rules_token
    treatments.delete_treatment(account, closed)
    db.session.commit()
    number = db.session.get(PhoneNumber, number.id)
    assert number.closed_treatment_id is None and number.rules_token != token


def test_menu_rules(acme, beta):
    account = acme[0]
    menu = menus.create_menu(account, name="Accueil")
    assert menu.language == "fr" and menu.repeat_count == 3
    itself = treatments.create_treatment(account, kind="menu", menu_id=menu.id)
    cases = [(dict(timeout_treatment_id=itself.id), "timeout_treatment_id"), (dict(repeat_count=0), "repeat_count"),
             (dict(timeout_seconds=99), "timeout_seconds"), (dict(greeting_path="a b.wav"), "greeting_path"),
             (dict(language="de"), "language"), (dict(name=""), "name")]
    for change, field in cases:
        with pytest.raises(ValidationFailed) as error:
            menus.update_menu(account, menu, change)
        assert field_of(error) == field
    foreign = treatments.create_treatment(beta[0], kind="hangup")
    for keys, field in (({"*": itself.id}, "keys"), ({"2": foreign.id}, "keys.2")):
        with pytest.raises(ValidationFailed) as error:
            menus.set_menu_keys(account, menu, keys)
        assert field_of(error) == field
    hang_up = treatments.create_treatment(account, kind="hangup")
    assert menus.set_menu_keys(account, menu, {"0": hang_up.id, "5": None}) == {"0": hang_up.id}


def test_closure_credentials_unlock_only_their_number(acme):
    account = acme[0]
    number = numbers.create_number(account, "+15145550100")
    other = numbers.create_number(account, "+15145550101")
    code, password = number.closure_code, number.closure_password
    assert numbers.check_closure_credentials(account, code, password) is number
    assert numbers.check_closure_credentials(account, code, password, number_id=number.id) is number
    assert numbers.check_closure_credentials(account, code, password, number_id=other.id) is None
    assert numbers.check_closure_credentials(account, code, password + "1") is None
    assert numbers.check_closure_credentials(account, "", "") is None
    new_code, new_password = numbers.regenerate_closure_credentials(account, number)
    assert numbers.check_closure_credentials(account, new_code, new_password) is number


def test_closure_message_path_is_checked(acme):
    number = numbers.create_number(acme[0], "+15145550100")
    with pytest.raises(ValidationFailed) as error:
        numbers.set_closure_message(acme[0], number, "/tmp/${password}.wav")
    assert field_of(error) == "closure_message_path"
    assert numbers.clear_closure_message(acme[0], number).closure_message_path is None


def test_8400_from_a_phone_of_the_account_hands_over_to_closure_recording(client, acme):
    make_extension(acme[0], number="100")
    body = xml_curl_body("internal-call-answered", "0031-dialplan-101.form").replace(
        b"Caller-Destination-Number=101", b"Caller-Destination-Number=8400")
    found = [(a.get("application"), a.get("data")) for a in etree.fromstring(post(client, body).data).xpath("//action")]
    assert ("set", "pbx_vm_action=closure-record") in found and ("set", "pbx_closure_number_id=") in found
    assert ("set", "pbx_vm_domain=acme.test") in found


def test_deleting_a_number_flushes_the_extensions_that_showed_it_as_caller_id(acme):
    account, ext = acme
    number = numbers.create_number(account, "+15145550100")
    extensions.update_extension(account, ext, dict(outbound_caller_id_name="ACME",
                                                   outbound_caller_id_number_id=number.id))
    extensions.create_softphone(account, ext)
    db.session.commit()
    sent: list = []
    outbox.set_dispatcher(sent.extend)
    numbers.delete_number(account, number)
    db.session.commit()
    assert {(i.user, i.domain) for i in sent} == {("101", "acme.test"), ("101-1", "acme.test")}
    assert db.session.get(type(ext), ext.id).outbound_caller_id_number_id is None


def test_treatment_listing_is_per_account(acme, beta):
    mine = treatments.create_treatment(acme[0], kind="voicemail_login")
    treatments.create_treatment(beta[0], kind="hangup")
    assert [t.id for t in treatments.list_treatments(acme[0])] == [mine.id]
    assert treatments.describe_treatment(mine) == "voicemail_login"
    assert db.session.get(Treatment, mine.id).account_id == acme[0].id
