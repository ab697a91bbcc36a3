"""The plumbing every API blueprint shares: our error vocabulary for bad input, CSRF for
cookie sessions, and small helpers the thin views use (who is asking, commit, welcome mail).

flask-smorest/webargs answer bad input with 422 and their own payload; the design says every
bad input is a 400 ``validation_error`` naming the field, so the parser raises our PbxError.
"""
from __future__ import annotations

import logging
from typing import Any, NoReturn

import marshmallow as ma
from flask import current_app
from flask_login import current_user
from flask_smorest import Blueprint
from flask_wtf.csrf import CSRFError
from webargs.flaskparser import FlaskParser, is_json_request

from fs_service.access import account_for, require_admin
from fs_service.db import db
from fs_service.errors import PbxError
from fs_service.models import Account, User
from fs_service.settings import Settings
from web.actor import bearer_token, require_actor
from web.emails import send_welcome
from web.errors import validation_error

from ..extensions import csrf

log = logging.getLogger("pbx.api")
PREFIX = "/api/v1"


def _without_location(messages: dict) -> dict:
    """webargs nests messages under the location (``{"json": {"number": [...]}}``); clients
    want the field itself named in ``details``."""
    flat: dict = {}
    for location, inner in messages.items():
        if isinstance(inner, dict):
            flat.update(inner)
        else:
            flat[location] = inner
    return flat


class ApiParser(FlaskParser):
    """Parses request input into our 400s instead of webargs' 422 / abort payloads."""

    DEFAULT_VALIDATION_STATUS = 400
    # Let each schema's Meta.unknown (RAISE in StrictSchema) decide, for query strings too.
    DEFAULT_UNKNOWN_BY_LOCATION: dict[str, str | None] = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "querystring": None, "query": None}

    def handle_error(self, error: ma.ValidationError, req: Any, schema: ma.Schema, *,
                     error_status_code: int | None, error_headers: Any) -> NoReturn:
        raise validation_error(ma.ValidationError(_without_location(error.messages)))

    def _handle_invalid_json_error(self, error: Exception, req: Any, *args: Any, **kwargs: Any) -> NoReturn:
        raise PbxError("the request body is not valid JSON", {"json": ["invalid JSON body"]},
                       error_id="invalid_json")

    def load_json(self, req: Any, schema: ma.Schema) -> Any:
        # A body sent as form or text would otherwise be ignored and read as "{}".
        if req.get_data(cache=True) and not is_json_request(req):
            raise PbxError("send the body as JSON (Content-Type: application/json)",
                           {"json": ["expected a JSON body"]}, error_id="invalid_json")
        return super().load_json(req, schema)


def check_csrf_for_session() -> None:
    """Browsers attach the session cookie to cross-site requests but never an Authorization
    header, so only cookie-authenticated unsafe requests need the CSRF token."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True) or bearer_token() is not None:
        return
    if not current_user.is_authenticated:
        return  # the view answers 401 (or authenticates with credentials in the body)
    try:
        csrf.protect()
    except CSRFError as exc:
        # 400 csrf_failed, as the UI answers a stale form (web/ui CSRFError handler).
        raise PbxError(f"CSRF check failed: {exc.description}", error_id="csrf_failed") from None


class ApiBlueprint(Blueprint):
    """A smorest Blueprint with our parser, CSRF rule and (by registration) CSRFProtect exemption."""

    ARGUMENTS_PARSER = ApiParser()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.before_request(check_csrf_for_session)


def actor() -> User:
    return require_actor()


def settings() -> Settings:
    return current_app.config["PBX"]


def commit() -> None:
    """Commit the core's work; the outbox then tells FreeSWITCH what to forget."""
    db.session.commit()


def welcome(user: User | None) -> None:
    """Email a new login its set-password link, after the commit (never for a rolled-back user).

    The user already exists when this runs: a mail failure is logged, not turned into an error
    for a request whose work is done (the user can still use "forgot password")."""
    if user is None:
        return
    try:
        send_welcome(user)
    except Exception:
        log.exception("welcome email failed user_id=%s", user.id)


def scoped(account_id: int, *, admin: bool = False) -> tuple[User, Account]:
    """The caller and the account in the URL: another tenant's is 404, a non-admin on an
    admin endpoint 403 (checked in that order, so tenants cannot probe each other)."""
    user = actor()
    account = account_for(user, account_id)
    if admin:
        require_admin(user, account)
    return user, account
