"""The web door: the admin UI (Jinja, FR/EN) and the JSON REST API, sharing one error vocabulary."""
from __future__ import annotations

from flask import Flask, request, session
from flask_babel import Babel

from fs_service import audit
from fs_service.db import db
from fs_service.models import User

from . import errors, health, provisioning, security_headers
from .api import init_api
from .extensions import login_manager
from .ui.blueprints import register_ui
from .ui.i18n import LANGUAGES


def select_locale() -> str:
    """Explicit choice in the session > the logged-in user's language > the site default (fr)."""
    from flask_login import current_user

    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if current_user and current_user.is_authenticated:
        return current_user.language
    from flask import current_app
    return current_app.config["PBX"].default_language


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


def init_web(app: Flask, babel: Babel) -> None:
    babel.init_app(app, locale_selector=select_locale)
    login_manager.login_view = "auth.login"
    errors.register(app)
    security_headers.init_app(app)
    register_ui(app)
    init_api(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(provisioning.bp)  # phones: no session, the per-phone secret is the credential

    @app.teardown_request
    def _forget_actor(_exc: BaseException | None) -> None:
        # The session can outlive the request (an app context pushed around several requests):
        # what is flushed after it must not be credited to this request's person.
        audit.act_as(db.session, None)

    @app.context_processor
    def _inject_locale() -> dict:
        return {"current_lang": select_locale(), "languages": LANGUAGES, "request_path": request.path}
