"""The settings page of one extension (EXT-3 for its user, EXT-4 for the administrators).

The admin-only section is not rendered for a user, and a user's form carrying one of its
fields is refused (403) rather than quietly ignored. A refused save is shown again as typed,
each message next to its field, with a 400 and nothing stored.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from fs_service.db import db
from fs_service.errors import Forbidden, ValidationFailed
from fs_service.extensions import rules as extensions, settings as core
from fs_service.extensions.settings_rules import FMFM_UNUSED_WARNING, WARNING_FIELDS
from fs_service.models import Account, Extension
from schema.extension_settings import AdminSettingsSchema, UserSettingsSchema

from ..messages import translate
from .common import account_context, discard_changes, error_map, login_required, usable_extension
from .settings_form import form_values, posted_admin_fields, retyped_values, settings_payload

bp = Blueprint("extension_settings", __name__,
               url_prefix="/accounts/<int:account_id>/extensions/<int:extension_id>/settings")


def moh_choices(current: str | None = None) -> list[str]:
    """The configured classes, plus the stored one if the operator has since removed it."""
    choices = list(current_app.config["PBX"].music_on_hold_choices)
    return choices + [current] if current and current not in choices else choices


def _page(account: Account, ext: Extension, is_admin: bool, values: dict[str, Any],
          errors: dict[str, list[str]], status: int = 200):
    others = [e for e in extensions.list_extensions(account) if e.id != ext.id]
    return render_template("extensions/settings.html", account=account, extension=ext, is_admin=is_admin,
                           values=values, errors=errors, other_extensions=others,
                           moh_options=[(m, m) for m in moh_choices(ext.music_on_hold)],
                           number_options=number_options(account) if is_admin else [],
                           warnings=field_warnings(values.get("warnings", [])),
                           fmfm_unused=translate(FMFM_UNUSED_WARNING)), status


def number_options(account: Account) -> list[tuple[str, str]]:
    """The account's numbers for the outbound caller ID select, "none" first."""
    options = [("", "—")]
    return options + [(n.e164, f"{n.e164} {n.label}".strip()) for n in core.caller_id_numbers(account)]


def field_warnings(warnings: list[str]) -> dict[str, list[str]]:
    """Translated warnings keyed by the field they are about, shown beside it."""
    found: dict[str, list[str]] = {}
    for warning in warnings:
        found.setdefault(WARNING_FIELDS.get(warning, "_form"), []).append(translate(warning))
    return found


def _stored_values(account: Account, ext: Extension, is_admin: bool) -> dict[str, Any]:
    numbers = {e.number for e in extensions.list_extensions(account)}
    return form_values(core.read_settings(ext, as_admin=is_admin), numbers)


@bp.get("")
@login_required
def page(account_id: int, extension_id: int):
    user, account, is_admin = account_context(account_id)
    ext = usable_extension(user, account, extension_id)
    return _page(account, ext, is_admin, _stored_values(account, ext, is_admin), {})


@bp.post("")
@login_required
def save(account_id: int, extension_id: int):
    user, account, is_admin = account_context(account_id)
    ext = usable_extension(user, account, extension_id)
    if not is_admin and posted_admin_fields(request.form):
        raise Forbidden(core.RESERVED)
    payload = settings_payload(request.form, as_admin=is_admin)
    schema = AdminSettingsSchema() if is_admin else UserSettingsSchema()
    try:
        warnings = core.update_settings(account, ext, schema.load(payload), as_admin=is_admin,
                                        moh_choices=current_app.config["PBX"].music_on_hold_choices)
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        return _page(account, ext, is_admin, retyped_values(request.form, payload), error_map(exc), 400)
    db.session.commit()
    flash(_("Settings of extension %(number)s saved.", number=ext.number), "success")
    for warning in warnings:  # at the top, where "saved" is read, not only beside its field far below
        flash(translate(warning), "warning")
    return redirect(url_for("extension_settings.page", account_id=account.id, extension_id=ext.id))
