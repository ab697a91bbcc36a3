"""Per-process copies of what inbound calls read and rarely changes, keyed by tokens.

- a number's rules (weekly ranges, every exception, its open/closed treatment ids), keyed by
  ``phone_numbers.rules_token``;
- an account's routing (its treatments, menus and menu keys), keyed by
  ``call_versions.routing_token``.

Both tokens come with the dialed number in the request's single query, so a copy is used only
while it is current: a change committed by any process is live on the next call everywhere.
Extensions and mailboxes (callplan.context.AccountView) and the blacklist (fs_service.blacklist,
its own matcher cache) are kept elsewhere. An empty or missing token is never cached.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping

import sqlalchemy as sa

from ..db import db
from ..models import Account, PhoneNumber, Treatment, WelcomeMenu, WelcomeMenuKey
from ..schedule_rules import NumberRules
from ..schedules import rules_for
from ..sound_files import playable_or_none
from ..token_cache import TokenCache
from .public_model import MenuSnapshot, TreatmentSnapshot

_TREATMENT = (Treatment.id, Treatment.kind, Treatment.extension_id, Treatment.mailbox_id, Treatment.menu_id,
              Treatment.message_path, Treatment.message_then, Treatment.next_treatment_id)
_MENU = (WelcomeMenu.id, WelcomeMenu.account_id, WelcomeMenu.language, WelcomeMenu.greeting_path,
         WelcomeMenu.timeout_seconds, WelcomeMenu.repeat_count, WelcomeMenu.dial_by_extension,
         WelcomeMenu.timeout_treatment_id)


@dataclass(frozen=True)
class Routing:
    treatments: Mapping[int, TreatmentSnapshot] = field(default_factory=dict)
    menus: Mapping[int, MenuSnapshot] = field(default_factory=dict)


def load_rules(number_id: int) -> NumberRules:
    return rules_for(db.session.get(PhoneNumber, number_id))


def _treatment(domain: str, row) -> TreatmentSnapshot:
    """A message the account may not play (saved before fs_service.sound_files' rule, or edited
    behind the core's back) loses its path: the planner then treats it as pointing at nothing."""
    t = TreatmentSnapshot(*row)
    path = playable_or_none(domain, t.message_path, f"treatment={t.id}") if t.kind == "message" else t.message_path
    return t if path == t.message_path else replace(t, message_path=path)


def load_routing(account_id: int) -> Routing:
    domain = db.session.scalar(sa.select(Account.sip_domain).where(Account.id == account_id)) or ""
    treatments = {row.id: _treatment(domain, row) for row in db.session.execute(
        sa.select(*_TREATMENT).where(Treatment.account_id == account_id))}
    keys: dict[int, dict[str, int]] = {}
    for menu_id, digit, treatment_id in db.session.execute(
            sa.select(WelcomeMenuKey.menu_id, WelcomeMenuKey.digit, WelcomeMenuKey.treatment_id)
            .join(WelcomeMenu, WelcomeMenu.id == WelcomeMenuKey.menu_id).where(WelcomeMenu.account_id == account_id)):
        keys.setdefault(menu_id, {})[digit] = treatment_id
    menus = {row.id: _menu(domain, row, keys.get(row.id, {})) for row in db.session.execute(
        sa.select(*_MENU).where(WelcomeMenu.account_id == account_id))}
    return Routing(treatments, menus)


def _menu(domain: str, row, keys: dict[str, int]) -> MenuSnapshot:
    """A greeting the account may not play is dropped: callers hear the default greeting."""
    menu = MenuSnapshot(*row, keys=keys)
    greeting = playable_or_none(domain, menu.greeting, f"menu={menu.id}")
    return menu if greeting == menu.greeting else replace(menu, greeting=greeting)


rules = TokenCache(load_rules)
routing = TokenCache(load_routing)
