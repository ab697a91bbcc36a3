"""Each model family's files rendered from one fixed configuration (golden files under
tests/fixtures/provisioning/), read back the way the phone reads them: Yealink as
``key = value`` lines after the mandatory ``#!version`` header, the others as XML with lxml."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from fs_service.phones.models import MODELS
from fs_service.phones.provisioning import Blf, PhoneConfig, PhoneContact, RemoteBook, SipLine
from web.provisioning import grandstream, polycom, snom, yealink

GOLDEN = Path(__file__).parent.parent / "fixtures" / "provisioning"
BASE = "https://pbx.example.com/provisioning/S3cr3t"


def phone(model: str, **overrides) -> PhoneConfig:
    values = dict(
        mac="001565aabbcc", model=MODELS[model], switch_host="sip.example.com", switch_port=5060,
        timezone="America/Toronto", utc_offset_minutes=-300, posix_tz="EST5EDT,M3.2.0,M11.1.0", language="fr",
        lines=[SipLine(1, 1, "101", "pw-101", "acme.test", "Alice Martin", "101"),
               SipLine(2, 2, "102", "pw-102", "acme.test", "Bob Roy", "102")],
        configure_books=True,
        contacts=[PhoneContact("Chloé Côté", "Chloé", "Côté", "103"), PhoneContact("Dan <&> Day", "Dan <&>", "Day", "104"),
                  PhoneContact("Client Inc", "Client Inc", "", "5145550000")],
        favourites=[Blf(3, "103", "Chloé Côté"), Blf(4, "104", "Dan <&> Day"), Blf(5, "105", "Eve")],
        remote_books=[RemoteBook("company", "Acme"), RemoteBook("7", "Suppliers")])
    values.update(overrides)
    return PhoneConfig(**values)


def check_golden(name: str, body: bytes) -> None:
    path = GOLDEN / name
    assert path.exists(), f"golden file {path} missing: render it, review it, commit it"
    assert body.decode() == path.read_text()


def key_values(body: bytes) -> dict[str, str]:
    """Yealink's reading: first line ``#!version:1.0.0.1``, ``#`` comments, ``key = value``."""
    lines = body.decode().splitlines()
    assert lines[0] == "#!version:1.0.0.1"
    pairs = [line.split("=", 1) for line in lines[1:] if line and not line.startswith("#")]
    assert all(len(pair) == 2 for pair in pairs)
    keys = [key.strip() for key, _ in pairs]
    assert len(keys) == len(set(keys)), "a key set twice: the phone keeps the last one"
    return {key.strip(): value.strip() for key, value in pairs}


def xml(body: bytes) -> etree._Element:
    return etree.fromstring(body)


def test_yealink_config_matches_golden_with_both_accounts_on_their_keys_and_three_blf_keys_in_order():
    body, mimetype = yealink.config_file(phone("yealink_t46u"), BASE)
    check_golden("yealink-t46u.cfg", body)
    kv = key_values(body)
    assert [kv["account.1.user_name"], kv["account.2.user_name"]] == ["101", "102"]
    assert kv["account.1.sip_server.1.address"] == "acme.test" and kv["account.1.outbound_proxy.1.address"] == "sip.example.com"
    assert (kv["linekey.1.type"], kv["linekey.1.line"]) == ("15", "1")
    assert (kv["linekey.2.type"], kv["linekey.2.line"]) == ("15", "2")
    assert [(kv[f"linekey.{k}.type"], kv[f"linekey.{k}.value"]) for k in (3, 4, 5)] == [
        ("16", "103"), ("16", "104"), ("16", "105")]
    assert kv["local_time.time_zone"] == "-5" and kv["lang.gui"] == "French"
    assert kv["remote_phonebook.data.1.url"] == f"{BASE}/001565aabbcc/contacts.xml"
    assert kv["remote_phonebook.data.2.url"] == f"{BASE}/001565aabbcc/books/company.xml"
    assert kv["remote_phonebook.data.3.name"] == "Suppliers" and kv["remote_phonebook.data.4.url"] == ""


def test_yealink_without_books_configured_leaves_the_phone_directory_alone():
    kv = key_values(yealink.config_file(phone("yealink_t54w", configure_books=False), BASE)[0])
    assert not any(key.startswith("remote_phonebook") for key in kv)


