"""Phones (DEV-1, DEV-3), their line keys and display lists (BOOK-4): inputs and outputs.

The MAC is a free string here (any common separator): the core normalises it and names the
field when it is not 12 hex digits. The model must be one of the supported list.
"""
from __future__ import annotations

from marshmallow import fields, validate

from fs_service.phones.display import KINDS
from fs_service.phones.models import MODELS
from fs_service.phones.rules import DEFAULT_TIMEZONE

from .common import StrictSchema, name_field

MODEL = validate.OneOf(tuple(MODELS), error="must be one of: " + ", ".join(MODELS))
TIMEZONE = validate.Length(min=1, max=64)


class PhoneUpdateSchema(StrictSchema):
    name = name_field(80, validate=validate.Length(min=1, error="required"))
    model = fields.String(allow_none=True, validate=MODEL)
    timezone = fields.String(validate=TIMEZONE)
    configure_books = fields.Boolean()


class PhoneCreateSchema(PhoneUpdateSchema):
    mac = fields.String(required=True, validate=validate.Length(max=32))
    name = name_field(80, required=True, validate=validate.Length(min=1, error="required"))
    timezone = fields.String(load_default=DEFAULT_TIMEZONE, validate=TIMEZONE)


class LineSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    extension_id = fields.Integer(required=True, strict=True)
    number = fields.String(dump_only=True)
    line_key = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=99))


class PhoneSchema(PhoneCreateSchema):
    id = fields.Integer(dump_only=True)
    mac = fields.String(dump_only=True)
    model_label = fields.String(dump_only=True, allow_none=True)
    configure_books = fields.Boolean(dump_only=True)
    reboot_pending = fields.Boolean(dump_only=True)
    lines = fields.List(fields.Nested(LineSchema), dump_only=True)
    provisioning_url = fields.String(dump_only=True, metadata={
        "description": "the phone's provisioning server (its secret is part of it); admins only"})


class EntrySchema(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS, error="must be one of: " + ", ".join(KINDS)))
    ref = fields.Integer(load_default=None, allow_none=True, strict=True)
    favourite = fields.Boolean(load_default=False)
    position = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=999))


class DisplaySchema(StrictSchema):
    entries = fields.List(fields.Nested(EntrySchema), required=True, validate=validate.Length(max=500))
    configure_books = fields.Boolean()


class CopyDisplaySchema(StrictSchema):
    """Copying overwrites the other phones' lists: it must be confirmed (guide 7.5)."""
    targets = fields.List(fields.Integer(strict=True), required=True, validate=validate.Length(min=1, max=200))
    confirm = fields.Boolean(required=True, validate=validate.Equal(True, error="confirm to replace their lists"))


class CopiedSchema(StrictSchema):
    copied = fields.Integer(dump_only=True)


class RebootSchema(StrictSchema):
    rebooted = fields.Boolean(dump_only=True, metadata={"description": "false: it reboots when its call ends"})
