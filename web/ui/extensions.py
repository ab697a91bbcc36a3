"""Extension list, creation and deletion (EXT-1, EXT-2)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from fs_service import access
from fs_service.accounts import rules as accounts
from fs_service.db import db
from fs_service.errors import ValidationFailed
from fs_service.extensions import rules as extensions
from fs_service.extensions.rules import Assignment
from schema.extensions import ExtensionCreateSchema
from web.emails import send_welcome

from .common import account_context, discard_changes, error_map, login_required, text

bp = Blueprint("extensions", __name__, url_prefix="/accounts/<int:account_id>/extensions")

NEW_USER_FIELDS = ("first_name", "last_name", "email")


@bp.get("")
@login_required
def index(account_id: int):
    user, account, is_admin = account_context(account_id)
    rows = extensions.list_extensions(account, None if is_admin else user)
    return render_template("extensions/list.html", account=account, is_admin=is_admin, extensions=rows)


def _payload(form: MultiDict) -> dict:
    """Form → schema input. A typed number wins over the picked suggestion; only the fields of
    the chosen assignment are sent, so a half-typed new user does not block "managed by admin"."""
    mode = text(form, "assignment") or "admin"
    payload = {
        "number": text(form, "number") or text(form, "number_pick") or None,
        "voicemail_enabled": "voicemail_enabled" in form,
        "listed_in_directory": "listed_in_directory" in form,
        "caller_id_name": text(form, "caller_id_name"),
        "voicemail_email": text(form, "voicemail_email") or None,
        "language": text(form, "language") or None,
        "assignment": mode,
    }
    if mode == "new_user":
        payload.update({name: text(form, name) for name in NEW_USER_FIELDS})
        payload["email"] = payload["email"] or None
    if mode == "existing_user":
        payload["user_id"] = text(form, "user_id") or None
    return payload


def _create(account, data: dict):
    assignment = Assignment(mode=data.pop("assignment"), user_id=data.pop("user_id"),
                            first_name=data.pop("first_name"), last_name=data.pop("last_name"),
                            email=data.pop("email") or "")
    return extensions.create_extension(account, assignment=assignment, **data)


def _new_page(account, values: dict, errors: dict, status: int = 200):
    return render_template("extensions/new.html", account=account, values=values, errors=errors,
                           suggestions=extensions.suggest_numbers(account),
                           users=accounts.list_users(account)), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new(account_id: int):
    user, account, _admin = account_context(account_id)
    access.require_admin(user, account)
    if request.method == "GET":
        defaults = {"voicemail_enabled": True, "listed_in_directory": True, "assignment": "admin",
                    "language": account.language}
        return _new_page(account, defaults, {})
    payload = _payload(request.form)
    values = {**payload, **request.form.to_dict()}  # re-render what was typed, checkboxes included
    try:
        ext, new_user = _create(account, ExtensionCreateSchema().load(payload))
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        return _new_page(account, values, error_map(exc), 400)
    db.session.commit()
    if new_user is not None:
        send_welcome(new_user)
    flash(_("Extension %(number)s created.", number=ext.number), "success")
    return redirect(url_for("extension.detail", account_id=account.id, extension_id=ext.id))


@bp.route("/<int:extension_id>/delete", methods=["GET", "POST"])
@login_required
def delete(account_id: int, extension_id: int):
    user, account, _admin = account_context(account_id)
    access.require_admin(user, account)
    ext = extensions.get_extension(account, extension_id)
    if request.method == "GET":
        return render_template("extensions/delete.html", account=account, extension=ext)
    number = ext.number
    extensions.delete_extension(account, ext)
    db.session.commit()
    flash(_("Extension %(number)s deleted.", number=number), "success")
    return redirect(url_for("extensions.index", account_id=account.id))
