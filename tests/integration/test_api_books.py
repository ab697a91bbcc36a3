"""Address books API (BOOK-1..3): the visibility matrix (admin, user, colleague, another
account), contacts in several books at once, validation naming the field, search, CSV round
trip and refused imports, deletion with its consequences."""
from __future__ import annotations

import io
from types import SimpleNamespace

import pytest

from fs_service.books import rules
from fs_service.db import db
from fs_service.models import Contact
from tests.factories import make_account, make_extension, make_user
from tests.integration.test_api_support import API, assert_error, bearer, count


@pytest.fixture
def site(app):
    account, admin = make_account(name="Acme", sip_domain="a.example.com")
    user, colleague = make_user(account), make_user(account)
    make_extension(account, "101", user=user)
    clients = rules.create_shared_book(admin, account, "Clients", [user.id])
    other, other_admin = make_account(sip_domain="b.example.com")
    db.session.commit()
    return SimpleNamespace(account=account, admin=admin, user=user, colleague=colleague, clients=clients,
                           other=other, other_admin=other_admin)


def _url(account, tail: str = "") -> str:
    return f"{API}/accounts/{account.id}{tail}"


def _add(client, site, who, books, phone="5149073400", **extra):
    return client.post(_url(site.account, "/contacts"), headers=bearer(who),
                       json=dict(phone=phone, first_name="Ann", last_name="Lee", books=books) | extra)


def test_admin_adds_one_contact_to_two_books_at_once(client, site):
    created = _add(client, site, site.admin, ["mine", str(site.clients.id)], email="ann@example.com")
    assert created.status_code == 201, created.get_json()
    books = {b["ref"]: b for b in client.get(_url(site.account, "/books"), headers=bearer(site.admin)).get_json()}
    assert [ref for ref in books] == ["all", "mine", str(site.clients.id), "company"]
    assert (books["mine"]["contact_count"], books[str(site.clients.id)]["contact_count"]) == (1, 1)
    assert books["all"]["contact_count"] == 1 + 1  # the contact once, extension 101
    assert books["company"]["name"] == "Acme" and not books["company"]["writable"]


@pytest.mark.parametrize("who, expected", [
    ("admin", {"all", "mine", "clients", "company"}), ("user", {"all", "mine", "clients", "company"}),
    ("colleague", {"all", "mine", "company"}),
])
def test_the_books_each_person_of_the_account_sees(client, site, who, expected):
    listed = client.get(_url(site.account, "/books"), headers=bearer(getattr(site, who))).get_json()
    names = {b["ref"] if b["kind"] != "shared" else b["name"].lower() for b in listed}
    assert names == expected


def test_a_user_reads_a_shared_book_but_cannot_change_it(client, site):
    contact = _add(client, site, site.admin, [str(site.clients.id)]).get_json()
    book_url = _url(site.account, f"/books/{site.clients.id}")
    page = client.get(f"{book_url}/contacts", headers=bearer(site.user)).get_json()
    assert [c["phone"] for c in page["contacts"]] == ["5149073400"] and page["total"] == 1
    assert_error(client.patch(_url(site.account, f"/contacts/{contact['id']}"), json={"first_name": "X"},
                              headers=bearer(site.user)), 403, "forbidden")
    assert_error(_add(client, site, site.user, [str(site.clients.id)]), 403, "forbidden")
    assert_error(client.patch(book_url, json={"name": "Mine now"}, headers=bearer(site.user)), 403, "forbidden")
    assert_error(client.get(f"{book_url}/contacts", headers=bearer(site.colleague)), 404, "not_found")
    assert_error(client.get(_url(site.account, f"/contacts/{contact['id']}"), headers=bearer(site.colleague)),
                 404, "not_found")


def test_a_users_own_contacts_are_theirs_alone(client, site):
    mine = _add(client, site, site.user, ["mine"]).get_json()
    changed = client.patch(_url(site.account, f"/contacts/{mine['id']}"), json={"first_name": "Annie"},
                           headers=bearer(site.user))
    assert changed.status_code == 200 and changed.get_json()["first_name"] == "Annie"
    assert_error(client.get(_url(site.account, f"/contacts/{mine['id']}"), headers=bearer(site.admin)),
                 404, "not_found")
    assert client.delete(_url(site.account, f"/contacts/{mine['id']}"), headers=bearer(site.user)).status_code == 204
    assert count(Contact) == 0


def test_another_account_sees_nothing_of_a(client, site):
    contact = _add(client, site, site.admin, [str(site.clients.id)]).get_json()
    theirs = bearer(site.other_admin)
    for url in (_url(site.account, "/books"), _url(site.account, f"/books/{site.clients.id}/contacts"),
                _url(site.account, f"/contacts/{contact['id']}")):
        assert_error(client.get(url, headers=theirs), 404, "not_found")
    for url in (_url(site.other, f"/books/{site.clients.id}/contacts"), _url(site.other, f"/contacts/{contact['id']}")):
        assert_error(client.get(url, headers=theirs), 404, "not_found")
    all_theirs = client.get(_url(site.other, "/books/all/contacts"), headers=theirs).get_json()
    assert all_theirs == {"contacts": [], "total": 0}
    assert_error(client.put(_url(site.account, f"/books/{site.clients.id}/access"), json={"user_ids": []},
                            headers=theirs), 404, "not_found")


