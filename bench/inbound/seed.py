"""A fresh instance with the real schema: 20 accounts, each with one company number carrying
200 schedule exceptions and 1,000 blacklist rules, and a welcome menu as its open behaviour.

Numbers, treatments, menus and schedules go through the core; the 20,000 rules and 4,000
exceptions are bulk-inserted with the columns the core sets (plus the blacklist version row
the core would touch). ``check_seed`` then asks the core itself (matcher, rules, preview) so a
drift between bulk rows and the core is an error, not a fast wrong benchmark.

The number is open around the clock and no exception covers the bench's dates, so every
request takes the same (heaviest) path: screening, the schedule with its exceptions, and the
welcome menu treatment — figures do not depend on the hour the bench runs.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa

from fs_service.accounts.rules import create_account
from fs_service.blacklist import rules as blacklist
from fs_service.callplan.public_context import DbPublicWorld
from fs_service.db import db
from fs_service.extensions.rules import create_extension
from fs_service.models import BlacklistRule, CallVersion, PhoneNumber, ScheduleException, ScheduleRange
from fs_service.numbers import menus, rules as numbers, schedules, treatments
from fs_service.numbers.schedule_rules import ClosureException
from fs_service.numbers.schedules import rules_for
from pbx.app import MIGRATIONS, create_app

ACCOUNTS = 20
RULES = 1000
EXCEPTIONS = 200
KINDS = ("equals",) * 14 + ("starts_with",) * 3 + ("ends_with",) * 2 + ("contains",)


COLD_PER_ACCOUNT = 50  # 20 x 50 = 1,000 more numbers, each called once by the cold phase


@dataclass
class Seeded:
    dids: list[str]  # 10 digits, as the carrier sends them
    blocked: tuple[str, str]  # (did, caller) of a caller blocked by an "equals" rule
    cold_dids: list[str]  # numbers the warm phases never call (issue 15's cold figure)


def _rule_digits(kind: str, rng: random.Random) -> str:
    full = f"{rng.randint(2, 9)}{rng.randint(0, 99):02d}{rng.randint(2, 9)}{rng.randint(0, 999999):06d}"
    return {"equals": full, "starts_with": full[:7], "ends_with": full[-6:], "contains": full[2:9]}[kind]


def _exception_rows(number_id: int, rng: random.Random, today: date) -> list[dict]:
    rows = []
    while len(rows) < EXCEPTIONS:
        start = date(2015, 1, 1) + timedelta(days=rng.randint(0, 365 * 30))
        yearly, between = len(rows) % 5 == 0, len(rows) % 7 == 0
        end = start + timedelta(days=rng.choice((0, 0, 0, 2, 9)))
        probe = ClosureException(None, start, end, repeat_yearly=yearly)
        if any(probe.on_date(today + timedelta(days=k)) for k in range(-2, 3)):
            continue  # the bench's own dates stay regular open hours
        rows.append(dict(number_id=number_id, label=f"closure {len(rows)}", start_date=start, end_date=end,
                         kind="between" if between else "all_day", closed_from=time(12) if between else None,
                         closed_until=time(13) if between else None, repeat_yearly=yearly))
    return rows


def _cold_numbers(account_id: int, n: int, main, exceptions: list[dict]) -> list[str]:
    """COLD_PER_ACCOUNT more numbers like the main one, bulk-inserted with the columns
    numbers.create_number / update_number / schedules.set_week set: the same treatments, open
    around the clock, each with its own copy of the 200 exceptions."""
    rows = [dict(account_id=account_id, e164=f"+1438556{n:02d}{k:02d}", label=f"Line {k}",
                 open_treatment_id=main.open_treatment_id, closed_treatment_id=main.closed_treatment_id)
            for k in range(COLD_PER_ACCOUNT)]
    db.session.execute(sa.insert(PhoneNumber), rows)
    ids = db.session.scalars(sa.select(PhoneNumber.id).where(PhoneNumber.e164.in_([r["e164"] for r in rows]))).all()
    db.session.execute(sa.insert(ScheduleRange), [dict(number_id=i, weekday=d, opens_at=time(0), closes_at=time(0))
                                                  for i in ids for d in range(7)])
    db.session.execute(sa.insert(ScheduleException), [{**e, "number_id": i} for i in ids for e in exceptions])
    return [r["e164"][2:] for r in rows]


def _account(n: int, rng: random.Random, today: date) -> tuple[str, int, str, list[str]]:
    account, _ = create_account(name=f"Inbound {n:02d}", sip_domain=f"in{n:02d}.bench.test", language="fr",
                                admin_email=f"admin{n:02d}@inbound.bench.test", admin_first_name="Ada",
                                admin_last_name=f"Admin{n:02d}")
    ext, _ = create_extension(account, number="100")
    number = numbers.create_number(account, f"+1514556{n:04d}", label="Main")
    to_ext = treatments.create_treatment(account, kind="extension", extension_id=ext.id)
    menu = menus.create_menu(account, name="Accueil", greeting_path="pbx/menu-default-greeting.wav")
    menus.set_menu_keys(account, menu, {"1": to_ext.id})
    run_menu = treatments.create_treatment(account, kind="menu", menu_id=menu.id)
    closed = treatments.create_treatment(account, kind="message", message_path="pbx/office-closed.wav")
    numbers.update_number(account, number, dict(open_treatment_id=run_menu.id, closed_treatment_id=closed.id))
    schedules.set_week(account, number, [dict(weekday=d, opens_at=time(0), closes_at=time(0)) for d in range(7)])
    rules = [dict(account_id=account.id, action="block", match=(k := rng.choice(KINDS)), digits=_rule_digits(k, rng),
                  created_at=datetime.now(timezone.utc)) for _ in range(RULES)]
    rules[0].update(match="equals", digits="4185550000")
    db.session.execute(sa.insert(BlacklistRule), rules)
    db.session.merge(CallVersion(account_id=account.id))  # as blacklist.create_rule renews it
    exceptions = _exception_rows(number.id, rng, today)
    db.session.execute(sa.insert(ScheduleException), exceptions)
    cold = _cold_numbers(account.id, n, number, [{k: v for k, v in e.items() if k != "number_id"} for e in exceptions])
    return number.e164[2:], account.id, number.e164, cold


def seed(settings) -> Seeded:
    """Migrate a new database with the real migrations, then fill it."""
    import flask_migrate

    app = create_app(settings, dispatch_fs=False)
    rng, today = random.Random(5), datetime.now(timezone.utc).date()
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        made = [_account(n, rng, today) for n in range(1, ACCOUNTS + 1)]
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        check_seed(made)
        db.session.remove()
        db.engine.dispose()
    return Seeded(dids=[did for did, _, _, _ in made], blocked=(made[0][0], "4185550000"),
                  cold_dids=[did for *_, cold in made for did in cold])


def check_seed(made) -> None:
    """The core sees every bulk row: 1,000 rules in the matcher, 200 exceptions in the rules."""
    world = DbPublicWorld()
    for _, account_id, e164, cold in made[:3]:
        entry = world.number_by_e164(e164)
        for number_id in (entry.id, world.number_by_e164("+1" + cold[-1]).id):
            found = len(rules_for(db.session.get(PhoneNumber, number_id)).exceptions)
            if found != EXCEPTIONS:
                raise RuntimeError(f"seed check failed for number {number_id}: {found} exceptions")
        compiled = blacklist.matcher(account_id, entry.blacklist_token)
        count = sum(len(table) for table in compiled.block.by_kind.values())
        if count < RULES * 0.99:
            raise RuntimeError(f"seed check failed for {e164}: {count} rules")
        if blacklist.screen(account_id, entry.blacklist_token, "4185550000").allowed:
            raise RuntimeError("seed check failed: the blocked caller passes")
