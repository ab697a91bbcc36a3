"""Blacklist rules: inputs and outputs (BL-1..3, guide 8). Digits only: "514 907-3400" is refused
with a message naming the field; the core refuses duplicates."""
from __future__ import annotations

from marshmallow import fields, validate

from fs_service.models.numbers import BLACKLIST_ACTIONS, MATCH_KINDS

from .common import FullMatch, StrictSchema, Timestamp

# Two rules, two messages: 40 digits are too long, not "not digits".
DIGITS = [validate.Length(min=1, max=20, error="from 1 to 20 digits"),
          FullMatch(r"^[0-9]*$", error="digits only, without spaces or dashes (e.g. 5149073400)")]


class RuleUpdateSchema(StrictSchema):
    action = fields.String(validate=validate.OneOf(BLACKLIST_ACTIONS, error="must be one of: block, allow"))
    match = fields.String(validate=validate.OneOf(MATCH_KINDS, error="must be one of: " + ", ".join(MATCH_KINDS)))
    digits = fields.String(validate=DIGITS)


class RuleCreateSchema(RuleUpdateSchema):
    action = fields.String(load_default="block",
                           validate=validate.OneOf(BLACKLIST_ACTIONS, error="must be one of: block, allow"))
    match = fields.String(load_default="equals",
                          validate=validate.OneOf(MATCH_KINDS, error="must be one of: " + ", ".join(MATCH_KINDS)))
    digits = fields.String(required=True, validate=DIGITS)


class RuleSchema(RuleCreateSchema):
    id = fields.Integer(dump_only=True)
    created_at = Timestamp()


class RuleSearchSchema(StrictSchema):
    search = fields.String(load_default="", validate=validate.Length(max=40))


class DeleteAllRulesSchema(StrictSchema):
    """"Delete all" must be confirmed explicitly (guide 8.5)."""
    confirm = fields.Boolean(required=True, validate=validate.Equal(True, error="confirm to delete every rule"))
