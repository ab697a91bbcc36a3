"""Loads what the public planner needs from the database (the public twin of context.py).

One query per call finds the dialed number with its account and its four tokens; the
number's rules, the account's routing (public_cache), its blacklist matcher
(fs_service.blacklist.rules) and its extensions and mailboxes (context.AccountView) come from
per-process copies that those tokens keep current. So 200 exceptions, thousands of blacklist
rules and a welcome menu cost no further query; only the live busy state of a callee whose
busy behaviour needs it is read for the call itself.
"""
from __future__ import annotations

import sqlalchemy as sa

from .. import fastread
from ..blacklist import rules as blacklist
from ..calls.context import AccountView, DbDirectory, account_view
from ..calls.model import AccountRouting, CallRequest
from ..calls.steps import Plan
from ..models import Account, CallVersion, PhoneNumber
from ..sound_files import playable_or_none
from . import clock, public_cache
from .account_world import internal_ivr_menu
from .ivr_menu import IvrMenu, ivr_menu, menu_id_of
from .public import plan_public
from .public_model import MenuSnapshot, NumberEntry, TreatmentSnapshot

_NUMBER = sa.select(PhoneNumber.id, PhoneNumber.account_id, PhoneNumber.e164, PhoneNumber.rules_token,
                    PhoneNumber.closure_message_path, PhoneNumber.is_fax, Account.sip_domain,
                    CallVersion.blacklist_token, CallVersion.routing_token, CallVersion.directory_token) \
    .join(Account, Account.id == PhoneNumber.account_id) \
    .outerjoin(CallVersion, CallVersion.account_id == PhoneNumber.account_id) \
    .where(Account.enabled.is_(True))
_BY_E164 = _NUMBER.where(PhoneNumber.e164 == sa.bindparam("e164"))
_BY_ID = _NUMBER.where(PhoneNumber.id == sa.bindparam("number_id"))


class DbPublicWorld:
    """The public planner's view of the database, for one request."""

    def __init__(self, now: clock.Clock = clock.now) -> None:
        self._now = now  # the planner's clock: which day's rules this request reads
        self._views: dict[int, AccountView] = {}
        self._routing: dict[int, public_cache.Routing] = {}
        self._tokens: dict[int, tuple[str, str, str] | None] = {}  # number id -> what state_of says

    def _entry(self, statement, params: dict) -> NumberEntry | None:
        row = fastread.fetch_one(statement, params)
        if row is None:
            return None
        self._routing[row.account_id] = public_cache.routing.get(row.account_id, row.routing_token)
        self._views[row.account_id] = account_view(row.account_id, row.directory_token)
        tokens = (row.rules_token, row.routing_token, row.directory_token)
        self._tokens[row.id] = tokens if all(tokens) else None
        return NumberEntry(row.id, row.account_id, row.sip_domain, row.e164,
                           public_cache.rules.get((row.id, public_cache.utc_day(self._now())), row.rules_token),
                           playable_or_none(row.sip_domain, row.closure_message_path, f"closure number={row.id}"),
                           row.blacklist_token, row.is_fax)

    def number_by_e164(self, e164: str) -> NumberEntry | None:
        return self._entry(_BY_E164, {"e164": e164})

    def number_by_id(self, number_id: int) -> NumberEntry | None:
        return self._entry(_BY_ID, {"number_id": number_id})

    def screen(self, entry: NumberEntry, caller_number: str, variables):
        return blacklist.screen(entry.account_id, entry.blacklist_token, caller_number, variables)

    def treatment(self, account_id: int, treatment_id: int) -> TreatmentSnapshot | None:
        routing = self._routing.get(account_id)
        return routing.treatments.get(treatment_id) if routing else None

    def menu(self, account_id: int, menu_id: int) -> MenuSnapshot | None:
        routing = self._routing.get(account_id)
        return routing.menus.get(menu_id) if routing else None

    def mailbox_number(self, account_id: int, mailbox_id: int) -> str | None:
        return DbDirectory(self._views[account_id]).mailbox_number(mailbox_id)

    def directory(self, entry: NumberEntry) -> DbDirectory:
        return DbDirectory(self._views[entry.account_id])

    def routing(self, entry: NumberEntry) -> AccountRouting:
        return self._views[entry.account_id].routing

    def state_of(self, entry: NumberEntry) -> tuple[str, str, str] | None:
        """The tokens of what this number's plans are made of (its rules, its account's routing and
        directory), read with the number: any change renews one (public.plan_first's memo key).
        None when one is missing: that value is built afresh for every call, never memoised."""
        return self._tokens.get(entry.id)


def plan_public_call(req: CallRequest) -> Plan:
    return plan_public(req, DbPublicWorld(clock.now), clock.now)


def ivr_menu_for_call(menu_name: str, number_id: str, context: str = "") -> IvrMenu | None:
    """The menu the ``ivr`` app asks for, only if it belongs to the account of the number
    this call came in on (the channel's ``pbx_number_id``) or, for an internal caller (no
    number), to the account whose SIP domain is the channel's context: no menu leaks across
    tenants."""
    menu_id = menu_id_of(menu_name or "")
    if menu_id is None:
        return None
    if not (number_id or "").isdigit():
        return internal_ivr_menu(menu_id, context or "")
    world = DbPublicWorld()
    entry = world.number_by_id(int(number_id))
    menu = world.menu(entry.account_id, menu_id) if entry is not None else None
    return ivr_menu(menu) if menu is not None else None
