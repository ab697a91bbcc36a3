"""One handler for the error vocabulary: JSON ``{message, error_id, details}`` under /api,
a flashed message (and the form re-rendered by the view) in the UI."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from marshmallow import ValidationError

from fs_service.db import db
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
