"""One handler for the error vocabulary: JSON ``{message, error_id, details}`` under /api,
a flashed message (and the form re-rendered by the view) in the UI."""
from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from marshmallow import ValidationError
from sqlalchemy import exc as sa_exc

from fs_service.db import DatabaseUnavailable, db, unavailable
from fs_service.errors import NotFound, PbxError

log = logging.getLogger("pbx.web")


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def api_error(error: PbxError):
    return jsonify(error.to_dict()), error.status


def validation_error(exc: ValidationError) -> PbxError:
    messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
    details = {field: msgs if isinstance(msgs, list) else [str(msgs)] for field, msgs in messages.items()}
    fields = ", ".join(sorted(details))
    return PbxError(f"invalid input: {fields}", details, error_id="validation_error")


# Plain bytes, no template: base.html asks the database who is logged in, which is exactly
# what cannot be done now. Both languages, since choosing one may need the user's row too.
UNAVAILABLE_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Service momentanément indisponible</title></head>
<body><h1>Service momentanément indisponible / Service temporarily unavailable</h1>
<p data-error-id="database_unavailable">La base de données ne répond pas. Réessayez dans un instant.</p>
<p lang="en">The database is not answering. Please try again in a moment.</p>
<p><a href="">Réessayer / Try again</a></p></body></html>
"""


def database_unavailable(exc: Exception):
    """503 while the database is away (restart, failover, a held SQLite lock): one warning
    line, a retry hint, and the session given back so the next request starts clean."""
    log.warning("database unavailable path=%s error=%s", request.path,
                type(getattr(exc, "orig", None) or exc).__name__)
    try:
        db.session.rollback()
    except Exception:  # the connection is already gone; removing the session is enough
        db.session.remove()
    error = DatabaseUnavailable("database unavailable, try again in a moment")
    headers = {"Retry-After": "2"}
    if is_api_request():
        return jsonify(error.to_dict()), error.status, headers
    return Response(UNAVAILABLE_PAGE, status=error.status, mimetype="text/html", headers=headers)


def register(app: Flask) -> None:
    @app.errorhandler(PbxError)
    def _pbx_error(error: PbxError):
        db.session.rollback()
        if is_api_request():
            return api_error(error)
        return render_template("error.html", error=error), error.status

    @app.errorhandler(ValidationError)
    def _marshmallow_error(exc: ValidationError):
        db.session.rollback()
        return _pbx_error(validation_error(exc))

    @app.errorhandler(sa_exc.SQLAlchemyError)
    def _database_error(exc: sa_exc.SQLAlchemyError):
        if unavailable(exc):
            return database_unavailable(exc)
        raise exc  # a bug, not an outage: the usual 500 path

    @app.errorhandler(DatabaseUnavailable)
    def _database_unavailable(exc: DatabaseUnavailable):
        return database_unavailable(exc)

    @app.errorhandler(404)
    def _not_found(exc):
        return _pbx_error(NotFound("not found"))

    @app.errorhandler(500)
    def _server_error(exc):
        log.error("unhandled error path=%s", request.path)
        db.session.rollback()
        error = PbxError("internal error", error_id="internal_error")
        if is_api_request():
            return jsonify(error.to_dict()), 500
        return render_template("error.html", error=error), 500
