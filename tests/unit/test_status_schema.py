"""The status API's extension list is dumped by reading attributes (schema.status.FlatRecords):
the JSON must be exactly what marshmallow's Nested dump gives, and documented the same way."""
from __future__ import annotations

from marshmallow import Schema, fields

from fs_service.status.queries import ExtensionState
from schema.status import ExtensionStateSchema, FlatRecords, LiveStatusSchema


class _Nested(Schema):
    extensions = fields.List(fields.Nested(ExtensionStateSchema))


def test_flat_records_dump_exactly_as_the_nested_schema():
    states = [ExtensionState(7, "100", "Zoé Aubry", "in_call", 2, 1),
              ExtensionState(8, "101", "", "disconnected", 0, 0)]
    fast = LiveStatusSchema(only=("extensions",)).dump({"extensions": states})
    assert fast == _Nested().dump({"extensions": states})
    assert list(fast["extensions"][0]) == list(ExtensionStateSchema._declared_fields)


def test_flat_records_stay_a_documented_list_of_the_nested_schema():
    field = LiveStatusSchema._declared_fields["extensions"]
    assert isinstance(field, FlatRecords) and isinstance(field, fields.List)
    assert isinstance(field.inner, fields.Nested) and field.inner.nested is ExtensionStateSchema
