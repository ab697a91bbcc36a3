"""Extension and softphone inputs and outputs (EXT-1, EXT-2, DEV-2)."""
from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from .common import LANGUAGE, StrictSchema, id_field, name_field

ASSIGNMENTS = ("new_user", "existing_user", "admin")


class ExtensionCreateSchema(StrictSchema):
    """Shape only; the core checks reserved and used numbers and the chosen user's account."""

    # The core answers a number outside the plan with ``invalid_extension``; the document states
    # the plan (2 to 5 digits, not starting with 0) so clients need not learn it from a 400.
    number = fields.String(load_default=None, allow_none=True,
                           validate=validate.Regexp(r"^[0-9]{1,10}$", error="digits only"),
                           metadata={"pattern": "^[1-9][0-9]{1,4}$"})
    voicemail_enabled = fields.Boolean(load_default=True)
    listed_in_directory = fields.Boolean(load_default=True)
    caller_id_name = name_field(80, load_default="")
    voicemail_email = fields.Email(load_default=None, allow_none=True)
    language = fields.String(load_default=None, allow_none=True, validate=LANGUAGE)
    assignment = fields.String(load_default="admin", validate=validate.OneOf(
        ASSIGNMENTS, error="must be one of: " + ", ".join(ASSIGNMENTS)))
    user_id = id_field(load_default=None, allow_none=True)
    first_name = name_field(80, load_default="")
    last_name = name_field(80, load_default="")
    email = fields.Email(load_default=None, allow_none=True)

    @validates_schema
    def _assignment_fields(self, data: dict, **kwargs) -> None:
        if data.get("assignment") == "new_user":
            errors = {name: ["required for a new user"] for name in ("first_name", "last_name", "email")
                      if not data.get(name)}
            if errors:
                raise ValidationError(errors)
        if data.get("assignment") == "existing_user" and data.get("user_id") is None:
            raise ValidationError({"user_id": ["choose the user to assign"]})


class ExtensionUpdateSchema(StrictSchema):
    caller_id_name = name_field(80)
    voicemail_enabled = fields.Boolean()
    listed_in_directory = fields.Boolean()
    voicemail_email = fields.Email(allow_none=True)
    language = fields.String(validate=LANGUAGE)


class SuggestionQuerySchema(StrictSchema):
    count = fields.Integer(load_default=5, validate=validate.Range(min=1, max=50))


class SuggestionsSchema(StrictSchema):
    numbers = fields.List(fields.String(), dump_only=True)


class SoftphoneUpdateSchema(StrictSchema):
    label = name_field(80, required=True)


class SoftphoneSchema(StrictSchema):
    """Input: an optional label. Output: the softphone with its own SIP credentials (DEV-2)."""
    id = fields.Integer(dump_only=True)
    extension_id = fields.Integer(dump_only=True)
    label = name_field(80, load_default="")
    sip_username = fields.String(dump_only=True)
    sip_password = fields.String(dump_only=True)
    sip_server = fields.String(dump_only=True)
    sip_domain = fields.String(dump_only=True)


class ExtensionSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    number = fields.String(dump_only=True)
    caller_id_name = fields.String(dump_only=True)
    voicemail_enabled = fields.Boolean(dump_only=True)
    listed_in_directory = fields.Boolean(dump_only=True)
    voicemail_email = fields.String(dump_only=True, allow_none=True)
    language = fields.String(dump_only=True)
    user_id = fields.Integer(dump_only=True, allow_none=True)
    sip_domain = fields.Function(lambda ext: ext.account.sip_domain, dump_only=True)


class SipCredentialsSchema(StrictSchema):
    sip_username = fields.String(dump_only=True)
    sip_password = fields.String(dump_only=True)
    sip_domain = fields.String(dump_only=True)
    sip_server = fields.String(dump_only=True)
