"""Exceptions of a number (HRS-2, guide 5.1–5.2) and the "create a treatment" form of its page.

An exception is a date or date range, closed all day or between two times, repeated every
year or not; its treatment is the number's default closed behaviour (blank) or another one.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from fs_service.db import db
from fs_service.errors import ValidationFailed
from fs_service.numbers import rules as core, schedules, treatments
from schema.numbers import TreatmentSchema
from schema.schedules import ExceptionCreateSchema

from .common import discard_changes, error_map, login_required
from .numbers import admin_account, to_number
from .numbers_form import exception_payload, exception_values, treatment_options, treatment_payload
from .numbers_page import number_page

bp = Blueprint("number_exceptions", __name__, url_prefix="/accounts/<int:account_id>/numbers/<int:number_id>")


def _form(account, number, exc, values: dict, errors: dict, status: int = 200):
    return render_template("numbers/exception.html", account=account, number=number, exc=exc, values=values,
                           errors=errors, options=treatment_options(account, _("Default closed behaviour"))), status


def _own_exception(account, number, exception_id: int):
    exc = schedules.get_exception(account, exception_id)
    if exc.number_id != number.id:
        return schedules.get_exception(account, -1)  # 404, as another tenant's
    return exc


@bp.route("/exceptions/new", methods=["GET", "POST"])
@login_required
def new_exception(account_id: int, number_id: int):
    account = admin_account(account_id)
    number = core.get_number(account, number_id)
    if request.method == "GET":
        return _form(account, number, None, {"kind": "all_day"}, {})
    payload = exception_payload(request.form)
    try:
        schedules.create_exception(account, number, **ExceptionCreateSchema().load(payload))
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        return _form(account, number, None, _retyped(), error_map(exc), 400)
    db.session.commit()
    flash(_("Exception added."), "success")
    return to_number(account, number)


def _retyped() -> dict:
    return {**request.form.to_dict(), "repeat_yearly": "repeat_yearly" in request.form}


@bp.route("/exceptions/<int:exception_id>/edit", methods=["GET", "POST"])
@login_required
def edit_exception(account_id: int, number_id: int, exception_id: int):
    account = admin_account(account_id)
    number = core.get_number(account, number_id)
    exc = _own_exception(account, number, exception_id)
    if request.method == "GET":
        return _form(account, number, exc, exception_values(exc), {})
    payload = exception_payload(request.form)
    payload.setdefault("closed_from", None), payload.setdefault("closed_until", None)
    try:
        schedules.update_exception(account, exc, ExceptionCreateSchema().load(payload))
    except (ValidationError, ValidationFailed) as err:
        discard_changes()
        return _form(account, number, exc, _retyped(), error_map(err), 400)
    db.session.commit()
    flash(_("Exception saved."), "success")
    return to_number(account, number)


@bp.post("/exceptions/<int:exception_id>/delete")
@login_required
def delete_exception(account_id: int, number_id: int, exception_id: int):
    account = admin_account(account_id)
    number = core.get_number(account, number_id)
    schedules.delete_exception(account, _own_exception(account, number, exception_id))
    db.session.commit()
    flash(_("Exception deleted."), "success")
    return to_number(account, number)


@bp.post("/treatments")
@login_required
def create_treatment(account_id: int, number_id: int):
    """A new treatment of the account, then offered in every select of the page."""
    account = admin_account(account_id)
    number = core.get_number(account, number_id)
    try:
        treatments.create_treatment(account, **TreatmentSchema().load(treatment_payload(request.form)))
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        errors = {f"t_{k}" if k != "_form" else k: v for k, v in error_map(exc).items()}
        return number_page(account, number, errors=errors, treatment_values=request.form.to_dict(), status=400)
    db.session.commit()
    flash(_("Treatment created: choose it below."), "success")
    return redirect(url_for("numbers.detail", account_id=account.id, number_id=number.id) + "#settings")
