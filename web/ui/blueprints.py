"""Puts the UI on an app: every feature's blueprint, the template context (who is acting, the
account menu) and the CSRF error page.

Apart from the package ``web.ui`` (which stays empty): modules below the UI, such as
``web.emails``, import ``web.messages``, and importing a submodule runs its package first;
an empty package lets them do so without loading every view.
"""
from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError

from fs_service import access, mail_catcher
from fs_service.db import db
from fs_service.errors import PbxError
from fs_service.models import Account
from web.actor import current_actor
from web.errors import is_api_request

from ..messages import translate
from . import (accounts, audit, auth, blacklist, books, conferences, extension, extensions, fax, fax_admin, fax_inbox,
               fax_outbox, gateways, i18n, mail, menus, numbers, numbers_exceptions as number_exceptions, operator,
               phones, phones_display, prompt_audio, quick_edit, settings, status, two_factor, voicemail,
               voicemail_messages)


def _csrf_error(exc: CSRFError):
    """A refused form (missing or stale token) is a 400 page in the UI, JSON under /api."""
    error = PbxError("the form has expired", error_id="csrf_failed")
    if is_api_request():
        return jsonify(error.to_dict()), 400
    return render_template("error.html", error=error), 400


def _nav_account() -> Account | None:
    """The account whose menu the page shows: the user's own, or for an operator the account
    of the page's URL (an operator "enters" an account by opening any of its pages). Called by
    base.html only, so fragments (the status stream's) cost no query."""
    user = current_actor()
    if user is None:
        return None
    account_id = (request.view_args or {}).get("account_id") if access.is_operator(user) else user.account_id
    return db.session.get(Account, account_id) if isinstance(account_id, int) else None


def _ui_context() -> dict:
    user = current_actor()
    return {"actor": user, "actor_is_operator": bool(user and access.is_operator(user)), "account_nav": _nav_account,
            "mail_catcher": mail_catcher.enabled(current_app.config["PBX"])}


def register_ui(app: Flask) -> None:
    i18n.ensure_catalogs_compiled()
    for module in (auth, i18n, accounts, operator, extensions, extension, settings, quick_edit, number_exceptions,
                   voicemail, voicemail_messages, numbers, blacklist, menus, status):
        app.register_blueprint(module.bp)
    for module in (fax, fax_outbox, fax_inbox, fax_admin):
        app.register_blueprint(module.bp)
    app.register_blueprint(gateways.bp)
    app.register_blueprint(two_factor.bp)
    app.register_blueprint(audit.bp)
    app.register_blueprint(mail.bp)
    app.register_blueprint(conferences.bp)
    app.register_blueprint(phones.bp)
    app.register_blueprint(phones_display.bp)
    app.register_blueprint(books.bp)
    app.register_blueprint(prompt_audio.bp)
    app.add_template_filter(translate, "tr")
    app.context_processor(_ui_context)
    app.register_error_handler(CSRFError, _csrf_error)
