"""Accounts (tenants) and their users (ACC-1, ACC-3)."""
from __future__ import annotations

import re

import sqlalchemy as sa

from ..access import owned
from ..db import db
from ..errors import ValidationFailed
from ..models import Account, User
from .login import check_password_rules, hash_password, normalise_email

DOMAIN_PATTERN = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _check_email_free(email: str) -> None:
    if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise ValidationFailed.field("email", "this email is already used by another login",
                                     error_id="email_taken")


def create_user(account: Account | None, *, email: str, first_name: str = "", last_name: str = "",
                role: str = "user", language: str | None = None, password: str | None = None) -> User:
    """Create a login. Without a password the user sets one through the emailed link."""
    email = normalise_email(email)
    _check_email_free(email)
    if role == "operator" and account is not None:
        raise ValidationFailed.field("role", "operators do not belong to an account")
    if role != "operator" and account is None:
        raise ValidationFailed.field("role", "only operators may exist without an account")
    user = User(account_id=account.id if account else None, email=email, first_name=first_name,
                last_name=last_name, role=role,
                language=language or (account.language if account else "fr"))
    if password is not None:
        check_password_rules(password)
        user.password_hash = hash_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def create_account(*, name: str, sip_domain: str, language: str, admin_email: str,
                   admin_first_name: str, admin_last_name: str,
                   timezone: str = "America/Toronto") -> tuple[Account, User]:
    """A new tenant and its first administrator, in one transaction (the caller commits)."""
    sip_domain = sip_domain.strip().lower()
    if not DOMAIN_PATTERN.match(sip_domain):
        raise ValidationFailed.field("sip_domain", "must be a DNS name such as acme.example.com")
    if db.session.scalar(sa.select(Account.id).where(Account.sip_domain == sip_domain)) is not None:
        raise ValidationFailed.field("sip_domain", "this SIP domain is already used by another account",
                                     error_id="domain_taken")
    account = Account(name=name, sip_domain=sip_domain, language=language, timezone=timezone)
    db.session.add(account)
    db.session.flush()
    admin = create_user(account, email=admin_email, first_name=admin_first_name,
                        last_name=admin_last_name, role="admin", language=language)
    return account, admin


def list_accounts() -> list[Account]:
    return list(db.session.scalars(sa.select(Account).order_by(Account.name)))


def list_users(account: Account) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.account_id == account.id)
                                   .order_by(User.last_name, User.first_name, User.email)))


def get_user(account: Account, user_id: int) -> User:
    return owned(account, User, user_id, "user not found")


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def set_language(user: User, language: str) -> None:
    user.language = language
