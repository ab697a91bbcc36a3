"""Extension settings inputs and outputs (EXT-3, EXT-4, EXT-5, FWD, FMFM).

Shapes only; the rules that need the account (forward destinations, the account's numbers,
access codes, the configured music on hold) are fs_service.extensions.settings'. Every field is
optional on input (PATCH); PUT's "all of them" depends on the caller's role, so the core checks it.
"""
from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields, post_load, pre_load, validate

from fs_service.models._columns import TOLL_MODES
from fs_service.models.extensions import BUSY_BEHAVIOURS, DND_MODES, FORWARD_MODES, RECORDING_MODES

from .common import LANGUAGE, StrictSchema, id_field, name_field

MAX_QUICK_EDIT_ROWS = 1000
_SEPARATORS = re.compile(r"[\s().-]")
_DIAL = re.compile(r"^\+?[0-9]{2,20}$")
NULLABLE = ("forward_destination", "voicemail_email", "fmfm_number", "long_distance_code",
            "international_code", "outbound_caller_id_name", "outbound_caller_id_number")


def one_of(choices: tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(choices, error="must be one of: " + ", ".join(choices))


def seconds(high: int = 300) -> fields.Integer:
    return fields.Integer(validate=validate.Range(0, high, error=f"must be from 0 to {high}"))


class DialString(fields.String):
    """A phone number or extension as people type it ("(514) 555-1234"), kept as digits (and +).
    The OpenAPI pattern states the same rule on the text as typed (separators anywhere)."""

    def __init__(self, **kwargs: Any) -> None:
        separators = r"[\s().-]*"
        pattern = f"^{separators}(\\+{separators})?([0-9]{separators}){{2,20}}$"
        super().__init__(metadata={"pattern": pattern, **kwargs.pop("metadata", {})}, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = _SEPARATORS.sub("", super()._deserialize(value, attr, data, **kwargs))
        if not _DIAL.match(text):
            raise ValidationError("digits only, with an optional leading +")
        return text


def access_code() -> fields.String:
    return fields.String(allow_none=True, validate=validate.Regexp(
        r"^[0-9]{4,12}$", error="the access code must be 4 to 12 digits"))


class UserSettingsSchema(StrictSchema):
    """EXT-3: what the user may change on their own extension (and read back)."""

    id = fields.Integer(dump_only=True)
    number = fields.String(dump_only=True)
    warnings = fields.List(fields.String(), dump_only=True)
    language = fields.String(validate=LANGUAGE)
    music_on_hold = name_field(80, validate=validate.Length(min=1, error="choose one of the music on hold offered"))
    ring_seconds = seconds()
    dnd = fields.Boolean()
    dnd_mode = fields.String(validate=one_of(DND_MODES))
    busy_behaviour = fields.String(validate=one_of(BUSY_BEHAVIOURS))
    forward_mode = fields.String(validate=one_of(FORWARD_MODES))
    forward_destination = DialString(allow_none=True)
    voicemail_enabled = fields.Boolean()
    voicemail_email = fields.Email(allow_none=True)
    fmfm_enabled = fields.Boolean()
    fmfm_number = DialString(allow_none=True)
    fmfm_ring_seconds = seconds()
    fmfm_music_on_hold = fields.Boolean()
    fmfm_screening = fields.Boolean()
    fmfm_skip_greeting = fields.Boolean()
    fmfm_pass_caller_id = fields.Boolean()
    fmfm_extra_attempts = seconds(5)

    @pre_load
    def _blank_is_none(self, data: Any, **kwargs: Any) -> Any:
        """Forms send "" for an emptied box; for these fields it means "none"."""
        if isinstance(data, dict):
            return {k: (None if k in NULLABLE and v == "" else v) for k, v in data.items()}
        return data


class AdminSettingsSchema(UserSettingsSchema):
    """EXT-3 and EXT-4: everything an account administrator may change."""

    caller_id_name = name_field(80)
    recording = fields.String(validate=one_of(RECORDING_MODES))
    pickup_allowed = fields.Boolean()
    listed_in_directory = fields.Boolean()
    long_distance = fields.String(validate=one_of(TOLL_MODES))
    long_distance_code = access_code()
    international = fields.String(validate=one_of(TOLL_MODES))
    international_code = access_code()
    uc_enabled = fields.Boolean()
    video_enabled = fields.Boolean()
    outbound_caller_id_name = name_field(15, allow_none=True)
    outbound_caller_id_number = DialString(allow_none=True)
    hide_caller_id = fields.Boolean()


class QuickEditRowSchema(AdminSettingsSchema):
    id = id_field(required=True, strict=True)


class _RowAsGiven(fields.Nested):
    """Documented as a QuickEditRow, loaded as given: :meth:`QuickEditSchema._rows` checks each
    row so that its errors are keyed by the extension id (``"12.ring_seconds"``), like the cells
    of the quick edit table, not by the row's position in the list."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, dict):
            raise ValidationError("Not a valid mapping type.")
        return value


class QuickEditSchema(StrictSchema):
    """EXT-5: ``{"extensions": [{"id": 12, "ring_seconds": 30, ...}, ...]}``, loaded as
    ``{12: {"ring_seconds": 30, ...}}``; errors are keyed ``"<id>.<field>"`` like the cells."""

    extensions = fields.List(_RowAsGiven(QuickEditRowSchema), required=True,
                             validate=validate.Length(min=1, max=MAX_QUICK_EDIT_ROWS),
                             metadata={"description": "One object per extension: its ``id`` and any field of "
                                                      "AdminSettings to change."})

    @post_load
    def _rows(self, data: dict, **kwargs: Any) -> dict[int, dict]:
        rows: dict[int, dict] = {}
        errors: dict[str, list[str]] = {}
        for index, raw in enumerate(data["extensions"]):
            ext_id = raw.get("id")
            if not isinstance(ext_id, int) or isinstance(ext_id, bool):
                errors[f"extensions.{index}"] = ["each row needs the extension id"]
            elif ext_id in rows:
                errors[f"{ext_id}.id"] = ["this extension appears twice"]
            else:
                rows[ext_id] = _row(ext_id, raw, errors)
        if errors:
            raise ValidationError(errors)
        return rows


def _row(ext_id: int, raw: dict, errors: dict[str, list[str]]) -> dict:
    try:
        row = QuickEditRowSchema().load(raw)
    except ValidationError as exc:
        errors.update({f"{ext_id}.{name}": list(messages) for name, messages in exc.messages.items()})
        return {}
    row.pop("id")
    return row


class QuickEditResultSchema(StrictSchema):
    extensions = fields.List(fields.Nested(AdminSettingsSchema), dump_only=True)
    warnings = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), dump_only=True)
