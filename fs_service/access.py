"""Who may see and change what (ACC-1, ACC-3), decided in one place.

Objects of another account are reported as *not found*, never *forbidden*, so one tenant cannot
even learn that another tenant's object exists.
"""
from __future__ import annotations

from typing import Any, TypeVar

from .db import db
from .errors import Forbidden, NotFound
from .models import Account, Extension, User

Row = TypeVar("Row", bound=Any)  # a model with an ``account_id``


def is_operator(actor: User) -> bool:
    return actor.role == "operator"


def account_for(actor: User, account_id: int) -> Account:
    """The account the actor asked for, if the actor belongs to it (operators see all)."""
    if not is_operator(actor) and actor.account_id != account_id:
        raise NotFound("account not found")
    account = db.session.get(Account, account_id)
    if account is None:
        raise NotFound("account not found")
    return account


def is_admin_of(actor: User, account: Account) -> bool:
    return is_operator(actor) or (actor.role == "admin" and actor.account_id == account.id)


def require_admin(actor: User, account: Account) -> None:
    if not is_admin_of(actor, account):
        raise Forbidden("this action is reserved to the account administrators")


def require_operator(actor: User) -> None:
    if not is_operator(actor):
        raise Forbidden("this action is reserved to the operator")


def owned(account: Account, model: type[Row], row_id: int, not_found: str) -> Row:
    """Row ``row_id`` of ``model`` if it belongs to ``account``. Another tenant's row is *not
    found*, exactly like a missing one: nothing of one account is visible to another (ACC-1)."""
    row = db.session.get(model, row_id)
    if row is None or row.account_id != account.id:
        raise NotFound(not_found)
    return row


def can_use_extension(actor: User, extension: Extension) -> bool:
    """Admins manage every extension of their account; a user only the ones assigned to them."""
    account = extension.account
    return is_admin_of(actor, account) or extension.user_id == actor.id


def extension_for(actor: User, account: Account, extension_id: int) -> Extension:
    """An extension of ``account`` the actor may use. A colleague's extension is reported as
    *not found* too: a user learns nothing about extensions they cannot open."""
    ext = owned(account, Extension, extension_id, "extension not found")
    if not can_use_extension(actor, ext):
        raise NotFound("extension not found")
    return ext
