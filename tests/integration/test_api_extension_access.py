"""Who may reach which extension (ACC-1, ACC-3).

Choice: objects a caller may not see are 404 (another tenant's account or extension, and a
colleague's extension for a plain user), so nothing leaks about their existence; an admin-only
endpoint on an object the caller may see is 403.
"""
from __future__ import annotations

import pytest

from fs_service.db import db
from fs_service.models import Extension
from tests.factories import make_account, make_extension, make_operator, make_user
from tests.integration.test_api_support import API, assert_error, bearer, count

# (method, path suffix after the extension, JSON body)
EXTENSION_CALLS = [
    ("get", "", None),
    ("patch", "", {"caller_id_name": "Hijacked"}),
    ("delete", "", None),
    ("get", "/sip-credentials", None),
    ("post", "/sip-password", None),
]


@pytest.fixture
def tenants(app):
    """Account A (admin, user) and account B with one extension, seen from A."""
    a, admin_a = make_account()
    b, _ = make_account()
    ext_b = make_extension(b, number="201", caller_id_name="Bee")
    return dict(a=a, admin_a=admin_a, user_a=make_user(a), b=b, ext_b=ext_b,
                password_b=ext_b.sip_password)


def _call(client, method: str, url: str, body, headers):
    return getattr(client, method)(url, json=body, headers=headers) if body else \
        getattr(client, method)(url, headers=headers)


@pytest.mark.parametrize("who", ["admin_a", "user_a"])
@pytest.mark.parametrize("method, suffix, body", EXTENSION_CALLS)
def test_another_tenants_extension_is_not_found_and_unchanged(client, tenants, who, method, suffix, body):
    headers = bearer(tenants[who])
    ext_b = tenants["ext_b"]
    # through B's account URL, and smuggled under A's own account URL
    for account in (tenants["b"], tenants["a"]):
        url = f"{API}/accounts/{account.id}/extensions/{ext_b.id}{suffix}"
        response = _call(client, method, url, body, headers)
        # a plain user on A's URL meets the admin check (403) before the lookup
        assert response.status_code in (403, 404), response.json
        if account is tenants["b"] or who == "admin_a":
            assert_error(response, 404, "not_found")
    db.session.expire_all()
    assert (ext_b.caller_id_name, ext_b.sip_password) == ("Bee", tenants["password_b"])
    assert count(Extension) == 1


@pytest.mark.parametrize("method, suffix", [("get", ""), ("post", ""), ("get", "/suggestions")])
def test_another_tenants_extension_list_is_not_found(client, tenants, method, suffix):
    url = f"{API}/accounts/{tenants['b'].id}/extensions{suffix}"
    response = _call(client, method, url, {"number": "150"} if method == "post" else None,
                     bearer(tenants["admin_a"]))
    assert_error(response, 404, "not_found")
    assert count(Extension) == 1


def test_a_user_sees_only_their_own_extensions(client, tenants):
    a, user = tenants["a"], tenants["user_a"]
    own = make_extension(a, number="101", user=user)
    colleague = make_extension(a, number="102")
    headers = bearer(user)
    base = f"{API}/accounts/{a.id}/extensions"
    assert [e["number"] for e in client.get(base, headers=headers).json] == ["101"]
    assert client.get(f"{base}/{own.id}", headers=headers).status_code == 200
    assert_error(client.get(f"{base}/{colleague.id}", headers=headers), 404, "not_found")


@pytest.mark.parametrize("method, suffix, body", [
    ("post", "", {"number": "150"}),
    ("get", "/suggestions", None),
    ("patch", "/{own}", {"caller_id_name": "Me"}),
    ("delete", "/{own}", None),
    ("get", "/{own}/sip-credentials", None),
    ("post", "/{own}/sip-password", None),
])
def test_admin_endpoints_are_forbidden_to_a_plain_user(client, tenants, method, suffix, body):
    a, user = tenants["a"], tenants["user_a"]
    own = make_extension(a, number="101", user=user, caller_id_name="Mine")
    password = own.sip_password
    url = f"{API}/accounts/{a.id}/extensions" + suffix.format(own=own.id)
    assert_error(_call(client, method, url, body, bearer(user)), 403, "forbidden")
    db.session.expire_all()
    assert (own.caller_id_name, own.sip_password) == ("Mine", password)
    assert count(Extension) == 2


def test_the_operator_manages_any_account(client, tenants):
    url = f"{API}/accounts/{tenants['b'].id}/extensions/{tenants['ext_b'].id}"
    assert client.get(url, headers=bearer(make_operator())).status_code == 200
