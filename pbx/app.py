"""The application factory: wires the four doors around the core for one process."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, appcontext_popped, appcontext_pushed, current_app, has_app_context
from flask_migrate import Migrate

import fs_service.directory_versions  # noqa: F401 - registers the token renewal on every flush
from esl_handlers.dispatcher import install_dispatcher
from esl_handlers.mwi import install_mwi_sender
from esl_handlers.switch_commands import EslSwitchCommands
from fs_service import settings as core_settings
from fs_service.db import db, engine_options
from web import init_web
from web.extensions import babel, csrf, login_manager
from web.switch import EXTENSION_KEY as SWITCH_COMMANDS
from xml_curl.cdr import bp as xml_cdr_bp
from xml_curl.views import install as install_xml_curl

from . import logs
from .config import Settings, load_settings
from .proxies import TrustedProxies

MIGRATIONS = str(Path(__file__).parent / "migrations")
migrate = Migrate()


def create_app(settings: Settings | None = None, *, dispatch_fs: bool = True, **overrides: Any) -> Flask:
    """Build the WSGI app. ``settings`` (tests) or ``overrides`` replace the environment's values."""
    settings = settings or load_settings(**overrides)
    logs.configure(settings.log_level)
    Path(settings.instance_path).mkdir(parents=True, exist_ok=True)
    app = Flask("pbx", instance_path=str(Path(settings.instance_path).resolve()),
                root_path=str(Path(__file__).resolve().parent.parent / "web"))
    app.config.update(
        PBX=settings,
        SECRET_KEY=settings.secret_key,
        SQLALCHEMY_DATABASE_URI=settings.resolved_database_url,
        # Per dialect: pre-ping, connect/pool/statement timeouts (fs_service.db.engine_options).
        SQLALCHEMY_ENGINE_OPTIONS=engine_options(settings.resolved_database_url),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        # No view sets "remember me" today; should one, its cookie gets the same flags.
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings.session_cookie_secure,
        WTF_CSRF_TIME_LIMIT=None,
        TESTING=settings.env == "test",
        MAX_CONTENT_LENGTH=32 * 1024 * 1024,
    )
    _follow_app_context(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS)
    login_manager.init_app(app)
    csrf.init_app(app)
    _register_doors(app)
    app.extensions[SWITCH_COMMANDS] = EslSwitchCommands(app)  # the web door's port to the switches
    if settings.trusted_proxy_networks:  # behind a load balancer: every view sees the real client
        app.wsgi_app = TrustedProxies(app.wsgi_app, settings.trusted_proxy_networks)  # type: ignore[method-assign]
    if dispatch_fs:
        install_dispatcher(app)
        install_mwi_sender(app)  # emptying a box from the UI must turn the phones' lamps off
    return app


def _follow_app_context(app: Flask) -> None:
    """The core reads its settings from ``fs_service.settings.current()``, never from Flask: each
    push of this app's context makes its settings current, each pop restores the enclosing one's."""
    def pushed(sender: Flask, **_: Any) -> None:
        core_settings.use(sender.config["PBX"])

    def popped(sender: Flask, **_: Any) -> None:
        core_settings.use(current_app.config.get("PBX") if has_app_context() else None)

    appcontext_pushed.connect(pushed, app, weak=False)
    appcontext_popped.connect(popped, app, weak=False)


def _register_doors(app: Flask) -> None:
    install_xml_curl(app)  # a WSGI endpoint in front of Flask: FreeSWITCH waits for every fetch
    app.register_blueprint(xml_cdr_bp)  # call records (mod_xml_cdr), behind the same gate
    csrf.exempt(xml_cdr_bp)
    init_web(app, babel)
