"""Company numbers (HRS-1..4, guide 4 and 5 "Comportement des numéros"): the account's list,
and one page per number: settings and weekly hours saved together (the guide's single
"Sauvegarder"), exceptions, closure message code, treatments, and the schedule preview.

Admin-only (403 for users, 404 across tenants); adding or removing a number is the
operator's. The preview calls the same ``schedules.preview`` the dialplan's decision uses, so
what the page says is what a caller gets.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from fs_service import access
from fs_service.db import db
from fs_service.errors import ValidationFailed
from fs_service.numbers import rules as core, schedules, sound_uploads
from schema.numbers import NumberCreateSchema, NumberUpdateSchema
from web.sound_access import sound_response, uploaded_bytes

from .common import account_context, actor, discard_changes, error_map, login_required, non_empty, text
from .numbers_form import posted_week, preview_moment, week_payload, weekday_names
from .numbers_page import number_page
from .sound_forms import upload_errors

bp = Blueprint("numbers", __name__, url_prefix="/accounts/<int:account_id>/numbers")
SETTINGS = ("label", "timezone", "open_treatment_id", "closed_treatment_id")


def admin_account(account_id: int):
    """The account, for its administrators (and the operator) only."""
    user, account, _admin = account_context(account_id)
    access.require_admin(user, account)
    return account


def to_number(account, number):
    return redirect(url_for("numbers.detail", account_id=account.id, number_id=number.id))


@bp.get("")
@login_required
def index(account_id: int):
    account = admin_account(account_id)
    return _list_page(account, {}, {})


def _list_page(account, values: dict, errors: dict, status: int = 200):
    return render_template("numbers/list.html", account=account, numbers=core.list_numbers(account),
                           exception_counts=schedules.numbers_with_exceptions(account), values=values,
                           errors=errors, is_operator=access.is_operator(actor())), status


@bp.post("")
@login_required
def create(account_id: int):
    """The operator assigns a number (any NANP spelling; stored as +1NXXNXXXXXX)."""
    account = admin_account(account_id)
    access.require_operator(actor())
    payload = non_empty(request.form, ("e164", "label", "timezone"))
    try:
        number = core.create_number(account, **NumberCreateSchema().load(payload))
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        return _list_page(account, request.form.to_dict(), error_map(exc), 400)
    db.session.commit()
    flash(_("Number %(number)s added.", number=number.e164), "success")
    return to_number(account, number)


@bp.get("/<int:number_id>")
@login_required
def detail(account_id: int, number_id: int):
    account = admin_account(account_id)
    number = core.get_number(account, number_id)
    at, preview_errors = preview_moment(request.args)
    decision = schedules.preview(account, number, at) if at else None
    return number_page(account, number, decision=decision, errors=preview_errors)


@bp.post("/<int:number_id>")
@login_required
def save(account_id: int, number_id: int):
    """Settings and the whole week in one go: either everything is stored or nothing is."""
    account = admin_account(account_id)
    number = core.get_number(account, number_id)
    payload = {name: text(request.form, name) or None for name in SETTINGS}
    payload["label"] = text(request.form, "label")
    ranges, errors = week_payload(request.form)
    try:
        changes = NumberUpdateSchema().load({k: v for k, v in payload.items() if k != "timezone" or v})
    except ValidationError as exc:
        errors.update(error_map(exc))
        changes = None
    if not errors:
        try:
            core.update_number(account, number, changes, actor=actor())  # fax fields: fs_service.fax.rights
            schedules.set_week(account, number, ranges)
        except ValidationFailed as exc:
            errors.update(error_map(exc, {"ranges": "week", "closes_at": "week", "weekday": "week"}))
    if errors:
        discard_changes()
        return number_page(account, number, values=request.form.to_dict(), days=posted_week(request.form),
                           errors=errors, status=400)
    db.session.commit()
    flash(_("Number %(number)s saved.", number=number.e164), "success")
    days = weekday_names()
    for rng in schedules.past_midnight(account, number):  # the page warned before saving, with JavaScript
        flash(_("%(day)s: %(start)s to %(end)s runs past midnight: open until %(end)s the next day.",
                day=days[rng.weekday], start=f"{rng.opens:%H:%M}", end=f"{rng.closes:%H:%M}"), "warning")
    return to_number(account, number)


@bp.post("/<int:number_id>/closure/regenerate")
@login_required
def regenerate_closure(account_id: int, number_id: int):
    account = admin_account(account_id)
    number = core.get_number(account, number_id)
    core.regenerate_closure_credentials(account, number)
    db.session.commit()
    flash(_("New code and password for the closure message."), "success")
    return to_number(account, number)


@bp.post("/<int:number_id>/closure/delete")
@login_required
def delete_closure(account_id: int, number_id: int):
    """Same effect as recording a short silence by phone (guide 5): the message stops playing."""
    account = admin_account(account_id)
    number = core.get_number(account, number_id)
    core.clear_closure_message(account, number)
    db.session.commit()
    flash(_("The closure message was deleted."), "success")
    return to_number(account, number)


@bp.post("/<int:number_id>/closure/upload")
@login_required
def upload_closure(account_id: int, number_id: int):
    """A WAV file becomes the closure message (HRS-4), replacing the one in use."""
    account = admin_account(account_id)
    number = core.get_number(account, number_id)
    try:
        core.upload_closure_message(account, number, uploaded_bytes(request.files))
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        return number_page(account, core.get_number(account, number_id), errors=upload_errors(exc, "closure_file"),
                           status=400)
    db.session.commit()
    flash(_("The closure message was uploaded; it plays from the next call."), "success")
    return to_number(account, number)


@bp.get("/<int:number_id>/closure/audio")
@login_required
def closure_audio(account_id: int, number_id: int):
    """The closure message for the page's player (uploaded or recorded by phone)."""
    account = admin_account(account_id)
    number = core.get_number(account, number_id)
    return sound_response(account, sound_uploads.number_owner(number), number.closure_message_path,
                          f"closure-{number.e164.lstrip('+')}")


@bp.post("/<int:number_id>/delete")
@login_required
def delete(account_id: int, number_id: int):
    """The operator takes a number back; its hours and exceptions go with it."""
    account = admin_account(account_id)
    access.require_operator(actor())
    number = core.get_number(account, number_id)
    e164 = number.e164
    core.delete_number(account, number)
    db.session.commit()
    flash(_("Number %(number)s removed.", number=e164), "success")
    return redirect(url_for("numbers.index", account_id=account.id))

