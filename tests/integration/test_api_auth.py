"""API authentication: tokens, sessions, CSRF for cookie sessions, OpenAPI, error vocabulary."""
from __future__ import annotations

import pytest

from fs_service.models import ApiToken, Extension
from tests.factories import PASSWORD, make_account, make_user
from tests.integration.test_api_support import API, assert_error, bearer, count, log_in


def test_token_for_good_credentials_authenticates_the_user(client):
    _, admin = make_account()
    response = client.post(f"{API}/auth/tokens", json={"email": admin.email, "password": PASSWORD,
                                                       "name": "ci"})
    assert response.status_code == 201
    token = response.json["token"]
    me = client.get(f"{API}/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json["email"] == admin.email and me.json["role"] == "admin"
    assert "password_hash" not in me.json


def test_wrong_password_is_401_and_creates_no_token(client):
    _, admin = make_account()
    response = client.post(f"{API}/auth/tokens", json={"email": admin.email, "password": "wrong-password"})
    assert_error(response, 401, "invalid_credentials")
    assert count(ApiToken) == 0


def test_token_requests_are_throttled_after_repeated_failures(make_app):
    app = make_app(login_max_failures=2)
    with app.app_context():
        _, admin = make_account()
        client = app.test_client()
        for _ in range(2):
            client.post(f"{API}/auth/tokens", json={"email": admin.email, "password": "wrong-password"})
        good = {"email": admin.email, "password": PASSWORD}
        assert_error(client.post(f"{API}/auth/tokens", json=good), 429, "too_many_attempts")


@pytest.mark.parametrize("body, field", [
    ({"password": PASSWORD}, "email"),
    ({"email": "not-an-email", "password": PASSWORD}, "email"),
    ({"email": "a@example.com"}, "password"),
    ({"email": "a@example.com", "password": PASSWORD, "name": ""}, "name"),
    ({"email": "a@example.com", "password": PASSWORD, "scope": "all"}, "scope"),
])
def test_bad_token_requests_are_400_naming_the_field(client, body, field):
    assert_error(client.post(f"{API}/auth/tokens", json=body), 400, "validation_error", field)


def test_no_credentials_is_401(client):
    assert_error(client.get(f"{API}/me"), 401, "unauthorized")


def test_unknown_bearer_token_is_401_even_with_a_session(client):
    _, admin = make_account()
    log_in(client, admin)
    response = client.get(f"{API}/me", headers={"Authorization": "Bearer pbx_not-a-token"})
    assert_error(response, 401, "unauthorized")


def test_session_cookie_authenticates_the_user(client):
    account, _ = make_account()
    user = make_user(account)
    log_in(client, user)
    assert client.get(f"{API}/me").json["id"] == user.id


def _create_extension(client, account_id: int, **kwargs):
    return client.post(f"{API}/accounts/{account_id}/extensions", json={"number": "150"}, **kwargs)


def test_session_post_without_csrf_token_is_refused_when_csrf_is_on(make_app):
    app = make_app(csrf=True)
    with app.app_context():
        account, admin = make_account()
        client = app.test_client()
        log_in(client, admin)
        assert_error(_create_extension(client, account.id), 400, "csrf_failed")
        assert_error(_create_extension(client, account.id, headers={"X-CSRFToken": "forged"}),
                     400, "csrf_failed")
        assert count(Extension) == 0
        token = client.get(f"{API}/auth/csrf-token").json["csrf_token"]
        assert _create_extension(client, account.id, headers={"X-CSRFToken": token}).status_code == 201


def test_bearer_requests_need_no_csrf_token(make_app):
    app = make_app(csrf=True)
    with app.app_context():
        account, admin = make_account()
        client = app.test_client()
        assert _create_extension(client, account.id, headers=bearer(admin)).status_code == 201
        token = client.post(f"{API}/auth/tokens", json={"email": admin.email, "password": PASSWORD})
        assert token.status_code == 201


def test_openapi_document_lists_the_extension_paths_and_bearer_auth(client):
    spec = client.get(f"{API}/openapi.json").json
    assert spec["openapi"] == "3.0.3"
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    paths = spec["paths"]
    base = f"{API}/accounts/{{account_id}}/extensions"
    for path in (base, f"{base}/{{extension_id}}", f"{base}/{{extension_id}}/sip-credentials",
                 f"{base}/{{extension_id}}/softphones/{{softphone_id}}", f"{API}/auth/tokens"):
        assert path in paths, path
    assert set(paths[f"{base}/{{extension_id}}"]) >= {"get", "patch", "delete"}
    assert "message" in spec["components"]["schemas"]["ApiError"]["properties"]


def test_malformed_json_is_400(client):
    _, admin = make_account()
    response = client.post(f"{API}/auth/tokens", data="{not json", content_type="application/json")
    assert_error(response, 400, "invalid_json")
    response = client.post(f"{API}/auth/tokens", data={"email": admin.email, "password": PASSWORD})
    assert_error(response, 400, "invalid_json")


def test_http_errors_under_the_api_use_the_error_vocabulary(client):
    _, admin = make_account()
    assert_error(client.put(f"{API}/me", headers=bearer(admin)), 405, "method_not_allowed")
    assert_error(client.get(f"{API}/nothing-here", headers=bearer(admin)), 404, "not_found")
