"""A fresh instance with the real schema: 100 accounts x 50 extensions, a carrier gateway and a
company number per account, every callee with forwarding or follow-me (README.md).

Accounts go through the core (``create_account``). Gateways, numbers, extensions and mailboxes
are bulk-inserted with the columns the core sets (``create_extension``: extension + mailbox;
the forwarding / follow-me columns as ``update_extension`` would set them). ``check_seed`` then
asks the planner itself (``plan_call``) for a sample, so a drift between the bulk rows and the
core is an error, not a fast wrong benchmark.

Callees (FWD-3: the planner uses follow-me only when forwarding is off, so one extension cannot
exercise both): even extensions forward on no answer to an external number (follow-me is also
configured on them and must be ignored); odd extensions have forwarding off and follow-me with
screening (caller records a name, the person reached presses 1) and music on hold.
"""
from __future__ import annotations

import random
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from fs_service.accounts.rules import create_account
from fs_service.callplan import plan_call
from fs_service.calls.model import CallRequest
from fs_service.db import db
from fs_service.models import Account, Extension, Gateway, Mailbox, PhoneNumber
from pbx.app import MIGRATIONS, create_app

ACCOUNTS = 100
EXTENSIONS_PER_ACCOUNT = 50
FIRST_NUMBER = 100  # 100..149


@dataclass
class Seeded:
    domains: list[str]
    numbers: list[str]  # the same extension numbers in every account
    gateways: dict[str, str]  # domain -> carrier gateway name


def forward_number(account_id: int, i: int) -> str:
    return f"514{200 + account_id:03d}{i:04d}"  # local NANP: allowed without an access code


def follow_me_number(account_id: int, i: int) -> str:
    return f"438{200 + account_id:03d}{i:04d}"


def is_forwarding(number: str) -> bool:
    return int(number) % 2 == 0


def _ext_row(account, i: int, number_id: int) -> dict:
    number = str(FIRST_NUMBER + i)
    row = dict(account_id=account.id, number=number, user_id=None, sip_password=secrets.token_urlsafe(18),
               caller_id_name=f"Person {i} Co{account.id}", voicemail_enabled=True, listed_in_directory=True,
               voicemail_email=f"u{account.id}x{number}@dialplan.bench.test", language="fr" if i % 3 else "en",
               fmfm_enabled=True, fmfm_number=follow_me_number(account.id, i))
    if is_forwarding(number):
        row.update(forward_mode="no_answer", forward_destination=forward_number(account.id, i))
    else:
        row.update(forward_mode="off", fmfm_screening=True, fmfm_music_on_hold=True)
    if i % 4 == 1:  # EXT-4 outbound caller ID on a quarter of them (one more lazy load, as in production)
        row.update(outbound_caller_id_name="BENCH CO", outbound_caller_id_number_id=number_id)
    return row


def _bulk(session, accounts) -> dict[str, str]:
    gateways = {}
    rows = []
    for a in accounts:
        name = f"carrier-{a.id:03d}"
        gw_id = session.execute(sa.insert(Gateway).values(account_id=a.id, name=name, proxy="sip.carrier.test")
                                .returning(Gateway.id)).scalar_one()
        session.execute(sa.update(Account).where(Account.id == a.id).values(gateway_id=gw_id))
        number_id = session.execute(sa.insert(PhoneNumber).values(
            account_id=a.id, e164=f"+1514777{a.id:04d}", label="Main").returning(PhoneNumber.id)).scalar_one()
        gateways[a.sip_domain] = name
        rows += [_ext_row(a, i, number_id) for i in range(EXTENSIONS_PER_ACCOUNT)]
    session.execute(sa.insert(Extension), rows)
    ext_ids = {(r.account_id, r.number): r.id for r in session.execute(
        sa.select(Extension.id, Extension.account_id, Extension.number))}
    session.execute(sa.insert(Mailbox), [dict(
        account_id=r["account_id"], extension_id=ext_ids[(r["account_id"], r["number"])], number=r["number"],
        name=r["caller_id_name"], pin=f"{secrets.randbelow(10**6):06d}", email=r["voicemail_email"])
        for r in rows])
    return gateways


def seed(settings) -> Seeded:
    """Migrate a new database with the real migrations, then fill it."""
    import logging

    import flask_migrate

    app = create_app(settings, dispatch_fs=False)
    with app.app_context():
        logging.disable(logging.INFO)
        try:
            flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        except SystemExit as exc:
            raise RuntimeError("bench: the migrations failed") from exc
        finally:
            logging.disable(logging.NOTSET)
        accounts = [create_account(name=f"Dialplan Co {n:03d}", sip_domain=f"d{n:03d}.bench.test",
                                   language="fr" if n % 2 else "en", admin_email=f"admin{n:03d}@dialplan.bench.test",
                                   admin_first_name="Ada", admin_last_name=f"Admin{n:03d}")[0]
                    for n in range(1, ACCOUNTS + 1)]
        gateways = _bulk(db.session, accounts)
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        seeded = Seeded(domains=[a.sip_domain for a in accounts],
                        numbers=[str(FIRST_NUMBER + i) for i in range(EXTENSIONS_PER_ACCOUNT)], gateways=gateways)
        check_seed(seeded)
        db.session.remove()
        db.engine.dispose()
    return seeded


def check_seed(seeded: Seeded, sample: int = 40) -> None:
    """The core's own planner sees the bulk rows: forward legs, follow-me with screening."""
    rng = random.Random(3)
    for _ in range(sample):
        domain = rng.choice(seeded.domains)
        caller, callee = rng.sample(seeded.numbers, 2)
        plan = plan_call(CallRequest(context=domain, destination=callee, caller_number=caller, caller_name="X",
                                     uuid="check", variables={"domain_name": domain, "user_name": caller}))
        want = "forward no_answer" if is_forwarding(callee) else "follow-me"
        if plan is None or plan.reason != want:
            raise RuntimeError(f"seed check failed for {caller}->{callee}@{domain}: {plan and plan.reason!r}")
