"""Extension pages (EXT-1, EXT-2, DEV-2): creation rules, deletion, softphones, roles, tenants."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from fs_service.accounts import rules as accounts
from fs_service.db import db
from fs_service.extensions import rules as extensions
from fs_service.models import Account, Extension
from tests.factories import PASSWORD, make_account, make_extension, make_user
from tests.helpers import send_queued_emails


@pytest.fixture
def site(make_app, smtp_server):
    """Two tenants: A (admin, a user with extension 201, a free extension 202) and B (extension 301)."""
    app = make_app(smtp_port=smtp_server.port, sip_server="sip.pbx.test")
    with app.app_context():
        account, admin = make_account(sip_domain="a.example.com")
        user = make_user(account)
        own = make_extension(account, "201", user=user)
        other = make_extension(account, "202")
        account_b, admin_b = make_account(sip_domain="b.example.com")
        ext_b = make_extension(account_b, "301")
        ids = SimpleNamespace(app=app, a=account.id, admin=admin.email, user=user.email, user_id=user.id,
                              own=own.id, other=other.id, b=account_b.id, admin_b=admin_b.email, ext_b=ext_b.id)
    return ids


def client_for(site, email):
    client = site.app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def numbers(site, account_id):
    with site.app.app_context():
        return [e.number for e in extensions.list_extensions(db.session.get(Account, account_id))]


def user_count(site, account_id):
    with site.app.app_context():
        return len(accounts.list_users(db.session.get(Account, account_id)))


def test_admin_creates_an_extension_with_a_suggested_number(site):
    admin = client_for(site, site.admin)
    form = admin.get(f"/accounts/{site.a}/extensions/new").text
    assert 'name="number_pick" value="203"' in form
    response = admin.post(f"/accounts/{site.a}/extensions/new", data={
        "number_pick": "203", "number": "", "voicemail_enabled": "on", "assignment": "admin",
        "caller_id_name": "Reception"}, follow_redirects=True)
    assert response.status_code == 200 and "Poste 203 créé." in response.text
    assert "sip.pbx.test" in response.text and "a.example.com" in response.text
    assert "203" in numbers(site, site.a)
    assert 'data-number="203"' in admin.get(f"/accounts/{site.a}/extensions").text
    with site.app.app_context():
        ext = db.session.scalar(db.select(Extension).where(Extension.number == "203"))
        assert ext.voicemail_enabled and not ext.listed_in_directory and ext.caller_id_name == "Reception"


def test_a_typed_number_wins_over_the_picked_suggestion(site):
    admin = client_for(site, site.admin)
    admin.post(f"/accounts/{site.a}/extensions/new", data={"number_pick": "203", "number": "450"})
    assert "450" in numbers(site, site.a) and "203" not in numbers(site, site.a)


@pytest.mark.parametrize("number", ["911", "8500", "701"])
def test_reserved_numbers_are_refused_as_invalid_extension_and_nothing_is_stored(site, number):
    admin = client_for(site, site.admin)
    before = numbers(site, site.a)
    response = admin.post(f"/accounts/{site.a}/extensions/new", data={"number": number})
    assert response.status_code == 400
    assert 'data-field="number">Poste invalide' in response.text
    assert numbers(site, site.a) == before
    admin.get("/lang/en")
    english = admin.post(f"/accounts/{site.a}/extensions/new", data={"number": number})
    assert 'data-field="number">Invalid extension' in english.text


BAD_INPUTS = [
    ("number", {"number": "12ab"}),
    ("number", {"number": "201"}),  # already used
    ("voicemail_email", {"voicemail_email": "not-an-email"}),
    ("email", {"assignment": "new_user", "first_name": "Na", "last_name": "Me", "email": "nope"}),
    ("email", {"assignment": "new_user", "first_name": "Na", "last_name": "Me"}),
    ("first_name", {"assignment": "new_user", "last_name": "Me", "email": "n@example.com"}),
    ("last_name", {"assignment": "new_user", "first_name": "Na", "email": "n@example.com"}),
    ("email", {"assignment": "new_user", "first_name": "Na", "last_name": "Me", "email": "admin1@example.com"}),
    ("user_id", {"assignment": "existing_user"}),
    ("user_id", {"assignment": "existing_user", "user_id": "999999"}),
    ("caller_id_name", {"caller_id_name": "evil ${x}"}),
    ("assignment", {"assignment": "somebody"}),
]


@pytest.mark.parametrize("field,data", BAD_INPUTS)
def test_bad_input_gives_400_naming_the_field_and_stores_nothing(site, field, data):
    admin = client_for(site, site.admin)
    before, users = numbers(site, site.a), user_count(site, site.a)
    if data.get("email") == "admin1@example.com":
        data = {**data, "email": site.admin_b}  # a login of another tenant is still taken
    response = admin.post(f"/accounts/{site.a}/extensions/new", data={"number": "450", **data})
    assert response.status_code == 400
    assert f'class="field-error" data-field="{field}"' in response.text
    assert numbers(site, site.a) == before and user_count(site, site.a) == users


def test_a_new_user_gets_a_welcome_email_with_a_set_password_link(site, smtp_server):
    admin = client_for(site, site.admin)
    response = admin.post(f"/accounts/{site.a}/extensions/new", data={
        "number": "460", "assignment": "new_user", "first_name": "Nina", "last_name": "New",
        "email": "nina@example.com", "language": "en"})
    assert response.status_code == 302
    assert send_queued_emails(site.app) == 1  # queued by the page, sent by the mail sender
    [message] = smtp_server.messages
    assert message["To"] == "nina@example.com"
    text = message.get_body(("plain",)).get_content()
    assert "http://pbx.test/password/reset/" in text and "Your login is your email address" in text


def test_delete_asks_for_confirmation_then_deletes(site):
    admin = client_for(site, site.admin)
    url = f"/accounts/{site.a}/extensions/{site.other}/delete"
    confirm = admin.get(url)
    assert "Êtes-vous sûr de vouloir supprimer le poste 202" in confirm.text
    assert "202" in numbers(site, site.a)
    response = admin.post(url, follow_redirects=True)
    assert "Poste 202 supprimé." in response.text
    assert "202" not in numbers(site, site.a)


def test_softphone_creation_shows_its_credentials_and_it_can_be_deleted(site):
    admin = client_for(site, site.admin)
    base = f"/accounts/{site.a}/extensions/{site.other}"
    page = admin.post(f"{base}/softphones", data={"label": "Laptop"}, follow_redirects=True).text
    with site.app.app_context():
        [phone] = db.session.get(Extension, site.other).softphones
        phone_id, username, password = phone.id, phone.sip_username, phone.sip_password
    assert username == "202-1" and password in page and "sip.pbx.test" in page
    admin.post(f"{base}/softphones/{phone_id}/password")
    with site.app.app_context():
        assert db.session.get(Extension, site.other).softphones[0].sip_password != password
    assert "Êtes-vous sûr" in admin.get(f"{base}/softphones/{phone_id}/delete").text
    admin.post(f"{base}/softphones/{phone_id}/delete")
    with site.app.app_context():
        assert db.session.get(Extension, site.other).softphones == []


def test_admin_regenerates_the_desk_phone_password(site):
    admin = client_for(site, site.admin)
    with site.app.app_context():
        old = db.session.get(Extension, site.other).sip_password
    admin.post(f"/accounts/{site.a}/extensions/{site.other}/password")
    with site.app.app_context():
        assert db.session.get(Extension, site.other).sip_password != old


def test_a_user_sees_only_their_own_extension_and_its_softphones_but_no_sip_password(site):
    user = client_for(site, site.user)
    listing = user.get(f"/accounts/{site.a}/extensions").text
    assert 'data-number="201"' in listing and 'data-number="202"' not in listing
    assert "Nouveau poste" not in listing and "/delete" not in listing
    detail = user.get(f"/accounts/{site.a}/extensions/{site.own}")
    with site.app.app_context():
        desk_password = db.session.get(Extension, site.own).sip_password
    assert detail.status_code == 200 and desk_password not in detail.text
    assert user.get(f"/accounts/{site.a}/extensions/{site.other}").status_code == 403
    created = user.post(f"/accounts/{site.a}/extensions/{site.own}/softphones", data={"label": "Mobile"},
                        follow_redirects=True)
    assert "201-1" in created.text


@pytest.mark.parametrize("method,path", [
    ("get", "/extensions/new"), ("post", "/extensions/new"),
    ("get", "/extensions/{other}/delete"), ("post", "/extensions/{other}/delete"),
    ("post", "/extensions/{own}/password"), ("post", "/extensions/{other}/softphones"),
])
def test_a_user_is_refused_admin_actions_with_403(site, method, path):
    user = client_for(site, site.user)
    url = f"/accounts/{site.a}" + path.format(own=site.own, other=site.other)
    response = getattr(user, method)(url, data={"number": "480"})
    assert response.status_code == 403
    assert numbers(site, site.a) == ["201", "202"]


def test_an_admin_of_another_account_gets_404_and_changes_nothing(site):
    intruder = client_for(site, site.admin)
    for url in (f"/accounts/{site.b}/extensions/{site.ext_b}", f"/accounts/{site.b}/extensions",
                f"/accounts/{site.b}/", f"/accounts/{site.a}/extensions/{site.ext_b}"):
        assert intruder.get(url).status_code == 404, url
    for url in (f"/accounts/{site.b}/extensions/{site.ext_b}/delete",
                f"/accounts/{site.a}/extensions/{site.ext_b}/delete",
                f"/accounts/{site.b}/extensions/{site.ext_b}/softphones",
                f"/accounts/{site.b}/extensions/new"):
        assert intruder.post(url, data={"number": "480"}).status_code == 404, url
    assert numbers(site, site.b) == ["301"]
    with site.app.app_context():
        assert db.session.get(Extension, site.ext_b).softphones == []
