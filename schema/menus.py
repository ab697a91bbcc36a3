"""Welcome menus: inputs and outputs (guide 1.2). The core checks treatments of the account and
refuses a timeout treatment that is the menu itself."""
from __future__ import annotations

from marshmallow import fields, validate

from fs_service.numbers.menus import DIGITS, REPEAT_RANGE, TIMEOUT_RANGE

from .common import LANGUAGE, StrictSchema, id_field, name_field
from .numbers import SOUND_PATH


class MenuUpdateSchema(StrictSchema):
    name = name_field(80, validate=validate.Length(min=1))
    language = fields.String(validate=LANGUAGE)
    greeting_path = fields.String(allow_none=True, validate=SOUND_PATH)  # none: the default greeting
    timeout_seconds = fields.Integer(validate=validate.Range(*TIMEOUT_RANGE))
    repeat_count = fields.Integer(validate=validate.Range(*REPEAT_RANGE))
    dial_by_extension = fields.Boolean()
    timeout_treatment_id = id_field(allow_none=True)


class MenuCreateSchema(MenuUpdateSchema):
    name = name_field(80, required=True, validate=validate.Length(min=1))
    language = fields.String(load_default=None, allow_none=True, validate=LANGUAGE)
    greeting_path = fields.String(load_default=None, allow_none=True, validate=SOUND_PATH)
    timeout_seconds = fields.Integer(load_default=5, validate=validate.Range(*TIMEOUT_RANGE))
    repeat_count = fields.Integer(load_default=3, validate=validate.Range(*REPEAT_RANGE))
    dial_by_extension = fields.Boolean(load_default=True)
    timeout_treatment_id = id_field(load_default=None, allow_none=True)


# Keys "0" to "9", each a treatment id or null: a schema (not a free dict) so the OpenAPI
# document names the keys a client may send.
KEY_MAP = StrictSchema.from_dict({digit: id_field(allow_none=True) for digit in DIGITS}, name="MenuKeyMapSchema")


class MenuKeysSchema(StrictSchema):
    """Keys 0–9 → treatment id (null: no key). Replaces every key of the menu."""
    keys = fields.Nested(KEY_MAP, required=True)


class MenuSchema(MenuCreateSchema):
    id = fields.Integer(dump_only=True)
