"""Address books in the core (BOOK-1..3): who sees which book, who writes which contact, the
company book read live from the extensions, deletion consequences, validation, CSV."""
from __future__ import annotations

import pytest

from fs_service.books import contacts as contact_rules, csv_io, queries, rules, search as book_search
from fs_service.db import db
from fs_service.errors import Forbidden, NotFound, ValidationFailed
from tests.factories import make_account, make_extension, make_user


@pytest.fixture
def acme(app):
    account, admin = make_account(name="Acme Inc")
    user, colleague = make_user(account), make_user(account)
    make_extension(account, "101", user=user)
    make_extension(account, "102", caller_id_name="Reception")
    make_extension(account, "109", listed_in_directory=False)
    clients = rules.create_shared_book(admin, account, "Clients", [user.id])
    suppliers = rules.create_shared_book(admin, account, "Suppliers", [])
    db.session.commit()
    return dict(account=account, admin=admin, user=user, colleague=colleague, clients=clients, suppliers=suppliers)


def _refs(actor, account) -> list[tuple[str, str, bool]]:
    return [(v.ref, v.kind, v.writable) for v in queries.visible_books(actor, account)]


def _new(actor, account, phone, books, **names):
    contact = contact_rules.create_contact(actor, account, dict(phone=phone, last_name="X", **names), books)
    db.session.commit()
    return contact


def test_each_person_sees_all_mine_their_shared_books_and_the_company_book(acme):
    a, admin, user, colleague = acme["account"], acme["admin"], acme["user"], acme["colleague"]
    clients, suppliers = str(acme["clients"].id), str(acme["suppliers"].id)
    assert _refs(admin, a) == [("all", "all", False), ("mine", "personal", True), (clients, "shared", True),
                               (suppliers, "shared", True), ("company", "company", False)]
    assert _refs(user, a) == [("all", "all", False), ("mine", "personal", True), (clients, "shared", False),
                              ("company", "company", False)]
    assert _refs(colleague, a) == [("all", "all", False), ("mine", "personal", True), ("company", "company", False)]
    late = make_user(a)  # created after the books: sees none of them until given access
    assert [ref for ref, _, _ in _refs(late, a)] == ["all", "mine", "company"]


def test_my_contacts_are_private_even_from_an_admin(acme):
    a, admin, user = acme["account"], acme["admin"], acme["user"]
    private = _new(user, a, "5145550100", ["mine"], first_name="Secret")
    mine = queries.find_book(user, "mine", a)
    assert mine.contact_count == 1 and mine.id is not None
    with pytest.raises(NotFound):
        contact_rules.get_contact(admin, a, private.id)
    with pytest.raises(NotFound):
        rules.writable_book(admin, a, mine.id)
    assert book_search.search(admin, queries.find_book(admin, "all", a)).total == 2  # the two listed extensions


def test_the_company_book_is_the_listed_extensions_read_live(acme):
    a, user = acme["account"], acme["user"]
    company = queries.book_contacts(a.id, "company")
    assert [(c.phone, c.first_name) for c in company] == [("101", "Uma"), ("102", "Reception")]
    assert all(c.id is None and c.extension_id for c in company)
    make_extension(a, "103", caller_id_name="Sales")
    assert [c.phone for c in queries.book_contacts(a.id, "company")] == ["101", "102", "103"]
    assert queries.find_book(user, "company", a).name == "Acme Inc"


def test_a_user_reads_but_never_writes_a_shared_book(acme):
    a, admin, user = acme["account"], acme["admin"], acme["user"]
    shared = _new(admin, a, "5145550101", [acme["clients"].id])
    assert contact_rules.get_contact(user, a, shared.id).phone == "5145550101"
    with pytest.raises(Forbidden):
        contact_rules.get_contact(user, a, shared.id, write=True)
    with pytest.raises(Forbidden):
        contact_rules.create_contact(user, a, dict(phone="5145550102", last_name="Y"), [acme["clients"].id])
    with pytest.raises(NotFound):  # a shared book they were not given: not even its existence
        contact_rules.create_contact(user, a, dict(phone="5145550102", last_name="Y"), [acme["suppliers"].id])
    with pytest.raises(NotFound):
        contact_rules.get_contact(acme["colleague"], a, shared.id)


def test_one_contact_added_to_several_books_at_once_is_counted_once_in_all(acme):
    a, admin = acme["account"], acme["admin"]
    contact = _new(admin, a, "5145550103", ["mine", acme["clients"].id, acme["suppliers"].id])
    assert sorted(contact_rules.book_ids_of(contact)) == sorted(
        [queries.find_book(admin, "mine", a).id, acme["clients"].id, acme["suppliers"].id])
    assert queries.find_book(admin, "all", a).contact_count == 1 + 2


def test_deleting_a_book_deletes_the_contacts_only_it_held(acme):
    a, admin = acme["account"], acme["admin"]
    only = _new(admin, a, "5145550104", [acme["suppliers"].id])
    both = _new(admin, a, "5145550105", [acme["suppliers"].id, acme["clients"].id])
    book = rules.shared_book(admin, a, acme["suppliers"].id)
    assert rules.deletion_impact(book) == rules.DeletionImpact(contacts_deleted=1, contacts_kept=1)
    only_id, both_id = only.id, both.id
    rules.delete_book(admin, a, book)
    db.session.commit()
    assert queries.contacts_by_ids(a.id, [only_id, both_id]).keys() == {both_id}
    assert [c.phone for c in queries.book_contacts(a.id, acme["clients"].id)] == ["5145550105"]


