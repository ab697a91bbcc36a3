"""Company numbers, treatments and the schedule preview: inputs and outputs (HRS, guide 4, 5).

Shapes only; the core (fs_service.numbers.rules, .treatments) checks what needs the database:
a free number, a known time zone, treatments and targets of the same account, loops.
"""
from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from fs_service.models.numbers import MESSAGE_THEN, TREATMENT_KINDS
from fs_service.sound_files import RULE as SOUND_RULE

from .common import FullMatch, LocalTimestamp, StrictSchema, bounded_years, id_field, name_field

# fs_service.numbering.nanp_e164's rule, spelled out: an optional +1 (or 1), then NXX NXX XXXX
# (N is 2-9; an N11 code is not a number), with spaces, dots, dashes or parentheses anywhere.
_S = "[ ().-]*"
_NXX = f"[2-9]{_S}([02-9]{_S}[0-9]|1{_S}[02-9])"
E164_SHAPE = [validate.Length(max=20),
              FullMatch(f"^{_S}(\\+{_S}1{_S}|1{_S})?{_NXX}{_S}{_NXX}{_S}([0-9]{_S}){{4}}$",
                              error="not a North American number: +1 then 10 digits (e.g. +15145550100)")]
TIMEZONE = validate.Regexp(r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$", error="an IANA time zone name")
# The shape only (a shipped prompt or an absolute WAV path); fs_service.sound_files decides
# whether the account may play it (its own upload, or a prompt that exists).
SOUND_PATH = validate.Regexp(r"^(pbx/[a-z0-9-]{1,64}|/[A-Za-z0-9_./-]{1,250})\.wav$", error=SOUND_RULE)
TARGETS = {"extension": "extension_id", "mailbox": "mailbox_id", "menu": "menu_id", "message": "message_path"}


def one_of(values) -> validate.OneOf:
    return validate.OneOf(values, error="must be one of: " + ", ".join(values))


class NumberCreateSchema(StrictSchema):
    """The operator assigns a number to an account."""
    e164 = fields.String(required=True, validate=E164_SHAPE)
    label = name_field(80, load_default="")
    timezone = fields.String(load_default=None, allow_none=True, validate=TIMEZONE)
    is_fax = fields.Boolean(load_default=False)


class NumberUpdateSchema(StrictSchema):
    label = name_field(80)
    timezone = fields.String(validate=TIMEZONE)
    open_treatment_id = id_field(allow_none=True)
    closed_treatment_id = id_field(allow_none=True)
    is_fax = fields.Boolean()
    fax_confirmation_email = fields.Boolean()
    fax_inbound_emails = fields.String(validate=validate.Length(max=2000))


class ClosureMessageSchema(StrictSchema):
    """Upload/replace (a path) or delete (null) the exceptional closure message (HRS-4)."""
    closure_message_path = fields.String(required=True, allow_none=True, validate=SOUND_PATH)


class NumberSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    e164 = fields.String(dump_only=True)
    label = fields.String(dump_only=True)
    timezone = fields.String(dump_only=True)
    open_treatment_id = fields.Integer(dump_only=True, allow_none=True)
    closed_treatment_id = fields.Integer(dump_only=True, allow_none=True)
    closure_code = fields.String(dump_only=True)
    closure_password = fields.String(dump_only=True)  # shown to account admins, as in guide 5
    closure_message_path = fields.String(dump_only=True, allow_none=True)
    is_fax = fields.Boolean(dump_only=True)
    fax_confirmation_email = fields.Boolean(dump_only=True)
    fax_inbound_emails = fields.String(dump_only=True)


class TreatmentSchema(StrictSchema):
    """Input (create) and output of a treatment; the target field depends on ``kind``."""
    id = fields.Integer(dump_only=True)
    kind = fields.String(required=True, validate=one_of(TREATMENT_KINDS), metadata={"description": (
        "Each kind needs its target: " + ", ".join(f"{kind} needs {field}" for kind, field in TARGETS.items())
        + "; a message with message_then=continue needs next_treatment_id.")})
    extension_id = id_field(load_default=None, allow_none=True)
    mailbox_id = id_field(load_default=None, allow_none=True)
    menu_id = id_field(load_default=None, allow_none=True)
    message_path = fields.String(load_default=None, allow_none=True, validate=SOUND_PATH)
    message_then = fields.String(load_default="hangup", validate=one_of(MESSAGE_THEN))
    next_treatment_id = id_field(load_default=None, allow_none=True)

    @validates_schema
    def _target_present(self, data: dict, **kwargs) -> None:
        field = TARGETS.get(data.get("kind"))
        if field and data.get(field) is None:
            raise ValidationError({field: [f"required for a {data['kind']} treatment"]})
        if data.get("kind") == "message" and data.get("message_then") == "continue" \
                and data.get("next_treatment_id") is None:
            raise ValidationError({"next_treatment_id": ["choose what follows the message"]})


# Time zone data before 1900 gives local mean time (offsets such as -05:17:32, not RFC 3339)
# and a preview of calls long past or far ahead answers no real question.
PREVIEW_YEARS = (2000, 2099)


class PreviewQuerySchema(StrictSchema):
    """"What happens if someone calls at …": a time without offset is the number's local time."""
    at = fields.DateTime(required=True, **bounded_years(*PREVIEW_YEARS))


class DecisionSchema(StrictSchema):
    state = fields.String(dump_only=True)
    treatment_id = fields.Integer(dump_only=True, allow_none=True)
    default_closed = fields.Boolean(dump_only=True)
    reason = fields.String(dump_only=True)
    rule_id = fields.Integer(dump_only=True, allow_none=True)
    local_time = LocalTimestamp(dump_only=True, metadata={"description": "RFC 3339 with the number's offset"})
