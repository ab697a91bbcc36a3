"""The emails' delivery state as the API and the "Emails" page read it (issue 16.3)."""
from __future__ import annotations

from marshmallow import fields, validate

from fs_service.models.mail import MAIL_STATES

from .common import StrictSchema, Timestamp, id_field

KINDS = ("voicemail", "invitation", "password_reset", "fax_confirmation", "fax_received")


class MailQuerySchema(StrictSchema):
    state = fields.String(load_default=None, validate=validate.OneOf(MAIL_STATES))
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    before_id = id_field(load_default=None)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class MailDeliverySchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    account_id = fields.Integer(dump_only=True, allow_none=True)
    kind = fields.String(dump_only=True)
    recipient = fields.String(dump_only=True)
    subject = fields.String(dump_only=True)
    state = fields.String(dump_only=True, metadata={"description": "queued, sent or failed"})
    attempts = fields.Integer(dump_only=True)
    next_try_at = Timestamp(allow_none=True)
    last_answer = fields.String(dump_only=True, allow_none=True,
                                metadata={"description": "the SMTP server's last answer (or why not sent)"})
    created_at = Timestamp()
    sent_at = Timestamp(allow_none=True)


class MailPageSchema(StrictSchema):
    items = fields.List(fields.Nested(MailDeliverySchema), dump_only=True)
    next_before_id = fields.Integer(dump_only=True, allow_none=True)
