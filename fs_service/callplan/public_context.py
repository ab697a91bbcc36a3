"""Loads what the public planner needs from the database (the public twin of context.py).

One query per call finds the dialed number with its account, its rules token and its
account's blacklist token. The compiled rules (weekly ranges, every exception) and the
blacklist matcher are cached per process and rebuilt only when their token changed, so 200
exceptions and thousands of blacklist rules cost nothing per call, and a saved change is live
on the next call in every process. Treatments and menus are read fresh (one small query each).
"""
from __future__ import annotations

import sqlalchemy as sa

from .. import blacklist
from ..db import db
from ..models import (Account, BlacklistVersion, Mailbox, PhoneNumber, Treatment, WelcomeMenu,
                      WelcomeMenuKey)
from ..schedule_rules import NumberRules
from ..schedules import rules_for
from . import clock
from .context import DbDirectory, routing_for
from .ivr_menu import IvrMenu, ivr_menu, menu_id_of
from .model import CallRequest
from .public import plan_public
from .public_model import MenuSnapshot, NumberEntry, TreatmentSnapshot
from .steps import Plan

MAX_CACHED_RULES = 20000
_rules: dict[int, tuple[str, NumberRules]] = {}
_NUMBER = sa.select(PhoneNumber.id, PhoneNumber.account_id, PhoneNumber.e164, PhoneNumber.rules_token,
                    PhoneNumber.closure_message_path, PhoneNumber.is_fax, Account.sip_domain, BlacklistVersion.token) \
    .join(Account, Account.id == PhoneNumber.account_id) \
    .outerjoin(BlacklistVersion, BlacklistVersion.account_id == PhoneNumber.account_id) \
    .where(Account.enabled.is_(True))
_TREATMENT = (Treatment.id, Treatment.kind, Treatment.extension_id, Treatment.mailbox_id, Treatment.menu_id,
              Treatment.message_path, Treatment.message_then, Treatment.next_treatment_id)


def cached_rules(number_id: int, token: str) -> NumberRules:
    """The number's compiled rules for this token (an empty token, from before tokens, is
    never cached)."""
    found = _rules.get(number_id)
    if found is not None and token and found[0] == token:
        return found[1]
    rules = rules_for(db.session.get(PhoneNumber, number_id))
    if len(_rules) >= MAX_CACHED_RULES:
        _rules.clear()
    _rules[number_id] = (token, rules)
    return rules


def _entry(row) -> NumberEntry | None:
    if row is None:
        return None
    return NumberEntry(row.id, row.account_id, row.sip_domain, row.e164, cached_rules(row.id, row.rules_token),
                       row.closure_message_path, row.token, row.is_fax)


class DbPublicWorld:
    """The public planner's view of the database, for one request."""

    def __init__(self) -> None:
        self._accounts: dict[int, Account] = {}

    def number_by_e164(self, e164: str) -> NumberEntry | None:
        return _entry(db.session.execute(_NUMBER.where(PhoneNumber.e164 == e164)).first())

    def number_by_id(self, number_id: int) -> NumberEntry | None:
        return _entry(db.session.execute(_NUMBER.where(PhoneNumber.id == number_id)).first())

    def screen(self, entry: NumberEntry, caller_number: str, variables):
        return blacklist.screen(entry.account_id, entry.blacklist_token, caller_number, variables)

    def treatment(self, account_id: int, treatment_id: int) -> TreatmentSnapshot | None:
        row = db.session.execute(sa.select(*_TREATMENT).where(Treatment.id == treatment_id,
                                                              Treatment.account_id == account_id)).first()
        return TreatmentSnapshot(*row) if row else None

    def menu(self, account_id: int, menu_id: int) -> MenuSnapshot | None:
        rows = db.session.execute(sa.select(
            WelcomeMenu.id, WelcomeMenu.account_id, WelcomeMenu.language, WelcomeMenu.greeting_path,
            WelcomeMenu.timeout_seconds, WelcomeMenu.repeat_count, WelcomeMenu.dial_by_extension,
            WelcomeMenu.timeout_treatment_id, WelcomeMenuKey.digit, WelcomeMenuKey.treatment_id)
            .outerjoin(WelcomeMenuKey, WelcomeMenuKey.menu_id == WelcomeMenu.id)
            .where(WelcomeMenu.id == menu_id, WelcomeMenu.account_id == account_id)).all()
        if not rows:
            return None
        keys = {r.digit: r.treatment_id for r in rows if r.digit is not None}
        return MenuSnapshot(*rows[0][:8], keys=keys)

    def mailbox_number(self, account_id: int, mailbox_id: int) -> str | None:
        return db.session.scalar(sa.select(Mailbox.number).where(Mailbox.id == mailbox_id,
                                                                 Mailbox.account_id == account_id))

    def _account(self, entry: NumberEntry) -> Account:
        if entry.account_id not in self._accounts:
            self._accounts[entry.account_id] = db.session.get(Account, entry.account_id)
        return self._accounts[entry.account_id]

    def directory(self, entry: NumberEntry) -> DbDirectory:
        return DbDirectory(self._account(entry))

    def routing(self, entry: NumberEntry):
        return routing_for(self._account(entry))


def plan_public_call(req: CallRequest) -> Plan:
    return plan_public(req, DbPublicWorld(), clock.now)


def ivr_menu_for_call(menu_name: str, number_id: str) -> IvrMenu | None:
    """The menu the ``ivr`` app asks for, only if it belongs to the account of the number
    this call came in on (the channel's ``pbx_number_id``): no menu leaks across tenants."""
    menu_id = menu_id_of(menu_name or "")
    if menu_id is None or not (number_id or "").isdigit():
        return None
    world = DbPublicWorld()
    entry = world.number_by_id(int(number_id))
    menu = world.menu(entry.account_id, menu_id) if entry is not None else None
    return ivr_menu(menu) if menu is not None else None
