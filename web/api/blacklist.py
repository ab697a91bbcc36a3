"""Blacklist rules of an account (BL-1..3): list with search, create, read, change, delete one,
delete all (``confirm: true`` required). Admin-only: users get 403, other tenants 404.

``digits`` is digits only ("514 907-3400" is a 400 naming the field); duplicates are refused.
Anonymous, private or missing caller numbers are never matched (fs_service.blacklist.match).
"""
from __future__ import annotations

from marshmallow import fields

from fs_service.blacklist import rules as core
from fs_service.models import BlacklistRule
from schema.blacklist import DeleteAllRulesSchema, RuleCreateSchema, RuleSchema, RuleSearchSchema, RuleUpdateSchema
from schema.common import StrictSchema

from .base import PREFIX, ApiBlueprint, commit, scoped

bp = ApiBlueprint("api_blacklist", __name__, url_prefix=f"{PREFIX}/accounts/<int:account_id>/blacklist",
                  description="Blacklist rules: block or allow callers by their number")
ONE = "/<int:rule_id>"


class DeletedSchema(StrictSchema):
    deleted = fields.Integer(dump_only=True)


@bp.route("", methods=["GET"])
@bp.arguments(RuleSearchSchema, location="query")
@bp.response(200, RuleSchema(many=True))
def list_rules(query: dict, account_id: int) -> list[BlacklistRule]:
    """Newest first. ``search`` matches the digits, the action or the match kind (FR or EN words)."""
    _, account = scoped(account_id, admin=True)
    return core.list_rules(account, query["search"])


@bp.route("", methods=["POST"])
@bp.arguments(RuleCreateSchema)
@bp.response(201, RuleSchema)
def create_rule(data: dict, account_id: int) -> BlacklistRule:
    """``action`` block (default) or allow; ``match`` equals (default), starts_with, ends_with, contains."""
    _, account = scoped(account_id, admin=True)
    rule = core.create_rule(account, **data)
    commit()
    return rule


@bp.route("/delete-all", methods=["POST"])
@bp.arguments(DeleteAllRulesSchema)
@bp.response(200, DeletedSchema)
def delete_all_rules(data: dict, account_id: int) -> dict:
    """Every rule of the account goes; the body must say ``{"confirm": true}`` (guide 8.5)."""
    _, account = scoped(account_id, admin=True)
    removed = core.delete_all_rules(account)
    commit()
    return {"deleted": removed}


@bp.route(ONE, methods=["GET"])
@bp.response(200, RuleSchema)
def get_rule(account_id: int, rule_id: int) -> BlacklistRule:
    _, account = scoped(account_id, admin=True)
    return core.get_rule(account, rule_id)


@bp.route(ONE, methods=["PATCH"])
@bp.arguments(RuleUpdateSchema)
@bp.response(200, RuleSchema)
def update_rule(changes: dict, account_id: int, rule_id: int) -> BlacklistRule:
    _, account = scoped(account_id, admin=True)
    rule = core.update_rule(account, core.get_rule(account, rule_id), changes)
    commit()
    return rule


@bp.route(ONE, methods=["DELETE"])
@bp.response(204)
def delete_rule(account_id: int, rule_id: int) -> None:
    _, account = scoped(account_id, admin=True)
    core.delete_rule(account, core.get_rule(account, rule_id))
    commit()