def test_another_accounts_books_and_contacts_never_appear(acme):
    other, other_admin = make_account()
    theirs = _new(other_admin, other, "5145550199", ["mine"])
    a, admin = acme["account"], acme["admin"]
    assert queries.contacts_by_ids(a.id, [theirs.id]) == {}
    assert queries.book_contacts(a.id, queries.find_book(other_admin, "mine", other).id) == []
    with pytest.raises(NotFound):
        contact_rules.get_contact(admin, a, theirs.id)
    with pytest.raises(NotFound):
        rules.shared_book(other_admin, other, acme["clients"].id)
    with pytest.raises(ValidationFailed):
        rules.set_access(admin, a, acme["clients"], [other_admin.id])


@pytest.mark.parametrize("field, value, rule", [
    ("phone", "514 907 3400", "digits only"), ("phone", "514-907-3400", "digits only"),
    ("phone", "+15149073400", "digits only"), ("phone", "", "digits only"), ("phone", "1" * 21, "digits only"),
    ("phone", "abc", "digits only"), ("first_name", "x" * 81, "at most 80"), ("last_name", "a\x07b", "control"),
    ("email", "not-an-email", "valid email"), ("email", "a@b", "valid email"),
])
def test_contact_validation_names_the_field_and_the_rule(field, value, rule):
    values = dict(phone="5149073400", first_name="Ann", last_name="Lee", email="") | {field: value}
    with pytest.raises(ValidationFailed) as caught:
        contact_rules.clean_contact(values)
    assert list(caught.value.details) == [field] and rule in caught.value.details[field][0]


def test_a_contact_needs_a_name_and_keeps_an_empty_email_as_none():
    with pytest.raises(ValidationFailed) as caught:
        contact_rules.clean_contact(dict(phone="5149073400"))
    assert "last_name" in caught.value.details
    assert contact_rules.clean_contact(dict(phone=" 5149073400 ", first_name=" Ann "))["email"] is None


def test_search_matches_any_field_ignoring_case_accents_and_phone_separators(acme):
    a, admin = acme["account"], acme["admin"]
    _new(admin, a, "5149073400", ["mine"], first_name="Hélène", email="hc@example.com")
    _new(admin, a, "4185550000", ["mine"], first_name="Bob")
    mine = queries.find_book(admin, "mine", a)
    for text in ("helene", "HÉLÈNE", "514 907-3400", "hc@exa", "9073"):
        assert [c.first_name for c in book_search.search(admin, mine, text).contacts] == ["Hélène"], text
    everything = book_search.search(admin, queries.find_book(admin, "all", a), "recep")
    assert [(c.phone, c.extension_id is not None) for c in everything.contacts] == [("102", True)]


def test_csv_export_then_import_round_trips_and_skips_what_is_there(acme):
    a, admin = acme["account"], acme["admin"]
    _new(admin, a, "5149073400", ["mine"], first_name="Hélène", email="hc@example.com")
    _new(admin, a, "4185550000", ["mine"], first_name="Bob, Jr")
    text = csv_io.export_csv(queries.book_contacts(a.id, queries.find_book(admin, "mine", a).id))
    assert text.splitlines()[0] == "phone,first_name,last_name,email"
    assert csv_io.import_csv(admin, a, "mine", text) == csv_io.ImportResult(created=0, skipped=2)
    result = csv_io.import_csv(admin, a, acme["clients"].id, text)
    db.session.commit()
    assert result == csv_io.ImportResult(created=2, skipped=0)
    assert sorted((c.phone, c.first_name, c.email) for c in queries.book_contacts(a.id, acme["clients"].id)) == [
        ("4185550000", "Bob, Jr", None), ("5149073400", "Hélène", "hc@example.com")]


def test_csv_import_with_bad_lines_names_them_and_stores_nothing(acme):
    a, admin = acme["account"], acme["admin"]
    text = ("\ufefftéléphone,prénom,nom,courriel\n5149073400,Ann,Lee,\n514-907-3401,Bob,Roy,\n\n"
            "5149073402,Cy,Doe,bad-email\n")
    with pytest.raises(csv_io.ImportRefused) as caught:
        csv_io.import_csv(admin, a, "mine", text)
    db.session.rollback()
    assert caught.value.details == {"line 3": ["phone: " + contact_rules.PHONE_ERROR],
                                    "line 5": ["email: not a valid email address"]}
    assert queries.find_book(admin, "mine", a).contact_count == 0


def test_csv_import_needs_a_header_with_a_phone_column(acme):
    with pytest.raises(csv_io.ImportRefused) as caught:
        csv_io.import_csv(acme["admin"], acme["account"], "mine", "5149073400,Ann,Lee\n")
    assert "file" in caught.value.details


def test_csv_export_keeps_spreadsheets_from_running_a_name_as_a_formula(acme):
    a, admin = acme["account"], acme["admin"]
    _new(admin, a, "5149073400", ["mine"], first_name="=HYPERLINK(\"http://evil\")")
    text = csv_io.export_csv(queries.book_contacts(a.id, queries.find_book(admin, "mine", a).id))
    assert text.splitlines()[1].startswith("5149073400,\"'=HYPERLINK(")
    csv_io.import_csv(admin, a, acme["clients"].id, text)
    assert [c.first_name for c in queries.book_contacts(a.id, acme["clients"].id)] == ['=HYPERLINK("http://evil")']
