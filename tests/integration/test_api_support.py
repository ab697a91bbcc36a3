"""Helpers shared by the API tests (no tests here; named test_api_* to live beside them).

Each test-client request finds out who is calling anew (tests/conftest.py FreshRequestClient),
as it does in production where every request has its own context.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask.testing import FlaskClient

from fs_service.accounts import login as auth
from fs_service.db import db
from fs_service.models import User

API = "/api/v1"


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