@pytest.mark.parametrize("body, field", [
    ({"phone": "514 907 3400"}, "phone"), ({"phone": "514-907-3400"}, "phone"), ({"phone": "+15149073400"}, "phone"),
    ({"phone": ""}, "phone"), ({"phone": "1" * 21}, "phone"), ({"email": "nope"}, "email"),
    ({"first_name": "x" * 81}, "first_name"), ({"last_name": "a\x01"}, "last_name"), ({"books": []}, "books"),
    ({"books": ["company"]}, "books"), ({"books": ["all"]}, "books"), ({"colour": "red"}, "colour"),
    ({"books": ["9999999999"]}, "books"),  # beyond PostgreSQL's integer: refused, never looked up (was a 500)
])
def test_bad_contacts_are_refused_naming_the_field_and_store_nothing(client, site, body, field):
    payload = dict(phone="5149073400", first_name="Ann", last_name="Lee", books=["mine"]) | body
    response = client.post(_url(site.account, "/contacts"), json=payload, headers=bearer(site.admin))
    assert_error(response, 400, "validation_error", field)
    assert count(Contact) == 0


def test_search_finds_any_field_and_pages(client, site):
    for n, name in enumerate(("Hélène", "Bob", "Carl")):
        _add(client, site, site.admin, ["mine"], phone=f"51490734{n:02}", first_name=name)
    url = _url(site.account, "/books/mine/contacts")
    assert [c["first_name"] for c in client.get(url, query_string={"search": "helene"},
                                               headers=bearer(site.admin)).get_json()["contacts"]] == ["Hélène"]
    assert client.get(url, query_string={"search": "514 907-3401"}, headers=bearer(site.admin)).get_json()["total"] == 1
    page = client.get(url, query_string={"limit": 2, "offset": 2}, headers=bearer(site.admin)).get_json()
    assert page["total"] == 3 and len(page["contacts"]) == 1


def test_csv_export_then_import_into_another_book(client, site):
    _add(client, site, site.admin, ["mine"], first_name="Hélène, Jr")
    exported = client.get(_url(site.account, "/books/mine/contacts.csv"), headers=bearer(site.admin))
    assert exported.mimetype == "text/csv"
    text = exported.get_data(as_text=True)
    assert text == "phone,first_name,last_name,email\r\n5149073400,\"Hélène, Jr\",Lee,\r\n"
    imported = client.post(_url(site.account, f"/books/{site.clients.id}/contacts.csv"), headers=bearer(site.admin),
                           data={"file": (io.BytesIO(text.encode()), "c.csv")}, content_type="multipart/form-data")
    assert imported.get_json() == {"created": 1, "skipped": 0}
    assert client.get(_url(site.account, f"/books/{site.clients.id}/contacts.csv"),
                      headers=bearer(site.admin)).get_data(as_text=True) == text


def test_a_csv_with_a_bad_line_names_it_and_imports_nothing(client, site):
    text = "phone,first_name,last_name\n5149073400,Ann,Lee\n514 907 3401,Bob,Roy\n"
    response = client.post(_url(site.account, "/books/mine/contacts.csv"), headers=bearer(site.user),
                           data={"file": (io.BytesIO(text.encode()), "c.csv")}, content_type="multipart/form-data")
    body = assert_error(response, 400, "csv_invalid", "line 3")
    assert body["details"]["line 3"][0].startswith("phone: digits only")
    assert count(Contact) == 0


def test_deleting_a_shared_book_says_what_went_with_it(client, site):
    _add(client, site, site.admin, [str(site.clients.id)], phone="5149073400")
    _add(client, site, site.admin, [str(site.clients.id), "mine"], phone="5149073401")
    done = client.delete(_url(site.account, f"/books/{site.clients.id}"), headers=bearer(site.admin))
    assert done.get_json() == {"contacts_deleted": 1, "contacts_kept": 1}
    assert [c.phone for c in db.session.query(Contact)] == ["5149073401"]
    assert_error(client.delete(_url(site.account, "/books/mine"), headers=bearer(site.admin)), 404, "not_found")


def test_admins_choose_who_sees_a_shared_book(client, site):
    created = client.post(_url(site.account, "/books"), json={"name": "Suppliers"}, headers=bearer(site.admin))
    ref = created.get_json()["ref"]
    assert_error(client.post(_url(site.account, "/books"), json={"name": "suppliers"}, headers=bearer(site.admin)),
                 400, "duplicate_name", "name")
    access = _url(site.account, f"/books/{ref}/access")
    assert not any(e["visible"] for e in client.get(access, headers=bearer(site.admin)).get_json())
    everyone = [e["user_id"] for e in client.get(access, headers=bearer(site.admin)).get_json()]
    assert client.put(access, json={"user_ids": everyone}, headers=bearer(site.admin)).status_code == 200
    assert ref in [b["ref"] for b in client.get(_url(site.account, "/books"), headers=bearer(site.colleague)).get_json()]
    late = make_user(site.account)
    assert ref not in [b["ref"] for b in client.get(_url(site.account, "/books"), headers=bearer(late)).get_json()]
