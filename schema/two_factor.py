"""Two-factor authentication inputs and outputs (issue 14)."""
from __future__ import annotations

from marshmallow import fields, validate

from .common import StrictSchema

CODE = validate.Length(min=6, max=20, error="must be a 6-digit code or a recovery code")


class CodeSchema(StrictSchema):
    code = fields.String(required=True, validate=CODE)


class TwoFactorEnableSchema(StrictSchema):
    """The key from ``POST /me/two-factor/secret`` and a code the app shows for it."""
    secret = fields.String(required=True, validate=validate.Regexp(r"^[A-Z2-7]{16,64}$",
                                                                   error="must be the base32 key given"))
    code = fields.String(required=True, validate=CODE)


class TwoFactorStateSchema(StrictSchema):
    enabled = fields.Boolean(dump_only=True)
    required = fields.Boolean(dump_only=True)
    recovery_codes_left = fields.Integer(dump_only=True)


class TwoFactorSecretSchema(StrictSchema):
    secret = fields.String(dump_only=True)
    otpauth_uri = fields.String(dump_only=True)


class RecoveryCodesSchema(StrictSchema):
    recovery_codes = fields.List(fields.String(), dump_only=True)


class AccountSecuritySchema(StrictSchema):
    admins_require_two_factor = fields.Boolean(required=True)
