"""Address book pages (BOOK-1..3, guide 7): the books with counts, a contact added to several
books at once, digits-only errors beside the field, who may change what, deletion consequences
shown first, access with "select all", CSV import errors per line; another account 404."""
from __future__ import annotations

import io

from fs_service.books import queries
from fs_service.db import db
from fs_service.models import Contact
from tests.integration.test_api_books import site  # noqa: F401
from tests.integration.test_api_support import count, log_in


def _as(client, user):
    log_in(client, user)
    return client


def _url(account, tail: str = "") -> str:
    return f"/accounts/{account.id}{tail}"


def test_admin_adds_a_contact_to_two_books_at_once_in_french(client, site):
    admin = _as(client, site.admin)
    form = admin.get(_url(site.account, "/contacts/new")).text
    assert "Ajouter un contact" in form and "Mes contacts" in form and "Clients" in form
    response = admin.post(_url(site.account, "/contacts/new"), follow_redirects=True,
                          data=dict(phone="5149073400", first_name="Ann", last_name="Lee", email="",
                                    books=["mine", str(site.clients.id)]))
    assert response.status_code == 200 and "Contact ajouté avec succès" in response.text
    counts = {b.ref: b.contact_count for b in queries.visible_books(site.admin, site.account)}
    assert counts["mine"] == 1 and counts[str(site.clients.id)] == 1 and count(Contact) == 1


def test_a_phone_with_spaces_is_refused_beside_the_field_and_nothing_is_stored(client, site):
    admin = _as(client, site.admin)
    response = admin.post(_url(site.account, "/contacts/new"),
                          data=dict(phone="514 907 3400", first_name="Ann", last_name="", email="", books=["mine"]))
    assert response.status_code == 400
    assert 'data-field="phone"' in response.text and "514 907 3400" in response.text
    assert count(Contact) == 0


def test_the_books_page_lists_counts_and_a_user_cannot_change_a_shared_book(client, site):
    admin = _as(client, site.admin)
    admin.post(_url(site.account, "/contacts/new"),
               data=dict(phone="5149073400", first_name="Ann", last_name="Lee", books=[str(site.clients.id)]))
    contact = db.session.query(Contact).one()
    user = _as(client, site.user)
    page = user.get(_url(site.account, f"/books/{site.clients.id}")).text
    assert "5149073400" in page and "Tous les contacts" in page and "Acme" in page
    assert f"/contacts/{contact.id}/edit" not in page  # read-only here, and the page itself refuses:
    assert user.get(_url(site.account, f"/contacts/{contact.id}/edit")).status_code == 403
    assert user.get(_url(site.account, f"/books/{site.clients.id}/rename")).status_code == 403
    assert user.get(_url(site.account, "/books/new")).status_code == 403
    colleague = _as(client, site.colleague)
    assert colleague.get(_url(site.account, f"/books/{site.clients.id}")).status_code == 404


def test_deleting_a_book_states_the_consequences_first(client, site):
    admin = _as(client, site.admin)
    admin.post(_url(site.account, "/contacts/new"),
               data=dict(phone="5149073400", first_name="Ann", books=[str(site.clients.id)]))
    confirm = admin.get(_url(site.account, f"/books/{site.clients.id}/delete")).text
    assert "1 contact est seulement dans ce carnet : il sera supprimé." in confirm
    assert "prochaine" in confirm  # phones lose them at their next provisioning
    admin.post(_url(site.account, f"/books/{site.clients.id}/delete"))
    assert count(Contact) == 0


def test_select_all_gives_every_current_user_access(client, site):
    admin = _as(client, site.admin)
    response = admin.post(_url(site.account, "/books/new"), data={"name": "Fournisseurs", "select_all": "1"})
    assert response.status_code == 302
    book = next(b for b in queries.visible_books(site.colleague, site.account) if b.name == "Fournisseurs")
    page = admin.get(_url(site.account, f"/books/{book.ref}/access")).text
    assert page.count("checked") == 3  # admin, user, colleague


def test_a_bad_csv_line_is_named_and_nothing_is_imported(client, site):
    user = _as(client, site.user)
    text = "phone,first_name,last_name\n5149073400,Ann,Lee\n514-907-3401,Bob,Roy\n"
    response = user.post(_url(site.account, "/books/mine/import"), content_type="multipart/form-data",
                         data={"file": (io.BytesIO(text.encode()), "c.csv")})
    assert response.status_code == 400 and "Ligne 3" in response.text and count(Contact) == 0


def test_another_account_gets_404(client, site):
    other = _as(client, site.other_admin)
    for tail in ("/books", f"/books/{site.clients.id}", "/contacts/new", f"/books/{site.clients.id}/access"):
        assert other.get(_url(site.account, tail)).status_code == 404, tail
