"""The demo account printed by ``make run``: an operator, the "Acme" company, a few people."""
from __future__ import annotations

import secrets

import sqlalchemy as sa

from fs_service import accounts, extensions
from fs_service.auth import hash_password
from fs_service.db import db
from fs_service.extensions import Assignment
from fs_service.models import Account, Extension, User

DOMAIN = "acme.test"
PEOPLE = (("100", "Alice", "Tremblay", "alice@acme.test"), ("101", "Bruno", "Gagnon", "bruno@acme.test"),
          ("102", "Chloé", "Roy", "chloe@acme.test"))


def _fresh_password(user: User) -> str:
    password = secrets.token_urlsafe(9)
    user.password_hash = hash_password(password)
    return password


def _ensure_account() -> tuple[Account, User]:
    account = db.session.scalar(sa.select(Account).where(Account.sip_domain == DOMAIN))
    if account is None:
        return accounts.create_account(name="Acme", sip_domain=DOMAIN, language="fr",
                                       admin_email="admin@acme.test", admin_first_name="Adèle",
                                       admin_last_name="Admin")
    return account, accounts.find_user_by_email("admin@acme.test")


def _ensure_people(account: Account) -> list[Extension]:
    result = []
    for number, first, last, email in PEOPLE:
        ext = db.session.scalar(sa.select(Extension).where(Extension.account_id == account.id,
                                                           Extension.number == number))
        if ext is None:
            ext, _ = extensions.create_extension(account, number=number, assignment=Assignment(
                mode="new_user", first_name=first, last_name=last, email=email))
        result.append(ext)
    return result


def seed(settings) -> list[str]:
    """Create what is missing and give every demo login a new password (shown once)."""
    operator = accounts.find_user_by_email("operator@pbx.local") or accounts.create_user(
        None, email="operator@pbx.local", first_name="Opérateur", role="operator")
    account, admin = _ensure_account()
    exts = _ensure_people(account)
    logins = [(operator, _fresh_password(operator)), (admin, _fresh_password(admin))]
    logins += [(ext.user, _fresh_password(ext.user)) for ext in exts if ext.user]
    db.session.commit()
    url = settings.resolved_public_url
    lines = [f"Demo ready: open {url}/ and log in with one of:"]
    lines += [f"  {user.role:<8} {user.email:<22} password: {password}" for user, password in logins]
    first = exts[0]
    lines.append(f"SIP phone for extension {first.number}: user {first.number}, domain {DOMAIN}, "
                 f"server {settings.resolved_sip_server}:{settings.sip_port}, password {first.sip_password}")
    return lines
