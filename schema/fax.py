"""Fax inputs and outputs (FAX-1..7, guide 6): the send form / API body, the outbox and inbox
rows, the fax number settings and the fax right.

Shapes only; the core (fs_service.fax) checks what needs the database: the sender numbers
belong to the account and are fax numbers, the destination can be called, the documents pass
the PDF rules (FAX-4). Every cover field is required (guide 6.3: "TOUS les champs").
"""
from __future__ import annotations

import re

from marshmallow import fields, validate

from .common import LANGUAGE, FullMatch, StrictSchema, Timestamp, id_field, name_field

PHONE_SHAPE = validate.Regexp(r"^\+?[0-9 ().-]{3,24}$",
                              error="a phone number: digits, spaces, ( ) . - and an optional +")
PURGED = "when the pages were deleted (PBX_FAX_RETENTION_DAYS); the row stays as history"
# Comments may span lines (tab, CR, LF); other control characters are refused.
TEXT_BLOCK = FullMatch(r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$", error="must not contain control characters")


def _required_text(max_length: int) -> fields.String:
    return name_field(max_length, required=True, validate=validate.Length(min=1, error="This field is required."))


def _digits(value: str) -> str:
    return re.sub(r"[^0-9+]", "", value)


class FaxSendSchema(StrictSchema):
    """A fax to send: the cover page (FAX-3), its options (FAX-2) and the destination."""
    destination = fields.String(required=True, validate=PHONE_SHAPE)
    sender_number_id = id_field(required=True, metadata={"description": "a fax number of the account"})
    sender_phone_id = id_field(required=True, metadata={"description": "any number of the account"})
    language = fields.String(load_default="fr", validate=LANGUAGE)
    subject = _required_text(200)
    to_name = _required_text(100)
    to_company = _required_text(100)
    to_phone = fields.String(required=True, validate=PHONE_SHAPE)
    from_name = _required_text(100)
    from_company = _required_text(100)
    comments = fields.String(required=True, validate=[validate.Length(min=1, max=10000), TEXT_BLOCK])
    hide_recipient_phone = fields.Boolean(load_default=False)
    hide_sender_phone = fields.Boolean(load_default=False)
    hide_sender_fax = fields.Boolean(load_default=False)
    remember_subject = fields.Boolean(load_default=False)
    remember_company = fields.Boolean(load_default=False)


def normalised(data: dict) -> dict:
    """Numbers as digits (with the leading +) once the shape is checked."""
    return {**data, "destination": _digits(data["destination"]), "to_phone": data["to_phone"].strip()}


class FaxJobSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    state = fields.String(dump_only=True,
                          metadata={"description": "queued, sending, retrying, sent, failed, cancelled or unknown "
                                                   "(the try ended unheard and no record of it came: not resent)"})
    toll_class = fields.String(dump_only=True, allow_none=True,
                               metadata={"description": "local, long_distance, international or toll_free"})
    destination = fields.String(dump_only=True)
    recipient_name = fields.String(dump_only=True)
    subject = fields.String(dump_only=True)
    sender_number_id = fields.Integer(dump_only=True, allow_none=True)
    user_id = fields.Integer(dump_only=True, allow_none=True)
    pages_sent = fields.Integer(dump_only=True)
    pages_total = fields.Integer(dump_only=True, metadata={"description": "including the cover page"})
    attempts = fields.Integer(dump_only=True)
    ladder_rung = fields.Integer(dump_only=True)
    line_retries = fields.Integer(dump_only=True)
    failure_class = fields.String(dump_only=True, allow_none=True)
    result_code = fields.Integer(dump_only=True, allow_none=True)
    result_text = fields.String(dump_only=True, allow_none=True, metadata={"description": "spandsp's reason"})
    remote_station_id = fields.String(dump_only=True, allow_none=True)
    duration_seconds = fields.Integer(dump_only=True, allow_none=True)
    outcome_due_by = Timestamp(allow_none=True, metadata={
        "description": "set while a try that ended unheard awaits the switch's record (then unknown)"})
    outcome_source = fields.String(dump_only=True, allow_none=True,
                                   metadata={"description": "event, cdr, originate or watchdog"})
    next_attempt_at = Timestamp(allow_none=True)
    confirmation_sent_at = Timestamp(allow_none=True)
    files_purged_at = Timestamp(allow_none=True, metadata={"description": PURGED})
    created_at = Timestamp()
    updated_at = Timestamp()


class ReceivedFaxSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    number_id = fields.Integer(dump_only=True, allow_none=True)
    caller_number = fields.String(dump_only=True)
    remote_station_id = fields.String(dump_only=True, allow_none=True)
    pages = fields.Integer(dump_only=True)
    ready = fields.Function(lambda row: row.pdf_path is not None and row.files_purged_at is None, dump_only=True,
                            metadata={"description": "the PDF is stored and can be downloaded"})
    result_text = fields.String(dump_only=True, allow_none=True, metadata={"description": "set when incomplete"})
    error = fields.String(dump_only=True, allow_none=True)
    emailed_at = Timestamp(allow_none=True)
    files_purged_at = Timestamp(allow_none=True, metadata={"description": PURGED})
    created_at = Timestamp()


class DocumentVerdictSchema(StrictSchema):
    filename = fields.String(dump_only=True)
    ok = fields.Boolean(dump_only=True)
    pages = fields.Integer(dump_only=True, allow_none=True)
    error_id = fields.String(dump_only=True, allow_none=True)
    message = fields.String(dump_only=True, allow_none=True)


class FaxNumberSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    e164 = fields.String(dump_only=True)
    label = fields.String(dump_only=True)
    is_fax = fields.Boolean(dump_only=True)
    fax_confirmation_email = fields.Boolean(dump_only=True)
    fax_inbound_emails = fields.String(dump_only=True)


class FaxNumberUpdateSchema(StrictSchema):
    """``is_fax`` and ``fax_confirmation_email``: the operator; ``fax_inbound_emails``: admins."""
    is_fax = fields.Boolean()
    fax_confirmation_email = fields.Boolean()
    fax_inbound_emails = fields.String(validate=validate.Length(max=2000))


class FaxUserSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    email = fields.String(dump_only=True)
    full_name = fields.String(dump_only=True)
    role = fields.String(dump_only=True)
    can_fax = fields.Boolean(dump_only=True)


class FaxRightSchema(StrictSchema):
    can_fax = fields.Boolean(required=True)
