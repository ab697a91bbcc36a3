"""Carrier gateways, as typed by the operator (issue 3), and an account's gateway choice.

Shapes only, with the core's own name and proxy rules (fs_service.gateways); the core checks
what needs the database (a free name, an existing account, who uses the gateway). The
password is write-only: it is loaded, never dumped; the output says whether one is set.
"""
from __future__ import annotations

from typing import Callable

from marshmallow import ValidationError, fields, validate

from fs_service.gateways import NAME_PATTERN, PROXY_PATTERN, name_problem, proxy_problem

from .common import FullMatch, StrictSchema, id_field, name_field


def _rule(problem: Callable[[str], str | None]) -> Callable[[str], None]:
    """A marshmallow validator from a core rule, so the API and the core say the same words."""
    def check(value: str) -> None:
        if message := problem(value):
            raise ValidationError(message)
    return check


# The core's rules as the OpenAPI document states them (JSON-schema regexes: no named groups;
# the port spelled as 1 to 65535).
_PORT = r"([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
NAME_DOC = {"pattern": f"^{NAME_PATTERN.pattern}$"}
PROXY_DOC = {"pattern": "^" + PROXY_PATTERN.pattern.replace("(?::(?P<port>[0-9]{1,5}))?", f"(:{_PORT})?") + "$",
             "maxLength": 253}


class GatewayCreateSchema(StrictSchema):
    name = fields.String(required=True, validate=_rule(name_problem), metadata=NAME_DOC)
    proxy = fields.String(required=True, validate=_rule(proxy_problem), metadata=PROXY_DOC)
    username = fields.String(load_default="", validate=[validate.Length(max=80), FullMatch(
        r"^([^\s\x00-\x1f\x7f$]|\$+[^\s\x00-\x1f\x7f${])*\$*$", error="no spaces, control characters or '${{'")])
    password = name_field(128, load_default="", load_only=True)
    register = fields.Boolean(load_default=False)
    enabled = fields.Boolean(load_default=True)
    account_id = id_field(load_default=None, allow_none=True)  # None: global


class GatewayUpdateSchema(GatewayCreateSchema):
    """Every field optional; an empty (or absent) password keeps the stored one."""

    def load(self, data, *, many=None, partial=None, unknown=None):
        return super().load(data, many=many, partial=True, unknown=unknown)


class GatewaySchema(StrictSchema):
    id = fields.Integer(dump_only=True)
    name = fields.String(dump_only=True)
    proxy = fields.String(dump_only=True)
    username = fields.String(dump_only=True)
    password_set = fields.Function(lambda gw: bool(gw.password), dump_only=True)
    register = fields.Boolean(dump_only=True)
    enabled = fields.Boolean(dump_only=True)
    account_id = fields.Integer(dump_only=True, allow_none=True)


class AccountGatewaySchema(StrictSchema):
    """An account's gateway: an id, or null for the global gateway."""
    gateway_id = id_field(required=True, allow_none=True)


class AccountGatewayOutSchema(StrictSchema):
    account_id = fields.Integer(attribute="id", dump_only=True)
    gateway_id = fields.Integer(dump_only=True, allow_none=True)
