"""Operator staff: carrier gateways (issue 3) and which one each account's calls leave through.

Thin views: form -> schema/gateways.py -> fs_service.gateways -> commit (the outbox then tells
FreeSWITCH) -> redirect. The password box is never filled in: the page says whether one is set,
and typing a new one replaces it.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from fs_service import access, gateways as core
from fs_service.accounts import rules as accounts
from fs_service.db import db
from fs_service.errors import ValidationFailed
from fs_service.models import Gateway
from schema.gateways import AccountGatewaySchema, GatewayCreateSchema, GatewayUpdateSchema

from .common import actor, discard_changes, error_map, login_required, safe_next, text

bp = Blueprint("gateways", __name__, url_prefix="/operator")

TEXT_FIELDS = ("name", "proxy", "username", "password")
CHECKBOXES = ("register", "enabled")


def _form_values() -> dict:
    """Typed text as is, checkboxes as booleans, the scope as an account id or None (global)."""
    values: dict = {name: text(request.form, name) for name in TEXT_FIELDS}
    values.update({name: request.form.get(name) == "on" for name in CHECKBOXES})
    scope = text(request.form, "account_id")
    values["account_id"] = int(scope) if scope.isdigit() else None
    return values


def _list_page(values: dict, errors: dict, status: int = 200):
    return render_template("operator/gateways.html", gateways=core.list_gateways(),
                           accounts=accounts.list_accounts(), values=values, errors=errors), status


def _edit_page(gateway: Gateway, values: dict, errors: dict, status: int = 200):
    return render_template("operator/gateway_edit.html", gateway=gateway, accounts=accounts.list_accounts(),
                           users=core.accounts_using(gateway), values=values, errors=errors), status


@bp.route("/gateways", methods=["GET", "POST"])
@login_required
def gateways_page():
    access.require_operator(actor())
    if request.method == "GET":
        return _list_page({"enabled": True}, {})
    values = _form_values()
    try:
        gateway = core.create_gateway(**GatewayCreateSchema().load(values))
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        return _list_page(values, error_map(exc), 400)
    db.session.commit()
    flash(_("Gateway %(name)s saved.", name=gateway.name), "success")
    return redirect(url_for("gateways.gateways_page"))


@bp.route("/gateways/<int:gateway_id>", methods=["GET", "POST"])
@login_required
def edit_page(gateway_id: int):
    access.require_operator(actor())
    gateway = core.get_gateway(gateway_id)
    if request.method == "GET":
        return _edit_page(gateway, {name: getattr(gateway, name) for name in
                                    ("name", "proxy", "username", "register", "enabled", "account_id")}, {})
    values = _form_values()
    try:
        core.update_gateway(gateway, GatewayUpdateSchema().load(values))
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        return _edit_page(core.get_gateway(gateway_id), values, error_map(exc), 400)
    db.session.commit()
    flash(_("Gateway %(name)s saved.", name=gateway.name), "success")
    return redirect(url_for("gateways.gateways_page"))


@bp.post("/gateways/<int:gateway_id>/delete")
@login_required
def delete(gateway_id: int):
    access.require_operator(actor())
    gateway = core.get_gateway(gateway_id)
    name = gateway.name
    core.delete_gateway(gateway)
    db.session.commit()
    flash(_("Gateway %(name)s deleted; the accounts that used it now use the global gateway.", name=name),
          "success")
    return redirect(url_for("gateways.gateways_page"))


@bp.post("/accounts/<int:account_id>/gateway")
@login_required
def account_gateway(account_id: int):
    user = actor()
    access.require_operator(user)
    account = access.account_for(user, account_id)
    choice = text(request.form, "gateway_id")
    back = safe_next(request.form.get("next"), url_for("gateways.gateways_page"))  # the account's own page
    try:
        data = AccountGatewaySchema().load({"gateway_id": int(choice) if choice.isdigit() else None})
        core.set_account_gateway(account, data["gateway_id"])
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        for messages in error_map(exc).values():
            for message in messages:
                flash(message, "error")
        return redirect(back)
    db.session.commit()
    flash(_("Gateway of %(name)s saved.", name=account.name), "success")
    return redirect(back)
