"""Login, password reset and API token inputs."""
from __future__ import annotations

from marshmallow import fields, validate

from .common import StrictSchema

PASSWORD = validate.Length(min=10, max=200, error="must be between {min} and {max} characters")


class LoginSchema(StrictSchema):
    email = fields.Email(required=True)
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ResetRequestSchema(StrictSchema):
    email = fields.Email(required=True)


class ResetSchema(StrictSchema):
    password = fields.String(required=True, validate=PASSWORD)


class ApiTokenCreateSchema(StrictSchema):
    email = fields.Email(required=True)
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))
    name = fields.String(load_default="api", validate=validate.Length(min=1, max=80))
    # The one-time code (or a recovery code) of a login with two-factor on.
    code = fields.String(load_default=None, validate=validate.Length(min=6, max=20))


class ApiTokenSchema(StrictSchema):
    token = fields.String()


class CsrfTokenSchema(StrictSchema):
    csrf_token = fields.String(dump_only=True)
