"""Helpers shared by the API tests (no tests here; named test_api_* to live beside them).

The ``app`` fixture keeps one app context pushed for the whole test, and Flask reuses it for
every test-client request, so ``g`` (our cached actor, Flask-Login's user) would leak from one
request to the next. ``fresh_request_state`` makes each request find out who is calling anew,
as it does in production where every request has its own context.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask, g
from flask.testing import FlaskClient

from fs_service import auth
from fs_service.db import db
from fs_service.models import User

API = "/api/v1"


@pytest.fixture(autouse=True)
def fresh_request_state(request: pytest.FixtureRequest) -> None:
    if "app" not in request.fixturenames:
        return
    app: Flask = request.getfixturevalue("app")

    @app.before_request
    def _forget_previous_caller() -> None:
        for name in ("pbx_actor", "_login_user"):
            g.pop(name, None)


def bearer(user: User) -> dict[str, str]:
    """An Authorization header with a fresh API token for ``user``."""
    token = auth.create_api_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def log_in(client: FlaskClient, user: User) -> None:
    """Give the test client the session cookie the UI login would have set (Flask-Login)."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


def count(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def assert_error(response, status: int, error_id: str, field: str | None = None) -> dict:
    """Our error vocabulary: {message, error_id, details}, with ``field`` named in details."""
    body = response.get_json()
    assert response.status_code == status, body
    assert set(body) == {"message", "error_id", "details"}, body
    assert body["error_id"] == error_id, body
    if field is not None:
        assert field in body["details"], body
    return body
