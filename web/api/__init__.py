"""REST API /api/v1 (flask-smorest): one blueprint per resource, OpenAPI at /api/v1/openapi.json.

Authentication is a bearer token (``POST /api/v1/auth/tokens``) or the UI's session cookie;
see base.check_csrf_for_session for why only the cookie case needs a CSRF token.
"""
from __future__ import annotations

from typing import Any, Callable

from flask import Flask, jsonify
from flask_smorest import Api
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from fs_service.errors import PbxError
from schema.api_errors import ApiErrorSchema
from schema.common import MAX_ID
from web.errors import is_api_request

from ..extensions import csrf
from . import (accounts, audit, auth, blacklist, books, conferences, conferences_history, extension_settings,
               extensions, fax, fax_received, gateways, mail, menus, numbers, numbers_schedules, phones, softphones,
               status, two_factor, voicemail, voicemail_messages)
from .base import PREFIX

BLUEPRINTS = (auth.bp, accounts.bp, extensions.bp, extension_settings.bp, softphones.bp, voicemail.bp,
              voicemail_messages.bp, numbers.bp, numbers.treatments_bp, numbers_schedules.bp, blacklist.bp, menus.bp, status.bp)
BLUEPRINTS += (fax.bp, fax_received.bp)
BLUEPRINTS += (gateways.bp,)
BLUEPRINTS += (two_factor.bp, audit.bp)
BLUEPRINTS += (mail.bp,)
BLUEPRINTS += (conferences.bp, conferences_history.bp)
BLUEPRINTS += (phones.bp,)
BLUEPRINTS += (books.bp,)
SECURITY = [{"bearerAuth": []}, {"sessionCookie": []}]


class IdConverter(IntegerConverter):
    """``<int:…_id>`` in API paths: 0 to MAX_ID. A larger id cannot exist; unbounded, it would
    reach the database (SQLite overflows: a 500) instead of being a plain 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class PbxApi(Api):
    """smorest's Api, speaking our error vocabulary instead of ``{code, status, errors}``.

    smorest installs an app-wide HTTPException handler; outside /api/ it hands the error to
    whatever handled it before (the UI's, or Flask's default page)."""

    ERROR_SCHEMA = ApiErrorSchema
    previous_handler: Callable[[HTTPException], Any] | None = None

    def handle_http_exception(self, error: HTTPException) -> Any:
        if not is_api_request():
            return self.previous_handler(error) if self.previous_handler else error
        error_id = (error.name or "error").lower().replace(" ", "_")
        body = PbxError(error.description or error.name, error_id=error_id).to_dict()
        return jsonify(body), error.code or 500


def _configure(app: Flask) -> None:
    app.config.update(
        API_TITLE="PBX control plane API", API_VERSION="v1", OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=PREFIX, OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={"security": SECURITY},
    )


def init_api(app: Flask) -> None:
    _configure(app)
    api = PbxApi()
    api.previous_handler = app.error_handler_spec[None][None].get(HTTPException)
    app.url_map.converters["int"] = IdConverter  # the rules registered below (the API's)
    api.init_app(app)
    api.register_converter(IdConverter, lambda _: {"type": "integer", "minimum": 0, "maximum": MAX_ID})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.spec.components.security_scheme(
        "sessionCookie", {"type": "apiKey", "in": "cookie", "name": app.config.get("SESSION_COOKIE_NAME", "session")})
    for bp in BLUEPRINTS:
        api.register_blueprint(bp)
        csrf.exempt(bp)  # checked by base.check_csrf_for_session, only for cookie sessions
