"""Per-resource factories: ``make_x(**overrides)`` builds a valid object through the core."""
from __future__ import annotations

import itertools

from fs_service.accounts import rules as accounts
from fs_service.db import db, utcnow
from fs_service.extensions import rules as extensions
from fs_service.extensions.rules import Assignment
from fs_service.models import Account, ActiveChannel, Extension, User

_seq = itertools.count(1)
PASSWORD = "correct horse battery"
_PASSWORD_HASH: list[str] = []  # scrypt is slow on purpose: hash the shared test password once


def password_hash() -> str:
    if not _PASSWORD_HASH:
        _PASSWORD_HASH.append(accounts.hash_password(PASSWORD))
    return _PASSWORD_HASH[0]


def make_account(name: str | None = None, sip_domain: str | None = None, **overrides) -> tuple[Account, User]:
    n = next(_seq)
    values = dict(name=name or f"Company {n}", sip_domain=sip_domain or f"c{n}.example.com",
                  language="fr", admin_email=f"admin{n}@example.com", admin_first_name="Ada",
                  admin_last_name=f"Admin{n}")
    values.update(overrides)
    account, admin = accounts.create_account(**values)
    admin.password_hash = password_hash()
    db.session.commit()
    return account, admin


def _make_login(account: Account | None, role: str, prefix: str, first_name: str, last_name: str,
                overrides: dict) -> User:
    n = next(_seq)
    values = dict(email=f"{prefix}{n}@example.com", first_name=first_name, last_name=f"{last_name}{n}", role=role)
    values.update(overrides)
    user = accounts.create_user(account, **values)
    if user.password_hash is None:
        user.password_hash = password_hash()
    db.session.commit()
    return user


def make_user(account: Account, role: str = "user", **overrides) -> User:
    return _make_login(account, role, "user", "Uma", "User", overrides)


# Operators always log in with two-factor (fs_service.accounts.two_factor): test operators have it set up
# with this key, so tests log in the way a real one does (tests.helpers.ui_login / totp_code).
OPERATOR_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def make_operator(**overrides) -> User:
    user = _make_login(None, "operator", "operator", "Oscar", "Operator", overrides)
    user.totp_secret, user.totp_enabled_at = OPERATOR_TOTP_SECRET, utcnow()
    db.session.commit()
    return user


def make_extension(account: Account, number: str | None = None, user: User | None = None,
                   **overrides) -> Extension:
    assignment = Assignment(mode="existing_user", user_id=user.id) if user else Assignment()
    ext, _ = extensions.create_extension(account, number=number, assignment=assignment, **overrides)
    db.session.commit()
    return ext


def make_live_leg(sip_user: str, sip_domain: str, uuid: str | None = None) -> str:
    """A live call leg of a phone, as the ESL listener records it (the transferor of a blind
    transfer is looked up here through the transferred leg's ``last_bridge_to``)."""
    leg = ActiveChannel(uuid=uuid or f"leg-{sip_user}-{next(_seq)}", node="fs1", sip_user=sip_user,
                        sip_domain=sip_domain, state="answered")
    db.session.add(leg)
    db.session.commit()
    return leg.uuid
