"""Two-factor logins (issue 14): TOTP codes, recovery codes, replay refused, operators and (per
account) admins obliged to set it up, API tokens asking for the code, resets."""
from __future__ import annotations

import time

import pyotp
import pytest

from fs_service.accounts import two_factor
from fs_service.db import db
from fs_service.models import Account, ApiToken, User
from tests.factories import PASSWORD, make_account, make_operator, make_user
from tests.helpers import totp_code, ui_login
from tests.integration.test_api_support import API, assert_error, bearer, count  # noqa: F401


@pytest.fixture
def site(make_app):
    """Requests run outside any app context so each finds out who is calling, as in production."""
    app = make_app(login_max_failures=4)
    with app.app_context():
        account, admin = make_account()
        user = make_user(account)
        operator = make_operator()
        ids = dict(account_id=account.id, admin=admin.email, admin_id=admin.id, user=user.email,
                   user_id=user.id, operator=operator.email)
    return app, ids


def _user(app, email: str) -> User:
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        db.session.expunge(user)
        return user


def _enable(app, email: str) -> str:
    """Turn two-factor on for ``email`` through the core; returns the secret."""
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        secret = two_factor.new_secret()
        two_factor.confirm(user, secret, pyotp.TOTP(secret).now())
        db.session.commit()
        return secret


def test_an_operator_must_give_a_code_and_a_used_code_is_refused(site):
    app, ids = site
    client = app.test_client()
    response = client.post("/login", data={"email": ids["operator"], "password": PASSWORD})
    assert response.status_code == 302 and "/login/code" in response.headers["Location"]
    assert client.get("/operator/audit").status_code == 302  # not logged in yet: only the code step
    assert client.post("/login/code", data={"code": "000000"}).status_code == 401
    code = totp_code(_user(app, ids["operator"]))
    assert client.post("/login/code", data={"code": code}).status_code == 302
    assert client.get("/operator/audit").status_code == 200

    again = app.test_client()
    again.post("/login", data={"email": ids["operator"], "password": PASSWORD})
    response = again.post("/login/code", data={"code": code})  # the same code, replayed
    assert response.status_code == 401 and again.get("/operator/audit").status_code == 302


def test_code_guesses_are_throttled_and_a_right_password_does_not_reset_the_count(site):
    app, ids = site
    client = app.test_client()
    for _ in range(2):
        client.post("/login", data={"email": ids["operator"], "password": PASSWORD})
        for _ in range(2):
            assert client.post("/login/code", data={"code": "123456"}).status_code == 401
    assert client.post("/login", data={"email": ids["operator"], "password": PASSWORD}).status_code == 429


def test_a_recovery_code_opens_one_login_only(site):
    app, ids = site
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == ids["user"]))
        secret = two_factor.new_secret()
        codes = two_factor.confirm(user, secret, pyotp.TOTP(secret).now())
        db.session.commit()
    assert len(codes) == 10 and len(set(codes)) == 10
    for expected in (302, 401):
        client = app.test_client()
        client.post("/login", data={"email": ids["user"], "password": PASSWORD})
        assert client.post("/login/code", data={"code": codes[0].upper()}).status_code == expected
    with app.app_context():
        assert two_factor.recovery_codes_left(db.session.get(User, ids["user_id"])) == 9


