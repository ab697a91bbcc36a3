"""Phone pages (guide 12, 14): the account's phones, add one by MAC and name, a phone's page
(name, model, time zone, line keys, provisioning URL, delete) and its reboot. Admins manage
phones; a user sees the phones of their own extensions (to order their display and reboot).
The display list (guide 7.5) is phones_display.py.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from fs_service import access
from fs_service.db import db
from fs_service.errors import ValidationFailed
from fs_service.extensions.rules import list_extensions
from fs_service.phones import queries, reboot, rules
from fs_service.phones.models import MODELS, model_of
from schema.phones import LineSchema, PhoneCreateSchema, PhoneUpdateSchema
from web.provisioning import base_url

from .common import account_context, discard_changes, error_map, login_required, text

bp = Blueprint("phones", __name__, url_prefix="/accounts/<int:account_id>/phones")
ONE = "/<int:phone_id>"
TIMEZONES = ("America/Toronto", "America/Montreal", "America/Halifax", "America/Moncton", "America/St_Johns",
             "America/Winnipeg", "America/Regina", "America/Edmonton", "America/Vancouver", "Europe/Paris", "UTC")


def _admin(account_id: int):
    user, account, _admin = account_context(account_id)
    access.require_admin(user, account)
    return user, account


def _to_phone(account, device):
    return redirect(url_for("phones.show", account_id=account.id, phone_id=device.id))


@bp.get("")
@login_required
def index(account_id: int):
    user, account, admin = account_context(account_id)
    return _list_page(account, admin, queries.phones_for(user, account), {}, {})


def _list_page(account, admin: bool, phones, values: dict, errors: dict, status: int = 200):
    return render_template("phones/list.html", account=account, admin=admin, phones=phones, models=MODELS,
                           values=values, errors=errors, lines={d.id: queries.line_views(d) for d in phones}), status


@bp.post("")
@login_required
def create(account_id: int):
    _user, account = _admin(account_id)
    values = {"mac": text(request.form, "mac"), "name": text(request.form, "name")}
    try:
        device = rules.add_phone(account, **PhoneCreateSchema().load(values))
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        return _list_page(account, True, queries.list_phones(account), values, error_map(exc), 400)
    db.session.commit()
    flash(_("Phone added: %(name)s.", name=device.name), "success")
    return _to_phone(account, device)


@bp.get(ONE)
@login_required
def show(account_id: int, phone_id: int):
    user, account, admin = account_context(account_id)
    device = queries.phone_for(user, account, phone_id)
    return _phone_page(account, admin, device, {}, {})


def _phone_page(account, admin: bool, device, values: dict, errors: dict, status: int = 200):
    model = model_of(device.model)
    current = {"name": device.name, "model": device.model or "", "timezone": device.timezone}
    return render_template(
        "phones/show.html", account=account, admin=admin, device=device, model=model, models=MODELS,
        timezones=TIMEZONES, values={**current, **values}, errors=errors, lines=queries.line_views(device),
        free_keys=queries.free_keys(device), extensions=list_extensions(account) if admin else [],
        provisioning_url=base_url(device.secret) + "/" if admin and device.secret else None), status


def _change(account_id: int, phone_id: int, names: tuple[str, ...], change, done: str):
    """One admin form on the phone's page: schema + core ``change(account, device, values)``,
    the page again with the errors beside the fields, or back to the page with ``done``."""
    _user, account = _admin(account_id)
    device = rules.get_phone(account, phone_id)
    values = {name: text(request.form, name) for name in names}
    try:
        change(account, device, values)
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        return _phone_page(account, True, rules.get_phone(account, phone_id), values, error_map(exc), 400)
    db.session.commit()
    flash(done, "success")
    return _to_phone(account, device)


def _settings(account, device, values: dict) -> None:
    rules.update_phone(device, PhoneUpdateSchema().load({**values, "model": values["model"] or None}))


def _line(account, device, values: dict) -> None:
    data = LineSchema().load({k: int(v) if v.isdigit() else v for k, v in values.items()})
    rules.assign(account, device, data["extension_id"], data["line_key"])


@bp.post(f"{ONE}/settings")
@login_required
def update(account_id: int, phone_id: int):
    return _change(account_id, phone_id, ("name", "model", "timezone"), _settings,
                   _("Phone saved. Reboot it to apply the change."))


@bp.post(f"{ONE}/lines")
@login_required
def assign(account_id: int, phone_id: int):
    return _change(account_id, phone_id, ("extension_id", "line_key"), _line,
                   _("Extension assigned. Reboot the phone to apply the change."))


@bp.post(f"{ONE}/lines/<int:line_id>/delete")
@login_required
def unassign(account_id: int, phone_id: int, line_id: int):
    _user, account = _admin(account_id)
    device = rules.get_phone(account, phone_id)
    rules.unassign(device, line_id)
    db.session.commit()
    flash(_("Extension removed from the phone."), "success")
    return _to_phone(account, device)


@bp.post(f"{ONE}/secret")
@login_required
def renew_secret(account_id: int, phone_id: int):
    _user, account = _admin(account_id)
    device = rules.get_phone(account, phone_id)
    rules.renew_secret(device)
    db.session.commit()
    flash(_("New provisioning address: set it on the phone, the old one no longer works."), "success")
    return _to_phone(account, device)


@bp.route(f"{ONE}/delete", methods=["GET", "POST"])
@login_required
def delete(account_id: int, phone_id: int):
    _user, account = _admin(account_id)
    device = rules.get_phone(account, phone_id)
    if request.method == "GET":
        return render_template("phones/delete.html", account=account, device=device)
    name = device.name
    rules.delete_phone(device)
    db.session.commit()
    flash(_("Phone deleted: %(name)s.", name=name), "success")
    return redirect(url_for("phones.index", account_id=account.id))


@bp.post(f"{ONE}/reboot")
@login_required
def reboot_phone(account_id: int, phone_id: int):
    user, account, _admin = account_context(account_id)
    device = queries.phone_for(user, account, phone_id)
    now = reboot.request_reboot(device)
    db.session.commit()
    flash(_("The phone is rebooting (it can take up to 5 minutes).") if now
          else _("The phone is in a call: it will reboot when the call ends."), "success")
    back = "phones_display.edit" if request.form.get("back") == "display" else "phones.show"
    return redirect(url_for(back, account_id=account.id, phone_id=device.id))
