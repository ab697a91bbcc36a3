"""Accounts (tenants) and their users (ACC-1, ACC-3): the operator creates, admins list."""
from __future__ import annotations

from fs_service.access import account_for, is_operator, require_admin, require_operator
from fs_service.accounts import rules as core
from fs_service.models import Account, User
from schema.accounts import AccountCreatedSchema, AccountCreateSchema, AccountSchema, UserSchema

from .base import PREFIX, ApiBlueprint, actor, commit, welcome

bp = ApiBlueprint("api_accounts", __name__, url_prefix=f"{PREFIX}/accounts",
                  description="Customer accounts and their users")


@bp.route("", methods=["GET"])
@bp.response(200, AccountSchema(many=True))
def list_accounts() -> list[Account]:
    """The operator sees every account; anyone else only their own."""
    user = actor()
    if is_operator(user):
        return core.list_accounts()
    return [account_for(user, user.account_id)]


@bp.route("", methods=["POST"])
@bp.arguments(AccountCreateSchema)
@bp.response(201, AccountCreatedSchema)
def create_account(data: dict) -> dict:
    """Operator only. The admin receives a welcome email to set their password."""
    require_operator(actor())
    account, admin = core.create_account(**data)
    commit()
    welcome(admin)
    return {"account": account, "admin": admin}


@bp.route("/<int:account_id>", methods=["GET"])
@bp.response(200, AccountSchema)
def get_account(account_id: int) -> Account:
    return account_for(actor(), account_id)


@bp.route("/<int:account_id>/users", methods=["GET"])
@bp.response(200, UserSchema(many=True))
def list_users(account_id: int) -> list[User]:
    """Admins only: users see their own profile at /me."""
    user = actor()
    account = account_for(user, account_id)
    require_admin(user, account)
    return core.list_users(account)
