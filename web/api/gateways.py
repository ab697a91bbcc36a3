"""Carrier gateways (issue 3): the operator lists, creates, changes and deletes the trunks, and
chooses each account's gateway. Operator only; the password is accepted, never returned."""
from __future__ import annotations

from fs_service import gateways as core
from fs_service.access import account_for, require_operator
from fs_service.models import Account, Gateway
from schema.gateways import (AccountGatewayOutSchema, AccountGatewaySchema, GatewayCreateSchema, GatewaySchema,
                             GatewayUpdateSchema)

from .base import PREFIX, ApiBlueprint, actor, commit

bp = ApiBlueprint("api_gateways", __name__, url_prefix=PREFIX,
                  description="Carrier gateways (operator only) and each account's gateway")


def _operator() -> None:
    require_operator(actor())


@bp.route("/gateways", methods=["GET"])
@bp.response(200, GatewaySchema(many=True))
def list_gateways() -> list[Gateway]:
    _operator()
    return core.list_gateways()


@bp.route("/gateways", methods=["POST"])
@bp.arguments(GatewayCreateSchema)
@bp.response(201, GatewaySchema)
def create_gateway(data: dict) -> Gateway:
    """An enabled gateway is started on every FreeSWITCH node once saved."""
    _operator()
    gateway = core.create_gateway(**data)
    commit()
    return gateway


@bp.route("/gateways/<int:gateway_id>", methods=["GET"])
@bp.response(200, GatewaySchema)
def get_gateway(gateway_id: int) -> Gateway:
    _operator()
    return core.get_gateway(gateway_id)


@bp.route("/gateways/<int:gateway_id>", methods=["PATCH"])
@bp.arguments(GatewayUpdateSchema)
@bp.response(200, GatewaySchema)
def update_gateway(data: dict, gateway_id: int) -> Gateway:
    """Only the fields sent change; an empty password keeps the stored one."""
    _operator()
    gateway = core.update_gateway(core.get_gateway(gateway_id), data)
    commit()
    return gateway


@bp.route("/gateways/<int:gateway_id>", methods=["DELETE"])
@bp.response(204)
def delete_gateway(gateway_id: int) -> None:
    """Accounts that used it fall back to the global gateway."""
    _operator()
    core.delete_gateway(core.get_gateway(gateway_id))
    commit()


def _account(account_id: int) -> Account:
    user = actor()
    require_operator(user)
    return account_for(user, account_id)


@bp.route("/accounts/<int:account_id>/gateway", methods=["GET"])
@bp.response(200, AccountGatewayOutSchema)
def get_account_gateway(account_id: int) -> Account:
    """``gateway_id`` null: the account's calls use the first enabled global gateway."""
    return _account(account_id)


@bp.route("/accounts/<int:account_id>/gateway", methods=["PUT"])
@bp.arguments(AccountGatewaySchema)
@bp.response(200, AccountGatewayOutSchema)
def set_account_gateway(data: dict, account_id: int) -> Account:
    """A global gateway or one reserved to this account; null = back to the global gateway."""
    account = _account(account_id)
    core.set_account_gateway(account, data["gateway_id"])
    commit()
    return account
