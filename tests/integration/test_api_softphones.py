"""Softphones over the API (DEV-2): one SIP account each, for admins and the extension's user."""
from __future__ import annotations

import pytest

from fs_service.db import db
from fs_service.extensions import rules as extensions
from fs_service.models import Softphone
from tests.factories import make_account, make_extension, make_user
from tests.integration.test_api_support import API, assert_error, bearer, count


def _base(ext) -> str:
    return f"{API}/accounts/{ext.account_id}/extensions/{ext.id}/softphones"


def test_each_softphone_gets_its_own_credentials(client):
    account, admin = make_account()
    ext = make_extension(account, number="101")
    headers = bearer(admin)
    first = client.post(_base(ext), json={"label": "Laptop"}, headers=headers)
    second = client.post(_base(ext), headers=headers)
    assert first.status_code == second.status_code == 201
    one, two = first.json, second.json
    assert (one["sip_username"], two["sip_username"]) == ("101-1", "101-2")
    assert len({one["sip_password"], two["sip_password"], ext.sip_password}) == 3
    assert one["sip_domain"] == account.sip_domain and one["sip_server"] == "127.0.0.1"
    assert (one["label"], two["label"]) == ("Laptop", "")
    listed = client.get(_base(ext), headers=headers).json
    assert [p["id"] for p in listed] == [one["id"], two["id"]]


def test_softphone_get_rename_regenerate_and_delete(client):
    account, admin = make_account()
    ext = make_extension(account, number="101")
    headers = bearer(admin)
    phone = client.post(_base(ext), json={"label": "Laptop"}, headers=headers).json
    other = client.post(_base(ext), headers=headers).json
    url = f"{_base(ext)}/{phone['id']}"
    assert client.get(url, headers=headers).json == phone
    assert client.patch(url, json={"label": "Mobile"}, headers=headers).json["label"] == "Mobile"
    renewed = client.post(f"{url}/password", headers=headers).json
    assert renewed["sip_password"] != phone["sip_password"]
    assert client.get(f"{_base(ext)}/{other['id']}", headers=headers).json == other
    assert client.delete(url, headers=headers).status_code == 204
    assert_error(client.get(url, headers=headers), 404, "not_found")
    assert count(Softphone) == 1


def test_the_extensions_user_manages_their_softphones_but_not_a_colleagues(client):
    account, _ = make_account()
    user = make_user(account)
    own = make_extension(account, number="101", user=user)
    colleague = make_extension(account, number="102", user=make_user(account))
    headers = bearer(user)
    created = client.post(_base(own), json={"label": "Mine"}, headers=headers)
    assert created.status_code == 201
    assert client.post(f"{_base(own)}/{created.json['id']}/password", headers=headers).status_code == 200
    assert_error(client.get(_base(colleague), headers=headers), 404, "not_found")
    assert_error(client.post(_base(colleague), headers=headers), 404, "not_found")
    assert count(Softphone) == 1


BAD_INPUT = [
    ("post", {"label": "x" * 81}, "label"),
    ("post", {"label": "bell\x07"}, "label"),
    ("post", {"label": 7}, "label"),
    ("post", {"sip_password": "mine"}, "sip_password"),
    ("post", {"sip_username": "101"}, "sip_username"),
    ("patch", {}, "label"),
    ("patch", {"label": "ok", "extension_id": 9}, "extension_id"),
    ("patch", {"label": "${x}"}, "label"),
]


@pytest.mark.parametrize("method, body, field", BAD_INPUT)
def test_bad_softphone_input_is_400_naming_the_field_and_changes_nothing(client, method, body, field):
    account, admin = make_account()
    ext = make_extension(account, number="101")
    headers = bearer(admin)
    phone = client.post(_base(ext), json={"label": "Same"}, headers=headers).json
    url = _base(ext) if method == "post" else f"{_base(ext)}/{phone['id']}"
    assert_error(getattr(client, method)(url, json=body, headers=headers), 400, "validation_error", field)
    assert count(Softphone) == 1
    assert client.get(f"{_base(ext)}/{phone['id']}", headers=headers).json == phone


@pytest.fixture
def tenant_b_phone(app):
    """Account A's admin and user, and a softphone of an extension of account B."""
    a, admin_a = make_account()
    b, admin_b = make_account()
    ext_b = make_extension(b, number="201")
    phone = extensions.create_softphone(b, ext_b, "B laptop")
    db.session.commit()
    own_ext = make_extension(a, number="101")
    return dict(admin_a=admin_a, user_a=make_user(a), a=a, ext_b=ext_b, phone=phone,
                own_ext=own_ext, state=(phone.label, phone.sip_password))


CALLS = [("get", "", None), ("post", "", {"label": "x"}), ("get", "/{sp}", None),
         ("patch", "/{sp}", {"label": "Hijacked"}), ("delete", "/{sp}", None),
         ("post", "/{sp}/password", None)]


@pytest.mark.parametrize("who", ["admin_a", "user_a"])
@pytest.mark.parametrize("method, suffix, body", CALLS)
def test_another_tenants_softphones_are_not_found_and_unchanged(client, tenant_b_phone, who, method,
                                                                suffix, body):
    t = tenant_b_phone
    ext_b, phone = t["ext_b"], t["phone"]
    urls = [_base(ext_b),  # B's own URL
            f"{API}/accounts/{t['a'].id}/extensions/{ext_b.id}/softphones",  # B's extension under A
            _base(t["own_ext"])]  # B's softphone under A's own extension
    for base in urls if suffix else urls[:2]:
        url = base + suffix.format(sp=phone.id)
        kwargs = {"json": body} if body else {}
        response = getattr(client, method)(url, headers=bearer(t[who]), **kwargs)
        assert_error(response, 404, "not_found")
    db.session.expire_all()
    assert (phone.label, phone.sip_password) == t["state"]
    assert count(Softphone) == 1
