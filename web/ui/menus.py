"""Welcome menus (guide 1.2 "sacbienvue"): list, create, edit (greeting, language, timeout,
repeats, dial-by-extension, keys 0–9 → treatment), delete. Admin-only. On the edit page the
greeting can also be uploaded as a WAV file, played in the browser and deleted (back to the
default greeting).

A menu and its keys are saved together: a refused key leaves the menu unchanged too. Callers
reach a menu through a treatment of kind "menu" (a number's page creates one).
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from fs_service import access
from fs_service.db import db
from fs_service.errors import ValidationFailed
from fs_service.numbers import menus as core, sound_uploads
from schema.menus import MenuCreateSchema, MenuKeysSchema
from web.sound_access import sound_response, uploaded_bytes

from ..messages import translate
from .common import account_context, discard_changes, error_map, login_required, text
from .numbers_form import treatment_options
from .sound_forms import upload_errors, upload_hint

bp = Blueprint("menus", __name__, url_prefix="/accounts/<int:account_id>/menus")
TEXT_FIELDS = ("name", "language", "greeting_path", "timeout_seconds", "repeat_count", "timeout_treatment_id")


def _admin_account(account_id: int):
    user, account, _admin = account_context(account_id)
    access.require_admin(user, account)
    return account


def _payload(form) -> tuple[dict, dict]:
    """Menu fields (blank greeting / timeout treatment: the defaults) and keys ``k0``..``k9``."""
    menu = {name: text(form, name) or None for name in TEXT_FIELDS}
    menu["name"] = text(form, "name")
    menu["dial_by_extension"] = "dial_by_extension" in form
    keys = {digit: text(form, f"k{digit}") or None for digit in core.DIGITS}
    return menu, {"keys": keys}


def _values(menu) -> dict:
    values = {name: getattr(menu, name) for name in (*TEXT_FIELDS, "dial_by_extension")}
    values.update({f"k{digit}": tid for digit, tid in core.menu_keys(menu).items()})
    return values


def _form(account, menu, values: dict, errors: dict, status: int = 200):
    playable = menu is not None and sound_uploads.stored_file(account, sound_uploads.menu_owner(menu),
                                                              menu.greeting_path) is not None
    return render_template("menus/form.html", account=account, menu=menu, values=values, errors=errors,
                           digits=core.DIGITS, key_options=treatment_options(account, _("No key")),
                           timeout_options=treatment_options(account, _("Hang up")), greeting_playable=playable,
                           upload_hint=upload_hint()), status


@bp.get("")
@login_required
def index(account_id: int):
    account = _admin_account(account_id)
    return render_template("menus/list.html", account=account, menus=core.list_menus(account))


def _save(account, menu):
    """Create or update, then the keys; on any refusal nothing is stored."""
    fields, keys = _payload(request.form)
    try:
        data = MenuCreateSchema().load(fields)
        key_map = MenuKeysSchema().load(keys)["keys"]
        if menu is None:
            menu = core.create_menu(account, **data)
        else:
            core.update_menu(account, menu, data)
        core.set_menu_keys(account, menu, key_map)
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        errors = error_map(exc, {f"keys.{d}": f"k{d}" for d in core.DIGITS})
        if isinstance(exc, ValidationError) and isinstance(exc.messages.get("keys"), dict):
            errors = {f"k{d}": [translate("Not a valid integer.")] for d in exc.messages["keys"]}
        values = {**request.form.to_dict(), "dial_by_extension": "dial_by_extension" in request.form}
        return None, errors, values
    db.session.commit()
    return menu, {}, {}


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new(account_id: int):
    account = _admin_account(account_id)
    if request.method == "GET":
        defaults = {"language": account.language, "timeout_seconds": 5, "repeat_count": 3, "dial_by_extension": True}
        return _form(account, None, defaults, {})
    menu, errors, values = _save(account, None)
    if menu is None:
        return _form(account, None, values, errors, 400)
    flash(_("Welcome menu %(name)s saved.", name=menu.name), "success")
    return redirect(url_for("menus.index", account_id=account.id))


@bp.route("/<int:menu_id>/edit", methods=["GET", "POST"])
@login_required
def edit(account_id: int, menu_id: int):
    account = _admin_account(account_id)
    menu = core.get_menu(account, menu_id)
    if request.method == "GET":
        return _form(account, menu, _values(menu), {})
    saved, errors, values = _save(account, menu)
    if saved is None:
        return _form(account, core.get_menu(account, menu_id), values, errors, 400)
    flash(_("Welcome menu %(name)s saved.", name=saved.name), "success")
    return redirect(url_for("menus.index", account_id=account.id))


@bp.post("/<int:menu_id>/delete")
@login_required
def delete(account_id: int, menu_id: int):
    """Treatments that ran it fall back to their default; its keys go with it."""
    account = _admin_account(account_id)
    menu = core.get_menu(account, menu_id)
    name = menu.name
    core.delete_menu(account, menu)
    db.session.commit()
    flash(_("Welcome menu %(name)s deleted.", name=name), "success")
    return redirect(url_for("menus.index", account_id=account.id))


def _edit_page(account, menu_id: int):
    return redirect(url_for("menus.edit", account_id=account.id, menu_id=menu_id, _anchor="greeting"))


@bp.post("/<int:menu_id>/greeting")
@login_required
def upload_greeting(account_id: int, menu_id: int):
    """A WAV file becomes the greeting (live on the next call); the previous upload is deleted."""
    account = _admin_account(account_id)
    menu = core.get_menu(account, menu_id)
    try:
        core.upload_menu_greeting(account, menu, uploaded_bytes(request.files))
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        menu = core.get_menu(account, menu_id)
        return _form(account, menu, _values(menu), upload_errors(exc, "greeting_file"), 400)
    db.session.commit()
    flash(_("The greeting was uploaded; it plays from the next call."), "success")
    return _edit_page(account, menu_id)


@bp.get("/<int:menu_id>/greeting/audio")
@login_required
def greeting_audio(account_id: int, menu_id: int):
    account = _admin_account(account_id)
    menu = core.get_menu(account, menu_id)
    return sound_response(account, sound_uploads.menu_owner(menu), menu.greeting_path, f"menu-{menu.id}-greeting")


@bp.post("/<int:menu_id>/greeting/delete")
@login_required
def delete_greeting(account_id: int, menu_id: int):
    """Back to the default greeting; an uploaded file is deleted."""
    account = _admin_account(account_id)
    core.remove_greeting(account, core.get_menu(account, menu_id))
    db.session.commit()
    flash(_("The greeting was deleted: callers hear the default greeting."), "success")
    return _edit_page(account, menu_id)
