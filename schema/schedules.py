"""Weekly business hours and exceptions: inputs and outputs (HRS-1, HRS-2, guide 5).

Times are "HH:MM" wall-clock times in the number's zone; an end of 00:00 (or 23:59) means
midnight at the end of the day, an end before the start runs past midnight (rules:
fs_service.numbers.schedule_rules). The core refuses overlapping ranges and checks treatments.
"""
from __future__ import annotations

from datetime import time

from marshmallow import ValidationError, fields, validate, validates_schema

from .common import StrictSchema, id_field, name_field, time_field

WEEKDAY = validate.Range(min=0, max=6, error="must be 0 (Monday) to 6 (Sunday)")
KINDS = ("all_day", "between")
KIND = validate.OneOf(KINDS, error="must be one of: all_day, between")
KIND_RULE = {"description": "between needs both closed_from and closed_until; end_date is not before start_date."}


class RangeSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    weekday = fields.Integer(required=True, validate=WEEKDAY)
    opens_at = time_field(required=True)
    closes_at = time_field(required=True)

    @validates_schema
    def _not_empty(self, data: dict, **kwargs) -> None:
        if data.get("opens_at") == data.get("closes_at") and data.get("opens_at") != time(0, 0):
            raise ValidationError({"closes_at": ["must differ from the opening time (00:00 to 00:00 = all day)"]})


class WeekSchema(StrictSchema):
    """The whole week at once, as the UI's editor saves it; a weekday with no range is closed."""
    ranges = fields.List(fields.Nested(RangeSchema), required=True, validate=validate.Length(max=70))


class ExceptionUpdateSchema(StrictSchema):
    label = name_field(80)
    start_date = fields.Date()
    end_date = fields.Date(allow_none=True)
    kind = fields.String(validate=KIND, metadata=KIND_RULE)
    closed_from = time_field(allow_none=True)
    closed_until = time_field(allow_none=True)
    repeat_yearly = fields.Boolean()
    treatment_id = id_field(allow_none=True)  # none: the number's default closed behaviour

    @validates_schema
    def _dates_and_times(self, data: dict, **kwargs) -> None:
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            raise ValidationError({"end_date": ["must not be before the start date"]})
        if data.get("kind") == "between":
            missing = [n for n in ("closed_from", "closed_until") if data.get(n) is None]
            if missing:
                raise ValidationError({name: ["required when closed between two times"] for name in missing})


class ExceptionCreateSchema(ExceptionUpdateSchema):
    label = name_field(80, load_default="")
    start_date = fields.Date(required=True)
    end_date = fields.Date(load_default=None, allow_none=True)  # none: a single day
    kind = fields.String(load_default="all_day", validate=KIND, metadata=KIND_RULE)
    repeat_yearly = fields.Boolean(load_default=False)
    treatment_id = id_field(load_default=None, allow_none=True)


class ExceptionSchema(ExceptionCreateSchema):
    id = fields.Integer(dump_only=True)
    number_id = fields.Integer(dump_only=True)
