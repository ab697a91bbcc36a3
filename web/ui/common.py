"""Small helpers shared by the UI views: who is logged in, safe redirects, form parsing."""
from __future__ import annotations

from functools import wraps
from typing import Callable, Mapping

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError

from fs_service import access
from fs_service.db import db
from fs_service.errors import Forbidden, PbxError
from fs_service.extensions import rules as extensions
from fs_service.models import Account, Extension, User
from web.actor import current_actor, require_actor
from web.errors import validation_error

from ..messages import translate

FORM_LEVEL = "_form"


def login_required(view: Callable) -> Callable:
    """Send anonymous visitors to the login page, then back here once logged in."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_actor() is None:
            flash(_("Please log in to see this page."), "info")
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapped


def actor() -> User:
    """The logged-in user; views call it under ``login_required``, so None is a 401 bug guard."""
    return require_actor()


def safe_next(target: str | None, default: str = "/") -> str:
    """Only local paths: a crafted ``next=//evil.example`` must not turn us into a redirector."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def text(form: Mapping[str, str], name: str) -> str:
    return (form.get(name) or "").strip()


def non_empty(form: Mapping[str, str], names: tuple[str, ...]) -> dict[str, str]:
    """Typed values only: an empty box is *missing*, so the schema says "required", not "invalid"."""
    return {name: text(form, name) for name in names if text(form, name)}


def error_map(exc: ValidationError | PbxError, rename: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    """Per-field, translated messages from a schema or core error, keyed by form input name."""
    error: PbxError = validation_error(exc) if isinstance(exc, ValidationError) else exc
    details = error.details or {FORM_LEVEL: [error.message]}
    out: dict[str, list[str]] = {}
    for field, messages in details.items():
        key = (rename or {}).get(field, field)
        key = FORM_LEVEL if key == "_schema" else key
        out.setdefault(key, []).extend(translate(str(m)) for m in messages)
    return out


def discard_changes() -> None:
    """Undo anything the failed attempt flushed: a refused form stores nothing."""
    db.session.rollback()


def account_context(account_id: int) -> tuple[User, Account, bool]:
    """The actor, the account (404 across tenants) and whether the actor administers it."""
    user = actor()
    account = access.account_for(user, account_id)
    return user, account, access.is_admin_of(user, account)


def usable_extension(user: User, account: Account, extension_id: int) -> Extension:
    """An extension of this account that the actor may manage (admins: all; users: their own)."""
    ext = extensions.get_extension(account, extension_id)
    if not access.can_use_extension(user, ext):
        raise Forbidden("this extension is not assigned to you")
    return ext


def lenient_query(schema: type[Schema]) -> dict:
    """A list page's filters as typed in the query string; a malformed one is dropped rather
    than answered with an error page (an old bookmark still opens the list)."""
    typed = {key: value for key, value in request.args.items() if value}
    try:
        return schema().load(typed)
    except ValidationError as exc:
        return schema().load({k: v for k, v in typed.items() if k not in exc.messages})


def admin_scope(account_id: int | None) -> Account | None:
    """The account of an account-admin page (other tenants 404, plain users 403), or None for
    the operator's page over every account (others 403)."""
    user = actor()
    if account_id is None:
        access.require_operator(user)
        return None
    account = access.account_for(user, account_id)
    access.require_admin(user, account)
    return account


def older_url(query: dict, next_before_id: int | None) -> str | None:
    """The link to the next (older) page of a newest-first list, keeping its filters."""
    if next_before_id is None:
        return None
    kept = {k: v for k, v in query.items() if v not in (None, "") and k not in ("before_id", "limit")}
    return url_for(request.endpoint, **(request.view_args or {}), **kept, before_id=next_before_id)
