"""A person's two-factor page (issue 14): set it up with a QR code, see and renew recovery codes,
turn it off where it is not required; and the rule that a login which requires it reaches no
other page before it is set up."""
from __future__ import annotations

import io

import segno
from flask import Blueprint, Response, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from fs_service import access
from fs_service.accounts import two_factor
from fs_service.db import db
from fs_service.errors import PbxError
from web.actor import bearer_token, current_actor

from .common import actor, discard_changes, error_map, login_required, text

bp = Blueprint("two_factor", __name__, url_prefix="/me/two-factor")
SECRET = "pbx_2fa_secret"  # the secret being set up, until a code proves the app has it
# What a login that must still set up two-factor may reach: this page, logging out, the
# language switch, static files and the health check.
OPEN_ENDPOINTS = {"auth.logout", "i18n.set_language", "static", "health.healthz", "api_auth.csrf_token",
                  "api_auth.me"}
SET_UP = {"two_factor", "api_two_factor"}
# FreeSWITCH's doors never carry a person's session: not even looked at (a hot path).
MACHINE_BLUEPRINTS = {"xml_curl", "xml_cdr", "health", "provisioning"}


def _pending_secret() -> str:
    if not session.get(SECRET):
        session[SECRET] = two_factor.new_secret()
    return session[SECRET]


def _page(errors: dict | None = None, codes: list[str] | None = None, status: int = 200):
    user = actor()
    enabled = two_factor.enabled(user)
    return render_template(
        "auth/two_factor.html", errors=errors or {}, codes=codes, enabled=enabled,
        required=two_factor.required_for(user),
        codes_left=two_factor.recovery_codes_left(user) if enabled else 0,
        secret=None if enabled else _pending_secret(),
        account=user.account if user.role == "admin" else None), status


@bp.get("")
@login_required
def page():
    return _page()


@bp.get("/qr.svg")
@login_required
def qr():
    """The QR code of the secret being set up (an image, so the page needs no script)."""
    out = io.BytesIO()
    segno.make(two_factor.provisioning_uri(actor(), _pending_secret()), error="m").save(
        out, kind="svg", scale=5, border=2)
    return Response(out.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})


def _codes_shown(codes: list[str], message: str):
    db.session.commit()
    flash(message, "success")
    return _page(codes=codes)


@bp.post("/enable")
@login_required
def enable():
    try:
        codes = two_factor.confirm(actor(), _pending_secret(), text(request.form, "code"))
    except PbxError as exc:
        discard_changes()
        return _page(error_map(exc), status=400)
    session.pop(SECRET, None)
    return _codes_shown(codes, _("Two-factor authentication is on. Keep these recovery codes somewhere safe."))


@bp.post("/recovery-codes")
@login_required
def recovery_codes():
    try:
        codes = two_factor.regenerate_recovery_codes(actor(), text(request.form, "code"))
    except PbxError as exc:
        discard_changes()
        return _page(error_map(exc), status=400)
    return _codes_shown(codes, _("New recovery codes: the old ones no longer work."))


@bp.post("/disable")
@login_required
def disable():
    try:
        two_factor.disable(actor(), text(request.form, "code"))
    except PbxError as exc:
        discard_changes()
        return _page(error_map(exc), status=400 if exc.status == 400 else exc.status)
    db.session.commit()
    flash(_("Two-factor authentication is off."), "info")
    return redirect(url_for(".page"))


@bp.post("/account-rule")
@login_required
def account_rule():
    """An account admin decides whether the account's admins must use two-factor."""
    user = actor()
    account = access.account_for(user, user.account_id or 0)
    two_factor.set_admins_rule(user, account, request.form.get("admins_require_two_factor") == "on")
    db.session.commit()
    flash(_("Saved: admins of this account must use two-factor authentication.")
          if account.admins_require_two_factor else _("Saved: two-factor authentication is optional for admins."),
          "success")
    return redirect(url_for(".page"))


@bp.before_app_request
def enrol_first():
    """A session login that requires two-factor (operators; admins where the account asks) reaches only
    the set-up page until it is done. API tokens are not concerned: creating one already asks
    for the code (web/api/auth.py)."""
    if request.blueprint in MACHINE_BLUEPRINTS or request.endpoint in OPEN_ENDPOINTS \
            or request.blueprint in SET_UP:
        return None
    if bearer_token() is not None:
        return None
    user = current_actor()
    if user is None or not two_factor.must_enrol(user):
        return None
    if request.path.startswith("/api/"):
        error = PbxError("set up two-factor authentication first (/me/two-factor)",
                         error_id="two_factor_required")
        error.status = 403
        return error.to_dict(), 403
    return redirect(url_for("two_factor.page"))
