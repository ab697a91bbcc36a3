"""One account with many extensions, written straight into the control plane's database.

The account goes through the core (``create_account``); the extensions and their mailboxes are
bulk-inserted with exactly the columns ``fs_service.extensions.rules.create_extension`` sets
(bench.directory.seed's row builder), and the account's directory token is renewed as the core requires
of bulk SQL (fs_service.directory_versions). ``bench.directory.seed.check_seed`` then asks the real
directory lookup for a sample: a drift between these rows and the core is an error, not a fast
wrong benchmark. Several thousand extensions take a second or two, against minutes through
the REST API.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from bench.directory.seed import Seeded, _ext_row, check_seed
from fs_service.accounts.login import create_api_token
from fs_service.accounts.rules import create_account
from fs_service.db import db
from fs_service.directory_versions import touch
from fs_service.extensions.rules import new_sip_password
from fs_service.models import Extension, Mailbox
from pbx.app import create_app

DOMAIN = "storm.bench.test"


@dataclass(frozen=True)
class Tenant:
    account_id: int
    domain: str
    passwords: dict[str, str]  # extension number -> SIP password
    admin_token: str  # a REST API token of the account's administrator


def numbers(count: int, first: int = 10000) -> list[str]:
    """``count`` valid 5-digit extension numbers (no reserved one lies in 10000..99999)."""
    if first + count > 100000:
        raise ValueError(f"at most {100000 - first} extensions from {first}")
    return [str(first + i) for i in range(count)]


def sipp_safe(password: str) -> str:
    """SIPp reads an ``[authentication … password=0x…]`` value as hexadecimal (1 password in
    4,096 of ours starts so, and SIPp then answers a wrong digest: a 403 that is SIPp's, not the
    switch's). Such a password is drawn again, the same way as the core draws them."""
    while password.lower().startswith("0x"):
        password = new_sip_password()
    return password


def seed_account(settings, extension_numbers: list[str], domain: str = DOMAIN) -> Tenant:
    """Create the account and its extensions in the (already migrated) database of ``settings``."""
    app = create_app(settings, dispatch_fs=False)
    with app.app_context():
        account, admin = create_account(name="Bench Storm", sip_domain=domain, language="fr",
                                          admin_email=f"admin@{domain}", admin_first_name="Ada",
                                          admin_last_name="Admin")
        db.session.flush()
        rows = [_ext_row(account, number, i, None, "", None) for i, number in enumerate(extension_numbers)]
        for row in rows:
            row["sip_password"] = sipp_safe(row["sip_password"])
        db.session.execute(sa.insert(Extension), rows)
        ids = dict(db.session.execute(sa.select(Extension.number, Extension.id)
                                      .where(Extension.account_id == account.id)).all())
        db.session.execute(sa.insert(Mailbox), [dict(
            account_id=account.id, extension_id=ids[r["number"]], number=r["number"], name="",
            pin=f"{secrets.randbelow(10**6):06d}", email=None) for r in rows])
        touch(db.session, account.id)
        token = create_api_token(admin, "bench")
        db.session.commit()
        passwords = {r["number"]: r["sip_password"] for r in rows}
        check_seed(Seeded([domain], list(passwords), {(domain, n): p for n, p in passwords.items()}),
                   sample=min(50, len(passwords)))
        tenant = Tenant(account.id, domain, passwords, token)
        db.session.remove()
        db.engine.dispose()
    return tenant
