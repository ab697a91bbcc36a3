"""The error payload every API response shares (documentation only: web/errors.py renders it)."""
from __future__ import annotations

from marshmallow import Schema, fields


class ApiErrorSchema(Schema):
    message = fields.String(metadata={"description": "Human-readable summary"})
    error_id = fields.String(metadata={"description": "Stable identifier, e.g. validation_error"})
    details = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                          metadata={"description": "Messages per input field"})
