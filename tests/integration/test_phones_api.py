"""Phones through the API (DEV-1, DEV-3, BOOK-4) and the provisioning door (DEV-4): add by MAC,
line keys, display list, copy, provisioning by MAC + secret, guessing limit, tenant isolation."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from lxml import etree

from fs_service.books import contacts as book_contacts, rules as book_rules
from fs_service.db import db
from fs_service.models import Device, DeviceContact, ProvisioningFailure
from fs_service.phones import provisioning
from tests.factories import make_account, make_extension, make_user
from tests.integration.test_api_support import API, assert_error, bearer, count
from tests.unit.test_provisioning_render import key_values


@pytest.fixture
def site(app):
    account, admin = make_account(name="Acme", sip_domain="acme.test")
    user = make_user(account)
    ext = {n: make_extension(account, number=n, user=user if n == "101" else None) for n in ("101", "102", "103", "104", "105")}
    other, other_admin = make_account(name="Other", sip_domain="other.test")
    foreign_ext = make_extension(other, number="101")
    foreign_book = book_rules.create_shared_book(other_admin, other, "Their clients")
    foreign_contact = book_contacts.create_contact(other_admin, other, {"phone": "5149999999", "first_name": "Secret",
                                                                         "last_name": "Client"}, [foreign_book.id])
    book = book_rules.create_shared_book(admin, account, "Suppliers")
    supplier = book_contacts.create_contact(admin, account, {"phone": "5145550000", "first_name": "Paper",
                                                             "last_name": "Co"}, [book.id])
    db.session.commit()
    return SimpleNamespace(account=account, admin=admin, user=user, ext=ext, other=other, other_admin=other_admin,
                           foreign_ext=foreign_ext, foreign_book=foreign_book, foreign_contact=foreign_contact,
                           book=book, supplier=supplier)


def _url(account, tail: str = "") -> str:
    return f"{API}/accounts/{account.id}/phones{tail}"


def _phone(client, site, mac="00:15:65:AA:BB:CC", model="yealink_t46u") -> dict:
    response = client.post(_url(site.account), json={"mac": mac, "name": "Front desk", "model": model},
                           headers=bearer(site.admin))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _assign(client, site, phone, number, key):
    return client.post(_url(site.account, f"/{phone['id']}/lines"),
                       json={"extension_id": site.ext[number].id, "line_key": key}, headers=bearer(site.admin))


def _display(client, site, phone, entries, who=None, **extra):
    return client.put(_url(site.account, f"/{phone['id']}/display"), json={"entries": entries, **extra},
                      headers=bearer(who or site.admin))


def _fetch(client, phone: dict, name: str, **kwargs):
    path = phone["provisioning_url"].removeprefix("http://pbx.test")
    return client.get(path + name, **kwargs)


def _favourite(site, number, position):
    return {"kind": "extension", "ref": site.ext[number].id, "favourite": True, "position": position}


def test_yealink_on_101_key_1_and_102_key_2_with_three_favourites(client, site):
    phone = _phone(client, site)
    assert phone["mac"] == "001565aabbcc" and phone["provisioning_url"].startswith("http://pbx.test/provisioning/")
    assert _assign(client, site, phone, "101", 1).status_code == 201
    assert _assign(client, site, phone, "102", 2).status_code == 201
    entries = [_favourite(site, "105", 1), _favourite(site, "103", 2), _favourite(site, "104", 3),
               {"kind": "contact", "ref": site.supplier.id, "position": 4},
               {"kind": "book", "ref": site.book.id, "position": 5}, {"kind": "company", "position": 6}]
    saved = _display(client, site, phone, entries, configure_books=True)
    assert saved.status_code == 200, saved.get_json()
    response = _fetch(client, phone, "001565aabbcc.cfg")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    kv = key_values(response.data)
    assert (kv["account.1.user_name"], kv["account.1.password"]) == ("101", site.ext["101"].sip_password)
    assert (kv["account.2.user_name"], kv["account.2.sip_server.1.address"]) == ("102", "acme.test")
    assert [(kv[f"linekey.{k}.type"], kv[f"linekey.{k}.line"]) for k in (1, 2)] == [("15", "1"), ("15", "2")]
    assert [(kv[f"linekey.{k}.type"], kv[f"linekey.{k}.value"]) for k in (3, 4, 5)] == [
        ("16", "105"), ("16", "103"), ("16", "104")]
    assert "linekey.6.type" not in kv
    contacts = etree.fromstring(_fetch(client, phone, "001565aabbcc/contacts.xml").data)
    assert contacts.xpath("DirectoryEntry/Telephone/text()") == ["105", "103", "104", "5145550000"]
    suppliers = etree.fromstring(_fetch(client, phone, f"001565aabbcc/books/{site.book.id}.xml").data)
    assert suppliers.xpath("DirectoryEntry/Telephone/text()") == ["5145550000"]
    company = etree.fromstring(_fetch(client, phone, "001565aabbcc/books/company.xml").data)
    assert company.xpath("DirectoryEntry/Telephone/text()") == ["101", "102", "103", "104", "105"]


def test_another_accounts_contacts_never_reach_a_phone(client, site):
    phone = _phone(client, site, model="snom_d785")
    _assign(client, site, phone, "101", 1)
    for entry in ({"kind": "contact", "ref": site.foreign_contact.id, "position": 1},
                  {"kind": "book", "ref": site.foreign_book.id, "position": 1},
                  {"kind": "extension", "ref": site.foreign_ext.id, "position": 1}):
        refused = _display(client, site, phone, [entry])
        assert refused.status_code in (400, 404), refused.get_json()
    assert client.get(_url(site.account, f"/{phone['id']}/display"), headers=bearer(site.admin)).get_json()["entries"] == []
    # Even a row pointing at them (e.g. written by a bug) is filtered out by the account.
    device = db.session.get(Device, phone["id"])
    device.configure_books = True
    db.session.add_all([DeviceContact(device_id=device.id, position=1, contact_id=site.foreign_contact.id),
                        DeviceContact(device_id=device.id, position=2, book_id=site.foreign_book.id)])
    db.session.commit()
    body = _fetch(client, phone, "001565aabbcc.xml").data
    assert b"5149999999" not in body and b"Secret" not in body
    assert etree.fromstring(body).xpath("tbook/item") == []


def test_provisioning_needs_the_phones_secret_and_limits_guessing(client, site):
    phone = _phone(client, site)
    wrong = f"/provisioning/{'x' * 43}/001565aabbcc.cfg"
    unknown = phone["provisioning_url"].removeprefix("http://pbx.test") + "0015650000ff.cfg"
    for path in (wrong, unknown):
        response = client.get(path)
        assert response.status_code == 404 and b"account." not in response.data
    assert client.get(phone["provisioning_url"].removeprefix("http://pbx.test") + "cfg001565aabbcc.xml").status_code == 404
    for _ in range(provisioning.MAX_FAILURES - 2):
        client.get(wrong)
    assert count(ProvisioningFailure) == provisioning.MAX_FAILURES
    assert client.get(wrong).status_code == 429
    assert _fetch(client, phone, "001565aabbcc.cfg").status_code == 429  # this source is shut out for a while
    assert _fetch(client, phone, "001565aabbcc.cfg", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200


def test_a_renewed_secret_stops_the_old_url(client, site):
    phone = _phone(client, site)
    renewed = client.post(_url(site.account, f"/{phone['id']}/secret"), headers=bearer(site.admin)).get_json()
    assert renewed["provisioning_url"] != phone["provisioning_url"]
    assert _fetch(client, phone, "001565aabbcc.cfg").status_code == 404
    assert _fetch(client, renewed, "001565aabbcc.cfg").status_code == 200


@pytest.mark.parametrize("mac", ["", "0015-65aa-bbc", "001565aabbccdd", "00:15:65:AA:BB:GG", "01:00:5e:00:00:01",
                                 "00:00:00:00:00:00", "00 15 65 aa bb cc;"])
def test_bad_macs_are_refused_naming_the_field(client, site, mac):
    response = client.post(_url(site.account), json={"mac": mac, "name": "x"}, headers=bearer(site.admin))
    assert_error(response, 400, response.get_json()["error_id"], "mac")
    assert count(Device) == 0


def test_a_mac_is_unique_across_accounts_whatever_its_spelling(client, site):
    _phone(client, site, mac="00-15-65-aa-bb-cc")
    response = client.post(f"{API}/accounts/{site.other.id}/phones", json={"mac": "0015.65AA.BBCC", "name": "x"},
                           headers=bearer(site.other_admin))
    assert_error(response, 400, "duplicate_mac", "mac")


def test_line_keys_one_key_once_one_extension_once_within_the_model(client, site):
    phone = _phone(client, site, model="poly_vvx250")
    assert _assign(client, site, phone, "101", 1).status_code == 201
    assert_error(_assign(client, site, phone, "102", 1), 400, "line_key_taken", "line_key")
    assert_error(_assign(client, site, phone, "101", 2), 400, "already_assigned", "extension_id")
    assert_error(_assign(client, site, phone, "102", 5), 400, "bad_line_key", "line_key")
    foreign = client.post(_url(site.account, f"/{phone['id']}/lines"),
                          json={"extension_id": site.foreign_ext.id, "line_key": 2}, headers=bearer(site.admin))
    assert foreign.status_code == 404
    line = _assign(client, site, phone, "102", 2).get_json()["lines"][1]
    assert client.delete(_url(site.account, f"/{phone['id']}/lines/{line['id']}"),
                         headers=bearer(site.admin)).status_code == 204
    assert [l["number"] for l in client.get(_url(site.account, f"/{phone['id']}"),
                                            headers=bearer(site.admin)).get_json()["lines"]] == ["101"]


def test_display_rules_positions_favourites_and_keys(client, site):
    phone = _phone(client, site, model="poly_vvx250")  # 4 keys
    _assign(client, site, phone, "101", 1)
    same = [_favourite(site, "102", 1), _favourite(site, "103", 1)]
    assert_error(_display(client, site, phone, same), 400, "duplicate_position", "entries.1.position")
    outside = [{"kind": "contact", "ref": site.supplier.id, "favourite": True, "position": 1}]
    assert_error(_display(client, site, phone, outside), 400, "favourite_not_extension", "entries.0.favourite")
    many = [_favourite(site, n, i) for i, n in enumerate(("102", "103", "104", "105"), start=1)]
    assert_error(_display(client, site, phone, many), 400, "too_many_favourites", "entries")
    assert _display(client, site, phone, many[:3]).status_code == 200


def test_copying_a_list_needs_confirmation_and_replaces_the_targets(client, site):
    source, target = _phone(client, site), _phone(client, site, mac="001565000001")
    _display(client, site, source, [_favourite(site, "103", 1), {"kind": "company", "position": 2}])
    url = _url(site.account, f"/{source['id']}/display/copy")
    assert_error(client.post(url, json={"targets": [target["id"]], "confirm": False}, headers=bearer(site.admin)),
                 400, "validation_error", "confirm")
    copied = client.post(url, json={"targets": [target["id"]], "confirm": True}, headers=bearer(site.admin))
    assert copied.get_json() == {"copied": 1}
    got = client.get(_url(site.account, f"/{target['id']}/display"), headers=bearer(site.admin)).get_json()
    assert [(e["kind"], e["favourite"]) for e in got["entries"]] == [("extension", True), ("company", False)]


def test_a_user_manages_only_the_phones_of_their_extensions(client, site):
    mine, theirs = _phone(client, site), _phone(client, site, mac="001565000002")
    _assign(client, site, mine, "101", 1)
    listed = client.get(_url(site.account), headers=bearer(site.user)).get_json()
    assert [p["id"] for p in listed] == [mine["id"]] and "provisioning_url" not in listed[0]
    assert _display(client, site, mine, [_favourite(site, "102", 1)], who=site.user).status_code == 200
    assert client.get(_url(site.account, f"/{theirs['id']}"), headers=bearer(site.user)).status_code == 404
    assert client.patch(_url(site.account, f"/{mine['id']}"), json={"name": "x"},
                        headers=bearer(site.user)).status_code == 403


def test_without_books_configured_the_phone_keeps_its_own_directory_and_a_modelless_phone_gets_nothing(client, site):
    phone = _phone(client, site)
    _assign(client, site, phone, "101", 1)
    _display(client, site, phone, [{"kind": "company", "position": 1}], configure_books=False)
    kv = key_values(_fetch(client, phone, "001565aabbcc.cfg").data)
    assert kv["account.1.user_name"] == "101" and not any(k.startswith("remote_phonebook") for k in kv)
    assert _fetch(client, phone, "001565aabbcc/books/company.xml").status_code == 404
    bare = _phone(client, site, mac="001565000003", model=None)
    assert _fetch(client, bare, "001565000003.cfg").status_code == 404
