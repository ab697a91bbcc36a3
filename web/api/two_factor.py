"""Two-factor authentication over the API (issue 14): one's own state, setting it up, recovery
codes, turning it off; an admin's reset of a user who lost their phone; the account's rule."""
from __future__ import annotations

from fs_service.accounts import two_factor
from fs_service.db import db
from fs_service.errors import NotFound
from fs_service.models import Account, User
from schema.accounts import AccountSchema
from schema.two_factor import (AccountSecuritySchema, CodeSchema, RecoveryCodesSchema, TwoFactorEnableSchema,
                               TwoFactorSecretSchema, TwoFactorStateSchema)

from .base import PREFIX, ApiBlueprint, actor, commit, scoped

bp = ApiBlueprint("api_two_factor", __name__, url_prefix=PREFIX,
                  description="Two-factor authentication (TOTP) and recovery codes")


def _state(user: User) -> dict:
    enabled = two_factor.enabled(user)
    return {"enabled": enabled, "required": two_factor.required_for(user),
            "recovery_codes_left": two_factor.recovery_codes_left(user) if enabled else 0}


@bp.route("/me/two-factor", methods=["GET"])
@bp.response(200, TwoFactorStateSchema)
def state() -> dict:
    return _state(actor())


@bp.route("/me/two-factor/secret", methods=["POST"])
@bp.response(201, TwoFactorSecretSchema)
def new_secret() -> dict:
    """A fresh key to put in the authenticator app; nothing is stored until ``POST /me/two-factor``."""
    secret = two_factor.new_secret()
    return {"secret": secret, "otpauth_uri": two_factor.provisioning_uri(actor(), secret)}


@bp.route("/me/two-factor", methods=["POST"])
@bp.arguments(TwoFactorEnableSchema)
@bp.response(201, RecoveryCodesSchema)
def enable(data: dict) -> dict:
    """Turn it on; the answer holds the recovery codes, shown this once."""
    codes = two_factor.confirm(actor(), data["secret"], data["code"])
    commit()
    return {"recovery_codes": codes}


@bp.route("/me/two-factor/recovery-codes", methods=["POST"])
@bp.arguments(CodeSchema)
@bp.response(201, RecoveryCodesSchema)
def recovery_codes(data: dict) -> dict:
    """New recovery codes (the old ones stop working); needs a current code."""
    codes = two_factor.regenerate_recovery_codes(actor(), data["code"])
    commit()
    return {"recovery_codes": codes}


@bp.route("/me/two-factor/disable", methods=["POST"])
@bp.arguments(CodeSchema)
@bp.response(200, TwoFactorStateSchema)
def disable(data: dict) -> dict:
    """Refused (403 two_factor_required) for operators and for admins whose account requires it."""
    user = actor()
    two_factor.disable(user, data["code"])
    commit()
    return _state(user)


@bp.route("/accounts/<int:account_id>/users/<int:user_id>/two-factor", methods=["DELETE"])
@bp.response(204)
def reset(account_id: int, user_id: int) -> None:
    """An admin (or the operator) clears a user's two-factor: lost phone and recovery codes."""
    user, account = scoped(account_id, admin=True)
    target = db.session.get(User, user_id)
    if target is None or target.account_id != account.id:
        raise NotFound("user not found")
    two_factor.reset(user, target)
    commit()


@bp.route("/accounts/<int:account_id>/security", methods=["PATCH"])
@bp.arguments(AccountSecuritySchema)
@bp.response(200, AccountSchema)
def account_security(data: dict, account_id: int) -> Account:
    """Whether the account's admins must log in with two-factor too (operators always do)."""
    user, account = scoped(account_id, admin=True)
    two_factor.set_admins_rule(user, account, data["admins_require_two_factor"])
    commit()
    return account
