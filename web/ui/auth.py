"""Logging in and out, and the password links (ACC-2)."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import login_user, logout_user
from marshmallow import ValidationError

from fs_service import auth, password_reset
from fs_service.db import db
from fs_service.errors import TooManyAttempts, ValidationFailed
from fs_service.models import User
from schema.auth import LoginSchema, ResetRequestSchema, ResetSchema
from web.actor import current_actor

from .common import FORM_LEVEL, discard_changes, error_map, safe_next, text
from .messages import translate

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
    try:
        ResetSchema().load({"password": password})
        auth.consume_reset_token(token, password)
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        return _reset_page(token, error_map(exc), 400)
    db.session.commit()
    flash(_("Your password is saved. You can now log in."), "success")
    return redirect(url_for("auth.login"))
