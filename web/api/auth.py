"""API authentication: trade email + password for a bearer token, say who is logged in (ACC-2)."""
from __future__ import annotations

from flask import request
from flask_wtf.csrf import generate_csrf

from fs_service.accounts import login as auth, two_factor
from fs_service.errors import Forbidden, Unauthorized
from fs_service.models import User
from schema.accounts import UserSchema
from schema.auth import ApiTokenCreateSchema, ApiTokenSchema, CsrfTokenSchema

from .base import PREFIX, ApiBlueprint, actor, commit, settings

bp = ApiBlueprint("api_auth", __name__, url_prefix=PREFIX, description="Tokens and the current user")


@bp.route("/auth/tokens", methods=["POST"])
@bp.arguments(ApiTokenCreateSchema)
@bp.response(201, ApiTokenSchema)
@bp.doc(security=[])
def create_token(data: dict) -> dict:
    """Create an API token (shown once). With two-factor on, ``code`` is required; a login that
    must set it up first gets 403 ``two_factor_required``. Failed attempts (password or code)
    count toward the login throttle (429)."""
    config = settings()
    user = auth.authenticate(data["email"], data["password"], request.remote_addr or "",
                             max_failures=config.login_max_failures,
                             window_seconds=config.login_window_seconds)
    if user is None:
        raise Unauthorized("wrong email or password", error_id="invalid_credentials")
    if two_factor.must_enrol(user):
        raise Forbidden("set up two-factor authentication first (in the web interface, or "
                        "/me/two-factor with a session)", error_id="two_factor_required")
    if two_factor.enabled(user):
        if not data["code"] or not two_factor.verify(user, data["code"]):
            auth.record_failure(user.email, request.remote_addr or "")
            raise Unauthorized("code: missing, wrong or already used (two-factor is on for this login)",
                               error_id="two_factor_code_invalid")
        auth.clear_failures(user.email)
    token = auth.create_api_token(user, data["name"])
    commit()
    return {"token": token}


@bp.route("/auth/csrf-token", methods=["GET"])
@bp.response(200, CsrfTokenSchema)
def csrf_token() -> dict:
    """For cookie-session clients: the token to send as X-CSRFToken on unsafe requests."""
    return {"csrf_token": generate_csrf()}


@bp.route("/me", methods=["GET"])
@bp.response(200, UserSchema)
def me() -> User:
    """The authenticated user (session or bearer token)."""
    return actor()
