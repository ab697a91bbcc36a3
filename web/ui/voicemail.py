"""Mailbox pages (VM-3..5, guide 3 "Gérer vos boîtes vocales"): list with "N messages / max",
create, edit, empty (optionally with the custom greetings), delete.

Admins manage every box of their account. A user sees the boxes of their own extensions and
may change their password, email and "email only", and empty them (guide 9.1); creating and
deleting boxes is the admins' (403). Forms work without JavaScript: a refused save is shown
again as typed, each message beside its field, with a 400 and nothing stored.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from marshmallow import ValidationError

from fs_service import access, voicemail
from fs_service.db import db
from fs_service.errors import ValidationFailed
from fs_service.extensions import rules as extensions
from schema.voicemail import EmptyMailboxSchema, MailboxCreateSchema, MailboxUpdateSchema
from web.voicemail_access import USER_FIELDS, check_changes_allowed, mailbox_for, usage_of, visible_boxes

from .common import account_context, discard_changes, error_map, login_required, text
from .voicemail_form import (ADMIN_FIELDS, key_options, mailbox_payload, new_box_values, posted_fields, retyped,
                             stored_values)

bp = Blueprint("voicemail", __name__, url_prefix="/accounts/<int:account_id>/voicemail")


def _to_list(account):
    return redirect(url_for("voicemail.index", account_id=account.id))


@bp.get("")
@login_required
def index(account_id: int):
    user, account, is_admin = account_context(account_id)
    return render_template("voicemail/list.html", account=account, is_admin=is_admin,
                           boxes=visible_boxes(user, account))


def _form_page(account, box, is_admin: bool, values: dict, errors: dict, status: int = 200, extension=None):
    return render_template("voicemail/form.html", account=account, box=box, is_admin=is_admin,
                           extension=extension, values=values, errors=errors,
                           key_options=key_options(account) if is_admin else {}), status


def _attached_extension(account, extension_id: str | None):
    """The extension a new box is for (``?extension_id=``: one that lost its own box), if any."""
    if not extension_id or not extension_id.isdigit():
        return None
    return extensions.get_extension(account, int(extension_id))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new(account_id: int):
    user, account, _admin = account_context(account_id)
    access.require_admin(user, account)
    source = request.form if request.method == "POST" else request.args
    ext = _attached_extension(account, text(source, "extension_id"))
    if request.method == "GET":
        values = new_box_values(str(ext.id) if ext else None, ext.number if ext else "")
        return _form_page(account, None, True, values, {}, extension=ext)
    payload = mailbox_payload(request.form, ADMIN_FIELDS, creating=True)
    try:
        box = voicemail.create_mailbox(account, **MailboxCreateSchema().load(payload))
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        return _form_page(account, None, True, retyped(request.form, payload), error_map(exc), 400, ext)
    db.session.commit()
    flash(_("Mailbox %(number)s created.", number=box.number), "success")
    return _to_list(account)


@bp.route("/<int:mailbox_id>/edit", methods=["GET", "POST"])
@login_required
def edit(account_id: int, mailbox_id: int):
    user, account, is_admin = account_context(account_id)
    box = mailbox_for(user, account, mailbox_id)
    if request.method == "GET":
        return _form_page(account, box, is_admin, stored_values(box), {})
    check_changes_allowed(user, account, posted_fields(request.form))
    payload = mailbox_payload(request.form, ADMIN_FIELDS if is_admin else USER_FIELDS)
    try:
        voicemail.update_mailbox(account, box, MailboxUpdateSchema().load(payload))
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        return _form_page(account, box, is_admin, retyped(request.form, payload), error_map(exc), 400)
    db.session.commit()
    flash(_("Mailbox %(number)s saved.", number=box.number), "success")
    return _to_list(account)


@bp.route("/<int:mailbox_id>/empty", methods=["GET", "POST"])
@login_required
def empty(account_id: int, mailbox_id: int):
    """Guide 3.2 "Vider une boîte vocale": confirm, optionally also delete the custom greetings.
    The phone lamp goes off after the commit (the core queues it)."""
    user, account, _admin = account_context(account_id)
    box = mailbox_for(user, account, mailbox_id)
    if request.method == "GET":
        return render_template("voicemail/empty.html", account=account, usage=usage_of(account, box))
    data = EmptyMailboxSchema().load({"delete_greetings": "delete_greetings" in request.form})
    removed = voicemail.empty_mailbox(account, box, **data)
    db.session.commit()
    flash(ngettext("Mailbox %(number)s emptied: %(num)s message deleted.",
                   "Mailbox %(number)s emptied: %(num)s messages deleted.", removed, number=box.number), "success")
    if data["delete_greetings"]:
        flash(_("The custom greetings were deleted too."), "success")
    return _to_list(account)


@bp.route("/<int:mailbox_id>/delete", methods=["GET", "POST"])
@login_required
def delete(account_id: int, mailbox_id: int):
    """Guide 3.3. The core allows deleting an extension's own box too: that extension then has
    no voicemail until a box is created for it again (the page says so before confirming)."""
    user, account, _admin = account_context(account_id)
    access.require_admin(user, account)
    box = mailbox_for(user, account, mailbox_id)
    if request.method == "GET":
        return render_template("voicemail/delete.html", account=account, usage=usage_of(account, box))
    number = box.number
    voicemail.delete_mailbox(account, box)
    db.session.commit()
    flash(_("Mailbox %(number)s deleted.", number=number), "success")
    return _to_list(account)
