"""Who is making this request: a logged-in browser session or an API bearer token."""
from __future__ import annotations

from flask import g, request
from flask_login import current_user

from fs_service import auth
from fs_service.errors import Unauthorized
from fs_service.models import User


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None


def current_actor() -> User | None:
    if "pbx_actor" not in g:
        token = bearer_token()
        if token:
            g.pbx_actor = auth.user_for_api_token(token)
        elif current_user.is_authenticated:
            g.pbx_actor = current_user._get_current_object()
        else:
            g.pbx_actor = None
    return g.pbx_actor


def require_actor() -> User:
    actor = current_actor()
    if actor is None:
        raise Unauthorized("log in or send a valid API token")
    return actor
