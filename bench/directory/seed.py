"""A fresh instance folder with the real schema and 100 accounts x 100 extensions.

Accounts go through the core (``create_account``: domain rules, first administrator). The
10,000 extensions, their users, mailboxes and a few softphones are bulk-inserted with
SQLAlchemy core, setting exactly the columns ``fs_service.extensions.rules.create_extension`` sets
(everything else takes the models' defaults); ``check_seed`` then asks the real directory
lookup for a sample and compares the a1-hash with the seeded password, so a drift between the
bulk rows and the core shows up as an error, not as a fast wrong benchmark.
"""
from __future__ import annotations

import hashlib
import logging
import random
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from fs_service.accounts.rules import create_account
from fs_service.db import db
from fs_service.extensions.directory import find_sip_user
from fs_service.models import Extension, Mailbox, PhoneNumber, Softphone, User
from pbx.app import MIGRATIONS, create_app
from pbx.config import load_settings

ACCOUNTS = 100
EXTENSIONS_PER_ACCOUNT = 100
FIRST_NUMBER = 100  # 100..199: all valid, none reserved (fs_service.numbering)


@dataclass
class Seeded:
    domains: list[str]
    numbers: list[str]
    passwords: dict[tuple[str, str], str] = field(repr=False)  # (domain, number) -> SIP password


def bench_settings(instance: Path, env: str = "test", **extra):
    values = dict(env=env, instance_path=str(instance),
                  database_url=f"sqlite:///{instance / 'bench.sqlite3'}",
                  xml_curl_password="bench-xml-" + secrets.token_hex(8),
                  secret_key="bench-secret-" + secrets.token_hex(8),
                  esl_password="bench-esl-" + secrets.token_hex(8))
    values.update(extra)
    return load_settings(environ={}, **values)


def _accounts(create_account) -> list:
    accounts = []
    for n in range(1, ACCOUNTS + 1):
        account, _admin = create_account(
            name=f"Bench Company {n:03d}", sip_domain=f"t{n:03d}.bench.test",
            language="fr" if n % 2 else "en", admin_email=f"admin{n:03d}@bench.test",
            admin_first_name="Ada", admin_last_name=f"Admin{n:03d}")
        accounts.append(account)
    return accounts


def _ext_row(account, number: str, i: int, user_id, full_name: str, number_id) -> dict:
    """The columns create_extension sets (plus EXT-4 outbound caller ID on a quarter of them)."""
    row = dict(account_id=account.id, number=number, user_id=user_id, sip_password=secrets.token_urlsafe(18),
               caller_id_name=full_name, voicemail_enabled=True, listed_in_directory=True,
               voicemail_email=f"u{account.id}x{number}@bench.test" if user_id else None,
               language="fr" if i % 3 else "en")
    if i % 4 == 0:
        row.update(outbound_caller_id_name="BENCH CO", outbound_caller_id_number_id=number_id)
    return row


def _bulk(session, models, accounts) -> dict:
    Extension, Mailbox, PhoneNumber, Softphone, User = models
    users, numbers = [], {}
    for a in accounts:
        numbers[a.id] = session.execute(sa.insert(PhoneNumber).values(
            account_id=a.id, e164=f"+1514555{a.id:04d}", label="main").returning(PhoneNumber.id)).scalar_one()
        for i in range(EXTENSIONS_PER_ACCOUNT):
            if i % 3 != 2:  # two thirds belong to a person; the rest are admin-assigned
                users.append(dict(account_id=a.id, email=f"u{a.id}x{FIRST_NUMBER + i}@bench.test",
                                  first_name=f"First{i}", last_name=f"Last{a.id}", role="user",
                                  language=a.language))
    session.execute(sa.insert(User), users)
    user_ids = {(r.account_id, r.email): r.id for r in session.execute(
        sa.select(User.id, User.account_id, User.email).where(User.role == "user"))}
    rows = []
    for a in accounts:
        for i in range(EXTENSIONS_PER_ACCOUNT):
            number = str(FIRST_NUMBER + i)
            uid = user_ids.get((a.id, f"u{a.id}x{number}@bench.test"))
            name = f"First{i} Last{a.id}" if uid else ""
            rows.append(_ext_row(a, number, i, uid, name, numbers[a.id]))
    session.execute(sa.insert(Extension), rows)
    ext_ids = {(r.account_id, r.number): r.id for r in session.execute(
        sa.select(Extension.id, Extension.account_id, Extension.number))}
    session.execute(sa.insert(Mailbox), [dict(
        account_id=r["account_id"], extension_id=ext_ids[(r["account_id"], r["number"])], number=r["number"],
        name=r["caller_id_name"], pin=f"{secrets.randbelow(10**6):06d}", email=r["voicemail_email"])
        for r in rows])
    session.execute(sa.insert(Softphone), [dict(  # every 10th extension also has a softphone (DEV-2)
        account_id=r["account_id"], extension_id=ext_ids[(r["account_id"], r["number"])],
        sip_username=f"{r['number']}-1", sip_password=secrets.token_urlsafe(18), label="bench")
        for r in rows if int(r["number"]) % 10 == 0])
    by_id = {a.id: a.sip_domain for a in accounts}
    return {(by_id[r["account_id"]], r["number"]): r["sip_password"] for r in rows}


def seed(settings) -> Seeded:
    """Migrate a new database with the real migrations, then fill it."""
    import flask_migrate

    app = create_app(settings, dispatch_fs=False)
    with app.app_context():
        logging.disable(logging.INFO)  # alembic's per-revision lines
        try:
            flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")  # as `pbx db upgrade`
        except SystemExit as exc:  # flask_migrate logs alembic's error, then exits
            raise RuntimeError("bench: the migrations failed (see the error above)") from exc
        finally:
            logging.disable(logging.NOTSET)
        accounts = _accounts(create_account)
        passwords = _bulk(db.session, (Extension, Mailbox, PhoneNumber, Softphone, User), accounts)
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        seeded = Seeded(domains=[a.sip_domain for a in accounts],
                        numbers=[str(FIRST_NUMBER + i) for i in range(EXTENSIONS_PER_ACCOUNT)],
                        passwords=passwords)
        check_seed(seeded)
        db.session.remove()
        db.engine.dispose()
    return seeded


def check_seed(seeded: Seeded, sample: int = 50) -> None:
    """The real lookup must find sampled users with the seeded credentials."""
    rng = random.Random(7)
    for domain, number in rng.sample(sorted(seeded.passwords), sample):
        user = find_sip_user(domain, number)
        expected = hashlib.md5(f"{number}:{domain}:{seeded.passwords[(domain, number)]}".encode()).hexdigest()
        if user is None or user.a1_hash != expected:
            raise RuntimeError(f"seed check failed for {number}@{domain}")
