"""Logging in and out, the one-time code step of two-factor logins, and the password links (ACC-2)."""
from __future__ import annotations

import time

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, refresh
from flask_login import login_user, logout_user
from marshmallow import ValidationError

from fs_service.accounts import login as auth, password_reset, two_factor
from fs_service.db import db
from fs_service.errors import TooManyAttempts, ValidationFailed
from fs_service.models import User
from schema.auth import LoginSchema, ResetRequestSchema, ResetSchema
from web.actor import audit_as, current_actor

from ..messages import translate
from .common import FORM_LEVEL, discard_changes, error_map, safe_next, text

bp = Blueprint("auth", __name__)


def _login_page(values: dict, errors: dict, status: int = 200):
    return render_template("auth/login.html", values=values, errors=errors,
                           next=safe_next(request.args.get("next"), "")), status


def _start_session(user: User) -> None:
    """A fresh session on login (no fixation), keeping only the language the visitor chose."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user)
    refresh()


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return redirect("/") if current_actor() else _login_page({}, {})
    values = {"email": text(request.form, "email")}
    settings = current_app.config["PBX"]
    try:
        data = LoginSchema().load({**values, "password": request.form.get("password", "")})
        user = auth.authenticate(data["email"], data["password"], request.remote_addr or "",
                                 max_failures=settings.login_max_failures,
                                 window_seconds=settings.login_window_seconds)
    except ValidationError as exc:
        return _login_page(values, error_map(exc), 400)
    except TooManyAttempts as exc:
        return _login_page(values, {FORM_LEVEL: [translate(exc.message)]}, 429)
    if user is None:
        return _login_page(values, {FORM_LEVEL: [_("Wrong email or password.")]}, 401)
    if two_factor.enabled(user):
        _await_code(user)
        return redirect(url_for("auth.code", next=safe_next(request.args.get("next"), "") or None))
    _start_session(user)
    if two_factor.must_enrol(user):
        return redirect(url_for("two_factor.page"))
    return redirect(safe_next(request.args.get("next")))


PENDING = "pbx_2fa_pending"  # user id and time of a right password still waiting for its code
PENDING_SECONDS = 300


def _await_code(user: User) -> None:
    """The password was right: nothing is logged in yet, the session only remembers whose code
    to ask for, for a few minutes (a fresh session, as for a login)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session[PENDING] = {"user_id": user.id, "at": int(time.time())}


def _pending_user() -> User | None:
    pending = session.get(PENDING) or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("user_id") or 0)
    return user if user is not None and user.active and two_factor.enabled(user) else None


def _code_page(errors: dict, status: int = 200):
    return render_template("auth/code.html", errors=errors, next=safe_next(request.args.get("next"), "")), status


@bp.route("/login/code", methods=["GET", "POST"])
def code():
    """Second step of a two-factor login: a code of the authenticator app, or a recovery code."""
    user = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        flash(_("Please log in again."), "info")
        return redirect(url_for("auth.login"))
    if request.method == "GET":
        return _code_page({})
    settings = current_app.config["PBX"]
    try:
        auth.check_throttle(user.email, max_failures=settings.login_max_failures,
                            window_seconds=settings.login_window_seconds)
    except TooManyAttempts as exc:
        return _code_page({FORM_LEVEL: [translate(exc.message)]}, 429)
    if not two_factor.verify(user, text(request.form, "code")):
        discard_changes()
        auth.record_failure(user.email, request.remote_addr or "")
        return _code_page({"code": [_("This code is not right, or it was already used.")]}, 401)
    db.session.commit()  # the accepted step or the burnt recovery code: no replay
    auth.clear_failures(user.email)
    _start_session(user)
    return redirect(safe_next(request.args.get("next")))


@bp.post("/logout")
def logout():
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot():
    if request.method == "GET":
        return render_template("auth/forgot.html", values={}, errors={})
    values = {"email": text(request.form, "email")}
    try:
        data = ResetRequestSchema().load(values)
    except ValidationError as exc:
        return render_template("auth/forgot.html", values=values, errors=error_map(exc)), 400
    settings = current_app.config["PBX"]
    password_reset.request_reset(data["email"], request.remote_addr or "",
                                 max_per_email=settings.reset_max_per_email, max_per_ip=settings.reset_max_per_ip,
                                 window_seconds=settings.reset_window_seconds)
    # The same answer, after the same work, whether the email has a login or not and whether the
    # request was limited or not: the page must not reveal who has a login (the email is queued).
    flash(_("If a login exists for this email, a link to choose a new password has been sent to it."), "info")
    return redirect(url_for("auth.login"))


def _reset_page(token: str, errors: dict, status: int = 200):
    return render_template("auth/reset.html", token=token, errors=errors), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    if auth.user_for_reset_token(token) is None:
        return render_template("auth/reset_invalid.html"), 400
    if request.method == "GET":
        return _reset_page(token, {})
    password = request.form.get("password", "")
    if password != request.form.get("password_confirm", ""):
        return _reset_page(token, {"password_confirm": [_("The two passwords differ.")]}, 400)
    audit_as(auth.user_for_reset_token(token))  # the change is the person's own
    try:
        ResetSchema().load({"password": password})
        auth.consume_reset_token(token, password)
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        return _reset_page(token, error_map(exc), 400)
    db.session.commit()
    flash(_("Your password is saved. You can now log in."), "success")
    return redirect(url_for("auth.login"))
