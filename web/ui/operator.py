"""Operator staff: the customer accounts and their first administrator (ACC-1, ACC-3)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from fs_service import access, gateways
from fs_service.accounts import rules as accounts
from fs_service.db import db
from fs_service.errors import ValidationFailed
from schema.accounts import AccountCreateSchema
from web.emails import send_welcome

from .common import actor, discard_changes, error_map, login_required, non_empty

bp = Blueprint("operator", __name__, url_prefix="/operator")

ACCOUNT_FIELDS = ("name", "sip_domain", "language", "admin_email", "admin_first_name", "admin_last_name")
# The core names the admin's login "email"; on this form that input is "admin_email".
CORE_TO_FORM = {"email": "admin_email"}


def _page(values: dict, errors: dict, status: int = 200):
    return render_template("operator/accounts.html", accounts=accounts.list_accounts(),
                           values=values, errors=errors), status


@bp.route("/accounts", methods=["GET", "POST"])
@login_required
def accounts_page():
    access.require_operator(actor())
    if request.method == "GET":
        return _page({"language": "fr"}, {})
    values = non_empty(request.form, ACCOUNT_FIELDS)
    try:
        data = AccountCreateSchema().load(values)
        account, admin = accounts.create_account(**data)
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        return _page(values, error_map(exc, CORE_TO_FORM), 400)
    db.session.commit()
    send_welcome(admin)
    flash(_("Account %(name)s created. A welcome email was sent to %(email)s.",
            name=account.name, email=admin.email), "success")
    return redirect(url_for("operator.accounts_page"))


@bp.get("/accounts/<int:account_id>/gateway")
@login_required
def account_gateway(account_id: int):
    """The "Gateway" entry of the operator's menu inside an account; saving goes through the
    gateways page's form handler and comes back here."""
    user = actor()
    access.require_operator(user)
    account = access.account_for(user, account_id)
    return render_template("operator/account_gateway.html", account=account,
                           gateways=gateways.usable_gateways(account))
