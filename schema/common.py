"""Field rules shared by several schemas, each failing with a message that names the rule."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from fs_service.db import MAX_ID  # PostgreSQL's integer: a larger id is refused as input
from fs_service.models._columns import as_utc

LANGUAGE = validate.OneOf(("fr", "en"), error="must be one of: fr, en")


class FullMatch(validate.Regexp):
    """A pattern the whole text must match. JSON-schema patterns end with ``$``, which Python's
    ``re.match`` also lets match before a final newline ("pw\\n"): the OpenAPI document states
    the pattern, this checks it as a client's validator does."""

    def __call__(self, value: str) -> str:
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


# No control characters and no "${" (names end up in SIP headers and FreeSWITCH XML), written
# without look-ahead so the OpenAPI document states the very same rule: every "$" run is
# followed by a character other than "{" or ends the text.
# (Regexp errors go through str.format: "{{" is shown as "{".)
PRINTABLE = FullMatch(r"^([^\x00-\x1f\x7f$]|\$+[^\x00-\x1f\x7f${])*\$*$",
                      error="must not contain control characters or '${{'")
# "HH:MM" (seconds allowed) wall-clock times, as the schedules and exceptions take them.
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def name_field(max_length: int, required: bool = False, **kwargs) -> fields.String:
    extra = kwargs.pop("validate", [])
    rules = [validate.Length(max=max_length), PRINTABLE, *(extra if isinstance(extra, list) else [extra])]
    return fields.String(required=required, validate=rules, **kwargs)


def id_field(**kwargs: Any) -> fields.Integer:
    """A reference to a row by its id (1 to MAX_ID, stated in the OpenAPI document)."""
    return fields.Integer(validate=validate.Range(1, MAX_ID, error=f"must be an id from 1 to {MAX_ID}"), **kwargs)


def time_field(**kwargs: Any) -> fields.Time:
    """A wall-clock time; the pattern states the accepted spelling in the OpenAPI document."""
    metadata = {"pattern": TIME_PATTERN, "description": "HH:MM (24 h)", **kwargs.pop("metadata", {})}
    return fields.Time(metadata=metadata, **kwargs)


class StrictSchema(Schema):
    """Unknown fields are an error: a typo must not be silently ignored."""

    class Meta:
        unknown = RAISE


class Timestamp(fields.DateTime):
    """A moment in an answer, always RFC 3339 in UTC with its ``Z`` (``2026-12-06T02:23:18.300853Z``).

    The database stores naive UTC (fs_service.db.utcnow; SQLite hands it back naive): without
    the offset a client cannot know the time is UTC rather than the server's local time. One
    field for every timestamp of the API, so no answer can forget it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("dump_only", True)
        metadata = {"description": "RFC 3339, UTC (ends with Z)", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return as_utc(value).astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


class LocalTimestamp(fields.DateTime):
    """A wall-clock moment of a place, RFC 3339 with that place's offset (``…T09:00:00-04:00``);
    the value must be aware (the schedule rules always give the number's zone)."""

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("a local timestamp needs its offset")
        return value.isoformat()


def bounded_years(first: int, last: int) -> dict[str, Any]:
    """A date-time input limited to years ``first``..``last``: the validator and, so generated
    clients refuse the same inputs, the JSON-schema pattern and description stating the range."""
    def check(value: datetime) -> None:
        if not first <= value.year <= last:
            raise ValidationError(f"the year must be from {first} to {last}")

    return {"validate": check, "metadata": {"pattern": _years_pattern(first, last),
                                            "description": f"RFC 3339 date-time, year {first} to {last}"}}


def _years_pattern(first: int, last: int) -> str:
    if first % 100 == 0 and last == first + 99:
        return f"^{first // 100}[0-9]{{2}}-"
    return "^(" + "|".join(str(year) for year in range(first, last + 1)) + ")-"
