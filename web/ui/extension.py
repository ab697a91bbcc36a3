"""One extension: details, SIP credentials and its softphones (EXT-1, DEV-2).

Admins see and regenerate the desk phone's SIP password; the user the extension is assigned to
manages its softphones (each a separate SIP account) but never sees the desk phone password.
"""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from fs_service import access
from fs_service.db import db
from fs_service.extensions import rules as extensions
from schema.extensions import SoftphoneSchema

from .common import account_context, discard_changes, error_map, login_required, text, usable_extension

bp = Blueprint("extension", __name__, url_prefix="/accounts/<int:account_id>/extensions/<int:extension_id>")


def _sip_server() -> str:
    settings = current_app.config["PBX"]
    server = settings.resolved_sip_server
    return server if settings.sip_port == 5060 else f"{server}:{settings.sip_port}"


def _detail_page(account, ext, is_admin: bool, errors: dict, label: str = "", status: int = 200):
    return render_template("extensions/detail.html", account=account, extension=ext, is_admin=is_admin,
                           sip_server=_sip_server(), errors=errors, label=label), status


def _back(account, ext, anchor: str | None = None):
    return redirect(url_for("extension.detail", account_id=account.id, extension_id=ext.id,
                            _anchor=anchor))


@bp.get("")
@login_required
def detail(account_id: int, extension_id: int):
    user, account, is_admin = account_context(account_id)
    ext = usable_extension(user, account, extension_id)
    return _detail_page(account, ext, is_admin, {})


@bp.post("/password")
@login_required
def regenerate_password(account_id: int, extension_id: int):
    user, account, _admin = account_context(account_id)
    access.require_admin(user, account)
    ext = extensions.get_extension(account, extension_id)
    extensions.regenerate_sip_password(account, ext)
    db.session.commit()
    flash(_("New SIP password generated. Update the phone of extension %(number)s.", number=ext.number),
          "success")
    return _back(account, ext, "sip")


@bp.post("/softphones")
@login_required
def create_softphone(account_id: int, extension_id: int):
    user, account, is_admin = account_context(account_id)
    ext = usable_extension(user, account, extension_id)
    label = text(request.form, "label")
    try:
        data = SoftphoneSchema().load({"label": label})
    except ValidationError as exc:
        discard_changes()
        return _detail_page(account, ext, is_admin, error_map(exc), label, 400)
    phone = extensions.create_softphone(account, ext, data["label"])
    db.session.commit()
    flash(_("Softphone %(name)s created. Enter these credentials in the application.",
            name=phone.sip_username), "success")
    return _back(account, ext, f"softphone-{phone.id}")


@bp.post("/softphones/<int:softphone_id>/password")
@login_required
def regenerate_softphone_password(account_id: int, extension_id: int, softphone_id: int):
    user, account, _admin = account_context(account_id)
    ext = usable_extension(user, account, extension_id)
    phone = extensions.get_softphone(account, ext, softphone_id)
    extensions.regenerate_softphone_password(account, phone)
    db.session.commit()
    flash(_("New password generated for softphone %(name)s.", name=phone.sip_username), "success")
    return _back(account, ext, f"softphone-{phone.id}")


@bp.route("/softphones/<int:softphone_id>/delete", methods=["GET", "POST"])
@login_required
def delete_softphone(account_id: int, extension_id: int, softphone_id: int):
    user, account, _admin = account_context(account_id)
    ext = usable_extension(user, account, extension_id)
    phone = extensions.get_softphone(account, ext, softphone_id)
    if request.method == "GET":
        return render_template("extensions/softphone_delete.html", account=account, extension=ext,
                               softphone=phone)
    name = phone.sip_username
    extensions.delete_softphone(account, phone)
    db.session.commit()
    flash(_("Softphone %(name)s deleted.", name=name), "success")
    return _back(account, ext, "softphones")
