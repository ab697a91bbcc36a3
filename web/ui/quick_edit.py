"""Quick edit (EXT-5): every extension of the account in one table, saved at once (admins).

The whole table is one form and one transaction: if a single cell is refused nothing is
stored, the table comes back as typed (400) and each refused cell is marked with its message.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from marshmallow import ValidationError

from fs_service import access
from fs_service.db import db
from fs_service.errors import ValidationFailed
from fs_service.extensions import rules as extensions, settings as core
from fs_service.models import Account
from schema.extension_settings import QuickEditSchema

from ..messages import translate
from .common import account_context, discard_changes, error_map, login_required
from .settings import moh_choices, number_options
from .settings_form import quick_edit_rows

bp = Blueprint("quick_edit", __name__, url_prefix="/accounts/<int:account_id>/extensions/quick-edit")


def _row_ids(form) -> list[int]:
    return [int(value) for value in form.getlist("row") if value.isdigit()]


def _page(account: Account, rows: dict[int, dict[str, Any]], errors: dict[str, list[str]], status: int = 200):
    exts = extensions.list_extensions(account)
    used = {ext.music_on_hold for ext in exts}
    moh = moh_choices()
    moh += sorted(m for m in used if m not in moh)
    return render_template("extensions/quick_edit.html", account=account, extensions=exts, rows=rows,
                           errors=errors, moh_options=[(m, m) for m in moh],
                           number_options=number_options(account)), status


def _stored_rows(account: Account) -> dict[int, dict[str, Any]]:
    return {ext.id: core.read_settings(ext, as_admin=True) for ext in extensions.list_extensions(account)}


@bp.get("")
@login_required
def page(account_id: int):
    user, account, _admin = account_context(account_id)
    access.require_admin(user, account)
    return _page(account, _stored_rows(account), {})


@bp.post("")
@login_required
def save(account_id: int):
    user, account, _admin = account_context(account_id)
    access.require_admin(user, account)
    typed = quick_edit_rows(request.form, _row_ids(request.form))
    try:
        rows = QuickEditSchema().load({"extensions": typed})
        warnings = core.quick_edit(account, rows, as_admin=True,
                                   moh_choices=current_app.config["PBX"].music_on_hold_choices)
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        shown = {**_stored_rows(account), **{row["id"]: row for row in typed}}
        return _page(account, shown, error_map(exc), 400)
    db.session.commit()
    flash(ngettext("%(num)s extension saved.", "%(num)s extensions saved.", len(rows)), "success")
    numbers = {ext.id: ext.number for ext in core.extensions_by_id(account, list(warnings))}
    for ext_id, found in warnings.items():
        for warning in found:
            flash(_("Extension %(number)s: %(warning)s", number=numbers[ext_id], warning=translate(warning)),
                  "warning")
    return redirect(url_for("quick_edit.page", account_id=account.id))
