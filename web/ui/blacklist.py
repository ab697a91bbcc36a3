"""Blacklist pages (BL-1..3, guide 8 "La liste noire"): list with search, create, edit, delete
one, delete all after confirmation. Admin-only (403 for users, 404 across tenants).

Digits only: "514 907-3400" is refused beside the field (the guide: "sans espace ni tiret"),
never silently cleaned, so what is stored is exactly what the admin sees.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from marshmallow import ValidationError

from fs_service import access
from fs_service.blacklist import rules as core
from fs_service.db import db
from fs_service.errors import ValidationFailed
from schema.blacklist import RuleCreateSchema, RuleSearchSchema

from .common import account_context, discard_changes, error_map, login_required, text

bp = Blueprint("blacklist", __name__, url_prefix="/accounts/<int:account_id>/blacklist")
FIELDS = ("action", "match", "digits")


def choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Action and match labels in the visitor's language (the guide's "est égal à", "fini par"…)."""
    return ([("block", _("Block")), ("allow", _("Allow"))],
            [("equals", _("equals")), ("starts_with", _("starts with")), ("ends_with", _("ends with")),
             ("contains", _("contains"))])


def _labels() -> dict:
    actions, matches = choices()
    return {"actions": actions, "matches": matches, "labels": dict(actions + matches)}


def _admin_account(account_id: int):
    user, account, _admin = account_context(account_id)
    access.require_admin(user, account)
    return account


def _posted() -> dict[str, str]:
    return {name: text(request.form, name) for name in FIELDS}


def _list_page(account, values: dict, errors: dict, search: str = "", status: int = 200):
    try:
        search = RuleSearchSchema().load({"search": search})["search"]
    except ValidationError:
        search = search[:40]
    return render_template("blacklist/list.html", account=account, rules=core.list_rules(account, search),
                           search=search, values=values, errors=errors, **_labels()), status


def _to_list(account):
    return redirect(url_for("blacklist.index", account_id=account.id))


@bp.get("")
@login_required
def index(account_id: int):
    account = _admin_account(account_id)
    return _list_page(account, {"action": "block", "match": "equals"}, {}, text(request.args, "search"))


@bp.post("")
@login_required
def create(account_id: int):
    account = _admin_account(account_id)
    try:
        rule = core.create_rule(account, **RuleCreateSchema().load(_posted()))
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        return _list_page(account, _posted(), error_map(exc), status=400)
    db.session.commit()
    flash(_("Rule saved: %(digits)s.", digits=rule.digits), "success")
    return _to_list(account)


@bp.route("/<int:rule_id>/edit", methods=["GET", "POST"])
@login_required
def edit(account_id: int, rule_id: int):
    account = _admin_account(account_id)
    rule = core.get_rule(account, rule_id)
    if request.method == "GET":
        values = {name: getattr(rule, name) for name in FIELDS}
        return _edit_page(account, rule, values, {})
    try:
        core.update_rule(account, rule, RuleCreateSchema().load(_posted()))
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        return _edit_page(account, rule, _posted(), error_map(exc), 400)
    db.session.commit()
    flash(_("Rule saved: %(digits)s.", digits=rule.digits), "success")
    return _to_list(account)


def _edit_page(account, rule, values: dict, errors: dict, status: int = 200):
    return render_template("blacklist/edit.html", account=account, rule=rule, values=values, errors=errors,
                           **_labels()), status


@bp.route("/<int:rule_id>/delete", methods=["GET", "POST"])
@login_required
def delete(account_id: int, rule_id: int):
    account = _admin_account(account_id)
    rule = core.get_rule(account, rule_id)
    if request.method == "GET":
        return render_template("blacklist/delete.html", account=account, rule=rule, **_labels())
    digits = rule.digits
    core.delete_rule(account, rule)
    db.session.commit()
    flash(_("Rule deleted: %(digits)s.", digits=digits), "success")
    return _to_list(account)


@bp.route("/delete-all", methods=["GET", "POST"])
@login_required
def delete_all(account_id: int):
    """Guide 8.5: a page spelling out the consequence, and a box to tick; unticked is a 400."""
    account = _admin_account(account_id)
    count = len(core.list_rules(account))
    if request.method == "GET":
        return render_template("blacklist/delete_all.html", account=account, count=count, errors={})
    if "confirm" not in request.form:
        errors = {"confirm": [_("Tick the box to confirm.")]}
        return render_template("blacklist/delete_all.html", account=account, count=count, errors=errors), 400
    removed = core.delete_all_rules(account)
    db.session.commit()
    flash(ngettext("%(num)s rule deleted.", "%(num)s rules deleted.", removed), "success")
    return _to_list(account)
