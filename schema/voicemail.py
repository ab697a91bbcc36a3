"""Mailbox and voicemail message inputs and outputs (VM-3..5), shared by the API and the forms.

Shapes only; the core (fs_service.voicemail.mailboxes) checks what needs the database: free
number, treatments of the account, "email only" needs an email (also re-checked there, since
an update may clear the email of a box that is email-only).
"""
from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from fs_service.voicemail.mailboxes import (DEFAULT_MAX_MESSAGES, DEFAULT_MAX_SECONDS, MAX_MESSAGES_LIMIT,
                                            MAX_SECONDS_LIMIT)

from .common import FullMatch, StrictSchema, Timestamp, id_field, name_field

PIN = validate.Regexp(r"^[0-9]{4,10}$", error="use 4 to 10 digits")
MAX_SECONDS = validate.Range(min=10, max=MAX_SECONDS_LIMIT)
MAX_MESSAGES = validate.Range(min=1, max=MAX_MESSAGES_LIMIT)


EMAIL_ONLY_RULE = {"description": "true needs an email address (messages then leave by email only)."}


class MailboxUpdateSchema(StrictSchema):
    """Every field optional; number and extension cannot change."""
    name = name_field(80)
    pin = fields.String(validate=PIN)
    max_message_seconds = fields.Integer(validate=MAX_SECONDS)
    max_messages = fields.Integer(validate=MAX_MESSAGES)
    email = fields.Email(allow_none=True)
    email_only = fields.Boolean(metadata=EMAIL_ONLY_RULE)
    key0_treatment_id = id_field(allow_none=True)  # none = the account's reception
    star_treatment_id = id_field(allow_none=True)  # none = voicemail access

    @validates_schema
    def _email_only_needs_email(self, data: dict, **kwargs) -> None:
        if data.get("email_only") and "email" in data and not data["email"]:
            raise ValidationError({"email_only": ["an email address is required to keep messages off the server"]})


class MailboxCreateSchema(MailboxUpdateSchema):
    # The shape here; the core answers a number outside the plan with ``invalid_mailbox``, and
    # the document states the plan (2 to 5 digits, not starting with 0).
    number = fields.String(required=True, validate=FullMatch(r"^[0-9]{2,5}$", error="use 2 to 5 digits"),
                           metadata={"pattern": "^[1-9][0-9]{1,4}$"})
    extension_id = id_field(load_default=None, allow_none=True)
    pin = fields.String(load_default=None, allow_none=True, validate=PIN)  # none: 6 random digits
    max_message_seconds = fields.Integer(load_default=DEFAULT_MAX_SECONDS, validate=MAX_SECONDS)
    max_messages = fields.Integer(load_default=DEFAULT_MAX_MESSAGES, validate=MAX_MESSAGES)
    name = name_field(80, load_default="")
    email_only = fields.Boolean(load_default=False, metadata=EMAIL_ONLY_RULE)

    @validates_schema
    def _email_only_needs_email(self, data: dict, **kwargs) -> None:
        if data.get("email_only") and not data.get("email"):
            raise ValidationError({"email_only": ["an email address is required to keep messages off the server"]})


class EmptyMailboxSchema(StrictSchema):
    """VM-5 "empty the box": ``delete_greetings`` answers "also delete your custom greetings?"."""
    delete_greetings = fields.Boolean(load_default=False)


class MailboxSchema(StrictSchema):
    """Output of a MailboxUsage (``fs_service.voicemail.list_mailboxes``): "N messages / max"."""
    id = fields.Function(lambda u: u.mailbox.id)
    number = fields.Function(lambda u: u.mailbox.number)
    name = fields.Function(lambda u: u.mailbox.name)
    extension_id = fields.Function(lambda u: u.mailbox.extension_id)
    pin = fields.Function(lambda u: u.mailbox.pin)
    max_message_seconds = fields.Function(lambda u: u.mailbox.max_message_seconds)
    max_messages = fields.Function(lambda u: u.mailbox.max_messages)
    email = fields.Function(lambda u: u.mailbox.email)
    email_only = fields.Function(lambda u: u.mailbox.email_only)
    key0_treatment_id = fields.Function(lambda u: u.mailbox.key0_treatment_id)
    star_treatment_id = fields.Function(lambda u: u.mailbox.star_treatment_id)
    messages = fields.Integer()
    new = fields.Integer()
    full = fields.Boolean()


class MessageSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    folder = fields.String(validate=validate.OneOf(("new", "saved"), error="must be one of: new, saved"))
    caller_number = fields.String(dump_only=True)
    caller_name = fields.String(dump_only=True)
    duration_seconds = fields.Integer(dump_only=True)
    created_at = Timestamp()
    emailed_at = Timestamp(allow_none=True)
