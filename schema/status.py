"""Live status and click-to-call shapes (STAT-1..3, PARK-2) for the REST API."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from fs_service.status.queries import SORTS, STATES

from .common import StrictSchema, Timestamp


def _one_of(choices: tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(choices, error=f"must be one of: {', '.join(choices)}")


class StatusQuerySchema(StrictSchema):
    """``q`` matches the number or the name; no ``state``: every state."""
    state = fields.String(load_default=None, validate=_one_of(STATES))
    sort = fields.String(load_default="number", validate=_one_of(SORTS))
    q = fields.String(load_default="", validate=validate.Length(max=40))


class ExtensionStateSchema(Schema):
    extension_id = fields.Integer()
    number = fields.String()
    name = fields.String()
    state = fields.String(metadata={"enum": list(STATES)})
    registrations = fields.Integer()
    active_calls = fields.Integer()


class FlatRecords(fields.List):
    """A list of flat records (ints and strings under the nested schema's field names), dumped
    by reading those attributes: the JSON ``fields.Nested`` gives, and documented as it, at a
    tenth of its cost. The status API's extensions are dumped on every poll (a status page or a
    wallboard polls several times a second) in ``pbx run``'s event loop, which also handles
    FreeSWITCH's events: marshmallow's per-field dump was a third of a poll's time."""

    def __init__(self, schema: type[Schema], **kwargs) -> None:
        super().__init__(fields.Nested(schema), **kwargs)
        self.names = tuple(schema._declared_fields)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        names = self.names
        return [{name: getattr(item, name) for name in names} for item in value]


class ParkedCallSchema(Schema):
    slot = fields.String()
    node = fields.String(metadata={"description": "the FreeSWITCH node holding the call: each node has its "
                                                  "own lots, so the same slot may be held on two nodes"})
    caller_number = fields.String()
    caller_name = fields.String()
    parked_by = fields.String(allow_none=True)
    parked_at = Timestamp()
    duration_seconds = fields.Integer()


class NodeHealthSchema(Schema):
    name = fields.String()
    up = fields.Boolean()
    since = Timestamp(allow_none=True)
    error = fields.String(allow_none=True)


class LiveStatusSchema(Schema):
    """Output of fs_service.status.queries.LiveStatus."""
    extensions = FlatRecords(ExtensionStateSchema)
    parked_calls = fields.List(fields.Nested(ParkedCallSchema), attribute="parked")
    nodes = fields.List(fields.Nested(NodeHealthSchema))


class CallCreateSchema(StrictSchema):
    target = fields.String(required=True, validate=validate.Regexp(r"^[0-9]{2,5}$", error="use 2 to 5 digits"))


class CallPlacedSchema(Schema):
    job_id = fields.String()
    from_extension = fields.String()
    target = fields.String(attribute="destination")
    ring_seconds = fields.Integer()
