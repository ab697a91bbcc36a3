"""Who is making this request: a logged-in browser session or an API bearer token.

Once known, the person is also who the audit log names for every change this request commits
(fs_service.audit): no view has to remember it."""
from __future__ import annotations

from flask import g, request
from flask_login import current_user

from fs_service import audit
from fs_service.accounts import login as auth
from fs_service.db import db
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
        if g.pbx_actor is not None:
            audit_as(g.pbx_actor)
    return g.pbx_actor


def audit_as(user: User) -> None:
    """Record the changes this request commits as ``user``'s (also for a person not logged in
    yet, e.g. one choosing a new password through a reset link)."""
    source = "api" if request.path.startswith("/api/") else "ui"
    audit.act_as(db.session, audit.Actor(user.id, user.email, user.account_id, source,
                                         request.remote_addr or ""))


def require_actor() -> User:
    actor = current_actor()
    if actor is None:
        raise Unauthorized("log in or send a valid API token")
    return actor
