"""Field rules shared by several schemas, each failing with a message that names the rule."""
from __future__ import annotations

import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate

LANGUAGE = validate.OneOf(("fr", "en"), error="must be one of: fr, en")
NO_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def printable(value: str) -> None:
    """Names end up in SIP headers and FreeSWITCH XML: no control characters, no ``${``."""
    if NO_CONTROL.search(value) or "${" in value:
        raise ValidationError("must not contain control characters or '${'")


def name_field(max_length: int, required: bool = False, **kwargs) -> fields.String:
    extra = kwargs.pop("validate", [])
    rules = [validate.Length(max=max_length), printable, *(extra if isinstance(extra, list) else [extra])]
    return fields.String(required=required, validate=rules, **kwargs)


class StrictSchema(Schema):
    """Unknown fields are an error: a typo must not be silently ignored."""

    class Meta:
        unknown = RAISE