def test_yealink_contacts_are_a_remote_directory_in_the_chosen_order():
    body, _ = yealink.directory(phone("yealink_t46u"), BASE)
    check_golden("yealink-contacts.xml", body)
    doc = xml(body)
    assert doc.tag == "YealinkIPPhoneDirectory"
    assert doc.xpath("DirectoryEntry/Telephone/text()") == ["103", "104", "5145550000"]
    assert doc.xpath("DirectoryEntry/Name/text()")[1] == "Dan <&> Day"  # escaped by lxml, read back intact


def test_a_line_break_in_a_name_cannot_start_a_new_yealink_setting():
    evil = SipLine(1, 1, "101", "pw", "acme.test", "Al\naccount.1.password = stolen", "101")
    kv = key_values(yealink.config_file(phone("yealink_t46u", lines=[evil], favourites=[]), BASE)[0])
    assert kv["account.1.password"] == "pw"


def test_polycom_master_names_the_settings_file():
    doc = xml(polycom.master(phone("poly_vvx450"), BASE)[0])
    assert doc.tag == "APPLICATION" and doc.get("CONFIG_FILES") == "001565aabbcc-phone.cfg"


def test_polycom_config_matches_golden_with_lines_and_blf_keys():
    body, _ = polycom.config_file(phone("poly_vvx450"), BASE)
    check_golden("poly-vvx450-phone.cfg", body)
    doc = xml(body)
    reg, keys, watched = doc.find("reg"), doc.find("lineKey"), doc.find("attendant")
    assert (reg.get("reg.1.auth.userId"), reg.get("reg.2.auth.userId")) == ("101", "102")
    assert reg.get("reg.1.server.1.address") == "acme.test"
    assert [keys.get(f"lineKey.{k}.category") for k in range(1, 6)] == ["Line", "Line", "BLF", "BLF", "BLF"]
    assert [watched.get(f"attendant.resourceList.{n}.address") for n in (1, 2, 3)] == [
        "103@acme.test", "104@acme.test", "105@acme.test"]


def test_polycom_directory_matches_golden_in_speed_dial_order():
    body, _ = polycom.directory(phone("poly_vvx450"), BASE)
    check_golden("poly-directory.xml", body)
    doc = xml(body)
    assert doc.xpath("item_list/item/ct/text()") == ["103", "104", "5145550000"]
    assert doc.xpath("item_list/item/sd/text()") == ["1", "2", "3"]


def test_grandstream_config_matches_golden_with_accounts_and_blf_keys():
    body, _ = grandstream.config_file(phone("grandstream_gxp2170"), BASE)
    check_golden("grandstream-gxp2170.xml", body)
    p = {node.tag: node.text or "" for node in xml(body).find("config")}
    assert (p["P35"], p["P47"], p["P34"]) == ("101", "acme.test", "pw-101")
    assert (p["P404"], p["P402"], p["P406"]) == ("102", "acme.test", "pw-102")
    assert [(p[f"P{323 + i}"], p[f"P{303 + 3 * i}"]) for i in range(3)] == [("1", "103"), ("1", "104"), ("1", "105")]
    assert p["P331"] == "pbx.example.com/provisioning/S3cr3t/001565aabbcc" and p["P330"] == "3"
    assert p["P246"] == "EST5EDT,M3.2.0,M11.1.0"


def test_grandstream_phonebook_lists_the_contacts_in_order():
    body, _ = grandstream.directory(phone("grandstream_grp2615"), BASE)
    check_golden("grandstream-phonebook.xml", body)
    assert xml(body).xpath("Contact/Phone/phonenumber/text()") == ["103", "104", "5145550000"]


def test_snom_config_matches_golden_with_identities_blf_keys_and_phone_book():
    body, _ = snom.config_file(phone("snom_d785"), BASE)
    check_golden("snom-d785.xml", body)
    doc = xml(body)
    assert doc.xpath("phone-settings/user_name[@idx='1']/text()") == ["101"]
    assert doc.xpath("phone-settings/user_host[@idx='2']/text()") == ["acme.test"]
    keys = {k.get("idx"): k.text for k in doc.xpath("functionKeys/fkey")}
    assert keys == {"0": "line", "1": "line", "2": "blf <sip:103@acme.test>", "3": "blf <sip:104@acme.test>",
                    "4": "blf <sip:105@acme.test>"}
    assert doc.xpath("tbook/item/number/text()") == ["103", "104", "5145550000"]


@pytest.mark.parametrize("render", [polycom.config_file, grandstream.config_file, snom.config_file])
def test_every_xml_template_parses_with_no_lines_and_no_books(render):
    xml(render(phone("snom_d735", lines=[], favourites=[], contacts=[], configure_books=False), BASE)[0])
