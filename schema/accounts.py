"""Accounts and users, as typed by the operator and the account admins."""
from __future__ import annotations

from marshmallow import fields, validate

from .common import LANGUAGE, StrictSchema, name_field

DOMAIN = validate.Regexp(r"^(?=.{4,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$",
                         error="must be a DNS name such as acme.example.com")


class AccountCreateSchema(StrictSchema):
    name = name_field(120, required=True, validate=validate.Length(min=1, error="This field is required."))
    sip_domain = fields.String(required=True, validate=DOMAIN)
    language = fields.String(load_default="fr", validate=LANGUAGE)
    admin_email = fields.Email(required=True)
    admin_first_name = name_field(80, required=True)
    admin_last_name = name_field(80, required=True)


class AccountSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    name = fields.String()
    sip_domain = fields.String()
    language = fields.String()
    timezone = fields.String()
    admins_require_two_factor = fields.Boolean(dump_only=True)


class UserSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    email = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    role = fields.String()
    language = fields.String()
    account_id = fields.Integer(dump_only=True, allow_none=True)
    two_factor_enabled = fields.Function(lambda user: user.totp_enabled_at is not None, dump_only=True)


class AccountCreatedSchema(StrictSchema):
    """What the operator gets back: the new tenant and its first administrator."""
    account = fields.Nested(AccountSchema, dump_only=True)
    admin = fields.Nested(UserSchema, dump_only=True)
