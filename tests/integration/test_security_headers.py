"""Browser hardening: the security headers on every kind of response, the session cookie flags."""
from __future__ import annotations

import pytest

from tests.factories import PASSWORD, make_account
from tests.integration.test_api_support import API, bearer

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
CSP_DIRECTIVES = ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                  "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'")


def assert_hardened(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name
    policy = [d.strip() for d in response.headers["Content-Security-Policy"].split(";")]
    for directive in CSP_DIRECTIVES:
        assert directive in policy
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1, "logging in sets the session cookie"
    return cookies[0]


def log_in(client, email):
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_a_ui_page_carries_the_security_headers(client):
    response = client.get("/login")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert_hardened(response)


def test_a_page_of_a_logged_in_user_carries_the_security_headers(client):
    _, admin = make_account()
    log_in(client, admin.email)
    response = client.get("/", follow_redirects=True)
    assert response.status_code == 200 and "<script>" not in response.text
    assert_hardened(response)


def test_an_api_response_carries_the_security_headers(client):
    _, admin = make_account()
    response = client.get(f"{API}/me", headers=bearer(admin))
    assert response.status_code == 200 and response.is_json
    assert_hardened(response)


@pytest.mark.parametrize("path", ["/no/such/page", f"{API}/no-such-resource"])
def test_error_pages_carry_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert_hardened(response)


def test_an_api_authentication_error_carries_the_security_headers(client):
    response = client.get(f"{API}/me")
    assert response.status_code == 401
    assert_hardened(response)


def test_static_files_carry_the_security_headers(client):
    response = client.get("/static/fax_send.js")
    assert response.status_code == 200
    assert_hardened(response)
    response.close()


def test_the_session_cookie_is_httponly_and_samesite_lax_but_not_secure_by_default(client):
    _, admin = make_account()
    cookie = session_cookie(log_in(client, admin.email)).lower()
    assert "; httponly" in cookie and "; samesite=lax" in cookie
    assert "; secure" not in cookie


def test_the_session_cookie_is_secure_when_the_site_is_served_over_https(make_app):
    app = make_app(session_cookie_secure=True)
    with app.app_context():
        email = make_account()[1].email
    cookie = session_cookie(log_in(app.test_client(), email)).lower()
    assert "; secure" in cookie and "; httponly" in cookie and "; samesite=lax" in cookie


def test_a_remember_me_cookie_would_get_the_same_flags(make_app):
    app = make_app(session_cookie_secure=True)
    assert app.config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
