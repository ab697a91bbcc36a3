"""Carrier gateways, as typed by the operator (issue 3), and an account's gateway choice.

Shapes only, with the core's own name and proxy rules (fs_service.gateways); the core checks
what needs the database (a free name, an existing account, who uses the gateway). The
password is write-only: it is loaded, never dumped; the output says whether one is set.
"""
from __future__ import annotations

from typing import Callable

from marshmallow import ValidationError, fields, validate

from fs_service.gateways import name_problem, proxy_problem

from .common import StrictSchema, name_field


def _rule(problem: Callable[[str], str | None]) -> Callable[[str], None]:
    """A marshmallow validator from a core rule, so the API and the core say the same words."""
    def check(value: str) -> None:
        if message := problem(value):
            raise ValidationError(message)
    return check


class GatewayCreateSchema(StrictSchema):
    name = fields.String(required=True, validate=_rule(name_problem))
    proxy = fields.String(required=True, validate=_rule(proxy_problem))
    username = name_field(80, load_default="", validate=validate.Regexp(r"^\S*$", error="no spaces"))
    password = name_field(128, load_default="", load_only=True)
    register = fields.Boolean(load_default=False)
    enabled = fields.Boolean(load_default=True)
    account_id = fields.Integer(load_default=None, allow_none=True)  # None: global


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
    gateway_id = fields.Integer(required=True, allow_none=True)


class AccountGatewayOutSchema(StrictSchema):
    account_id = fields.Integer(attribute="id", dump_only=True)
    gateway_id = fields.Integer(dump_only=True, allow_none=True)
