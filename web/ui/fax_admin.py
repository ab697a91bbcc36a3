"""Fax settings of an account (FAX-1, 6, 7; guide 6.1 and 6.4's notes): which numbers are fax
numbers, which send a confirmation email, who receives the faxes arriving on each, and which
users may send faxes.

Admins grant the fax right and set the recipients; the operator alone turns a number into a
fax number and its confirmation email on (fs_service.fax.rights says why, and is the one rule
the numbers API obeys too); an admin sees those two as read-only, and a forged one is refused
naming the field. A refused save shows the page again with the message beside the number.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from fs_service import access
from fs_service.db import db
from fs_service.errors import PbxError
from fs_service.fax import rights
from fs_service.models import User
from schema.fax import FaxNumberUpdateSchema

from .common import account_context, discard_changes, login_required
from .fax_common import fax_message, field_messages, tab_context

bp = Blueprint("fax_admin", __name__, url_prefix="/accounts/<int:account_id>/fax/settings")
bp.context_processor(tab_context)


def _admin(account_id: int):
    user, account, _is_admin = account_context(account_id)
    access.require_admin(user, account)
    return user, account


def _users(account) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.account_id == account.id, User.active.is_(True))
                                   .order_by(User.last_name, User.first_name, User.email)))


def _page(user, account, errors: dict | None = None, typed: dict | None = None, status: int = 200):
    return render_template("fax/settings.html", account=account, numbers=rights.account_numbers(account),
                           users=_users(account), is_operator=access.is_operator(user), errors=errors or {},
                           typed=typed or {}), status


@bp.get("")
@login_required
def settings(account_id: int):
    user, account = _admin(account_id)
    return _page(user, account)


@bp.post("/numbers/<int:number_id>")
@login_required
def save_number(account_id: int, number_id: int):
    user, account = _admin(account_id)
    number = next((n for n in rights.account_numbers(account) if n.id == number_id), None)
    if number is None:
        return _page(user, account, {number_id: [fax_message("number not found")]}, status=404)
    payload = {"fax_inbound_emails": request.form["fax_inbound_emails"]} if "fax_inbound_emails" in request.form else {}
    if access.is_operator(user):
        payload.update(is_fax=bool(request.form.get("is_fax")),
                       fax_confirmation_email=bool(request.form.get("fax_confirmation_email")))
    else:  # their boxes are disabled, so never posted: a forged one is refused by the rule, by name
        payload.update({key: True for key in rights.OPERATOR_FIELDS if key in request.form})
    try:
        rights.update_fax_number(user, account, number, FaxNumberUpdateSchema().load(payload))
    except (ValidationError, PbxError) as exc:
        discard_changes()
        details = exc.messages if isinstance(exc, ValidationError) else (exc.details or {"_": [exc.message]})
        messages = field_messages(details)
        status = exc.status if isinstance(exc, PbxError) else 400
        return _page(user, account, {number_id: messages}, {number_id: payload.get("fax_inbound_emails", "")}, status)
    db.session.commit()
    flash(_("Fax settings of %(number)s saved.", number=number.e164), "success")
    return redirect(url_for("fax_admin.settings", account_id=account.id, _anchor=f"number-{number.id}"))


@bp.post("/rights")
@login_required
def save_rights(account_id: int):
    """One form for every user: checked = may send faxes, unchecked = may not."""
    user, account = _admin(account_id)
    allowed = {int(v) for v in request.form.getlist("can_fax") if v.isdigit()}
    for person in _users(account):
        rights.set_fax_right(user, account, person.id, person.id in allowed)
    db.session.commit()
    flash(_("Fax rights saved."), "success")
    return redirect(url_for("fax_admin.settings", account_id=account.id, _anchor="rights"))
