"""The audit log as the API and the page read it (issue 14)."""
from __future__ import annotations

from marshmallow import fields, validate

from fs_service.models.audit import AUDIT_ACTIONS

from .common import StrictSchema, Timestamp, id_field


class AuditQuerySchema(StrictSchema):
    object_type = fields.String(load_default=None, validate=validate.Length(max=64))
    action = fields.String(load_default=None, validate=validate.OneOf(AUDIT_ACTIONS))
    before_id = id_field(load_default=None)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class AuditEventSchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    created_at = Timestamp()
    account_id = fields.Integer(dump_only=True, allow_none=True)
    actor_id = fields.Integer(dump_only=True, allow_none=True)
    actor_email = fields.String(dump_only=True)
    source = fields.String(dump_only=True)
    action = fields.String(dump_only=True)
    object_type = fields.String(dump_only=True)
    object_id = fields.String(dump_only=True)
    changes = fields.Dict(dump_only=True)
    remote_addr = fields.String(dump_only=True)


class AuditPageSchema(StrictSchema):
    items = fields.List(fields.Nested(AuditEventSchema), dump_only=True)
    next_before_id = fields.Integer(dump_only=True, allow_none=True)
