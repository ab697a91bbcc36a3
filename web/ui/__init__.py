"""UI blueprints (one per feature), server-rendered, French by default, working without JavaScript."""
from __future__ import annotations

from flask import Flask, jsonify, render_template
from flask_wtf.csrf import CSRFError

from fs_service import access
from fs_service.errors import PbxError
from web.actor import current_actor

from .messages import translate


def _csrf_error(exc: CSRFError):
    """A refused form (missing or stale token) is a 400 page in the UI, JSON under /api."""
    from web.errors import is_api_request

    error = PbxError("the form has expired", error_id="csrf_failed")
    if is_api_request():
        return jsonify(error.to_dict()), 400
    return render_template("error.html", error=error), 400


def _ui_context() -> dict:
    user = current_actor()
    return {"actor": user, "actor_is_operator": bool(user and access.is_operator(user))}


def register_ui(app: Flask) -> None:
    from . import accounts, auth, extension, extensions, i18n, operator, quick_edit, settings
    from . import blacklist, menus, numbers, status, voicemail, voicemail_messages
    from . import numbers_exceptions as number_exceptions
    from . import fax, fax_admin, fax_inbox, fax_outbox
    from . import audit, gateways, two_factor
    from . import mail
    from . import conferences

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
    app.add_template_filter(translate, "tr")
    app.context_processor(_ui_context)
    app.register_error_handler(CSRFError, _csrf_error)