def test_an_operator_without_two_factor_reaches_only_the_set_up_page_then_logs_in_with_it(site):
    app, ids = site
    with app.app_context():
        operator = make_operator()
        two_factor.clear(operator)
        db.session.commit()
        email = operator.email
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/me/two-factor")
    assert client.get("/operator/accounts").headers["Location"].endswith("/me/two-factor")
    assert_error(client.get(f"{API}/accounts"), 403, "two_factor_required")
    page = client.get("/me/two-factor")
    assert page.status_code == 200 and 'data-testid="totp-secret"' in page.text
    qr = client.get("/me/two-factor/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    with client.session_transaction() as session:
        secret = session["pbx_2fa_secret"]
    assert client.post("/me/two-factor/enable", data={"code": "000000"}).status_code == 400
    done = client.post("/me/two-factor/enable", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and done.text.count("<li><code>") == 10
    assert client.get("/operator/accounts").status_code == 200
    with app.app_context():
        stored = db.session.scalar(db.select(User).where(User.email == email))
        assert stored.totp_secret == secret and two_factor.recovery_codes_left(stored) == 10


def test_the_account_can_require_two_factor_of_its_admins(site):
    app, ids = site
    with app.app_context():
        admin = db.session.get(User, ids["admin_id"])
        headers = bearer(admin)
    client = app.test_client()
    body = client.patch(f"{API}/accounts/{ids['account_id']}/security", json={"admins_require_two_factor": True},
                        headers=headers)
    assert body.status_code == 200 and body.json["admins_require_two_factor"] is True
    login = app.test_client()
    response = login.post("/login", data={"email": ids["admin"], "password": PASSWORD})
    assert response.headers["Location"].endswith("/me/two-factor")
    user = app.test_client()  # a plain user of the same account is not concerned
    assert user.post("/login", data={"email": ids["user"], "password": PASSWORD}).headers["Location"] == "/"
    assert_error(client.patch(f"{API}/accounts/{ids['account_id']}/security",
                              json={"admins_require_two_factor": "yes please"}, headers=headers),
                 400, "validation_error", "admins_require_two_factor")


def test_api_tokens_ask_for_the_code_when_two_factor_is_on(site):
    app, ids = site
    client = app.test_client()
    body = {"email": ids["operator"], "password": PASSWORD, "name": "ci"}
    assert_error(client.post(f"{API}/auth/tokens", json=body), 401, "two_factor_code_invalid")
    code = totp_code(_user(app, ids["operator"]))
    assert client.post(f"{API}/auth/tokens", json={**body, "code": code}).status_code == 201
    assert_error(client.post(f"{API}/auth/tokens", json={**body, "code": code}), 401, "two_factor_code_invalid")
    with app.app_context():
        operator = make_operator()
        two_factor.clear(operator)
        db.session.commit()
        unenrolled = {"email": operator.email, "password": PASSWORD}
        assert count(ApiToken) == 1
    assert_error(client.post(f"{API}/auth/tokens", json=unenrolled), 403, "two_factor_required")


def test_set_up_renew_and_turn_off_through_the_api(site):
    app, ids = site
    with app.app_context():
        headers = bearer(db.session.get(User, ids["user_id"]))
    client = app.test_client()
    assert client.get(f"{API}/me/two-factor", headers=headers).json == {
        "enabled": False, "required": False, "recovery_codes_left": 0}
    given = client.post(f"{API}/me/two-factor/secret", headers=headers).json
    assert given["otpauth_uri"].startswith("otpauth://totp/") and given["secret"] in given["otpauth_uri"]
    assert_error(client.post(f"{API}/me/two-factor", json={"secret": given["secret"], "code": "000000"},
                             headers=headers), 400, "two_factor_code_invalid", "code")
    totp = pyotp.TOTP(given["secret"])
    codes = client.post(f"{API}/me/two-factor", json={"secret": given["secret"], "code": totp.now()},
                        headers=headers).json["recovery_codes"]
    assert len(codes) == 10
    renewed = client.post(f"{API}/me/two-factor/recovery-codes", json={"code": codes[0]}, headers=headers)
    assert renewed.status_code == 201 and set(renewed.json["recovery_codes"]).isdisjoint(codes)
    next_step = totp.at(time.time() + 30)
    off = client.post(f"{API}/me/two-factor/disable", json={"code": next_step}, headers=headers)
    assert off.status_code == 200 and off.json["enabled"] is False


def test_operators_cannot_turn_it_off_and_admins_reset_their_users_not_other_tenants(site):
    app, ids = site
    _enable(app, ids["user"])
    with app.app_context():
        operator = db.session.scalar(db.select(User).where(User.email == ids["operator"]))
        op_headers = bearer(operator)
        admin_headers = bearer(db.session.get(User, ids["admin_id"]))
        _, other_admin = make_account()
        other_headers = bearer(other_admin)
        code = totp_code(operator)
    client = app.test_client()
    assert_error(client.post(f"{API}/me/two-factor/disable", json={"code": code}, headers=op_headers),
                 403, "two_factor_required")
    url = f"{API}/accounts/{ids['account_id']}/users/{ids['user_id']}/two-factor"
    assert client.delete(url, headers=other_headers).status_code == 404
    assert client.delete(url, headers=admin_headers).status_code == 204
    with app.app_context():
        user = db.session.get(User, ids["user_id"])
        assert not two_factor.enabled(user) and two_factor.recovery_codes_left(user) == 0


def test_ui_login_helper_completes_the_code_step(site):
    app, ids = site
    client = app.test_client()
    ui_login(client, ids["operator"], PASSWORD)
    assert client.get("/operator/audit").status_code == 200


def test_an_admin_sets_the_account_rule_on_the_security_page_and_a_user_cannot(site):
    app, ids = site
    admin = app.test_client()
    ui_login(admin, ids["admin"], PASSWORD)
    page = admin.get("/me/two-factor").text
    assert 'name="admins_require_two_factor"' in page
    assert admin.post("/me/two-factor/account-rule", data={"admins_require_two_factor": "on"}).status_code == 302
    user = app.test_client()
    ui_login(user, ids["user"], PASSWORD)
    assert 'name="admins_require_two_factor"' not in user.get("/me/two-factor").text
    assert user.post("/me/two-factor/account-rule", data={}).status_code == 403
    with app.app_context():
        assert db.session.get(Account, ids["account_id"]).admins_require_two_factor is True
