"""Blacklist rules of an account: list with search, create, edit, delete, delete all (BL-1..3).

Matching rules and the refusal cause are documented in :mod:`fs_service.blacklist.match`.
Each change renews the account's blacklist token (fs_service.call_versions); the dialplan
reads it with the dialed number (same query) and rebuilds its cached :class:`Matcher` only
when it changed, so thousands of rules cost nothing per call and a saved rule is live on the
next call in every process.
"""
from __future__ import annotations

import re

import sqlalchemy as sa

from .. import call_versions
from ..access import owned
from ..caches import TokenCache
from ..db import db
from ..errors import ValidationFailed
from ..models import Account, BlacklistRule
from ..models.numbers import BLACKLIST_ACTIONS, MATCH_KINDS
from .match import Matcher, Rule, Screening, caller_forms

DIGITS = re.compile(r"^[0-9]{1,20}$")
DIGITS_ERROR = "digits only, without spaces or dashes (e.g. 5149073400)"
FIELDS = ("action", "match", "digits")
# Words the search box understands besides digits (the UI shows these labels).
LABELS = {"block": ("block", "bloquer", "bloque"), "allow": ("allow", "autoriser", "autorise"),
          "equals": ("equals", "est égal à"), "starts_with": ("starts with", "commence par"),
          "ends_with": ("ends with", "fini par", "finit par"), "contains": ("contains", "contient")}


def _touch(account_id: int) -> None:
    call_versions.touch(account_id, blacklist=True)


def _check(account: Account, values: dict, own_id: int | None) -> dict:
    if values.get("action") not in BLACKLIST_ACTIONS:
        raise ValidationFailed.field("action", "must be one of: " + ", ".join(BLACKLIST_ACTIONS))
    if values.get("match") not in MATCH_KINDS:
        raise ValidationFailed.field("match", "must be one of: " + ", ".join(MATCH_KINDS))
    digits = values.get("digits")
    if not isinstance(digits, str) or not DIGITS.match(digits):
        raise ValidationFailed.field("digits", DIGITS_ERROR, error_id="digits_only")
    same = sa.select(BlacklistRule.id).where(BlacklistRule.account_id == account.id, BlacklistRule.digits == digits,
                                             BlacklistRule.action == values["action"],
                                             BlacklistRule.match == values["match"])
    if own_id is not None:
        same = same.where(BlacklistRule.id != own_id)
    if db.session.scalar(same.limit(1)) is not None:
        raise ValidationFailed.field("digits", "this rule already exists", error_id="duplicate_rule")
    return {name: values[name] for name in FIELDS}


def create_rule(account: Account, *, action: str = "block", match: str = "equals", digits: str) -> BlacklistRule:
    rule = BlacklistRule(account_id=account.id, **_check(account, dict(action=action, match=match, digits=digits),
                                                         None))
    db.session.add(rule)
    _touch(account.id)
    db.session.flush()
    return rule


def get_rule(account: Account, rule_id: int) -> BlacklistRule:
    return owned(account, BlacklistRule, rule_id, "rule not found")


def update_rule(account: Account, rule: BlacklistRule, changes: dict) -> BlacklistRule:
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationFailed.field(sorted(unknown)[0], "this field cannot be changed")
    current = {name: getattr(rule, name) for name in FIELDS}
    for name, value in _check(account, current | changes, rule.id).items():
        setattr(rule, name, value)
    _touch(account.id)
    return rule


def delete_rule(account: Account, rule: BlacklistRule) -> None:
    db.session.delete(rule)
    _touch(account.id)


def delete_all_rules(account: Account) -> int:
    """Remove every rule of the account (the UI confirms first); returns how many."""
    done = db.session.execute(sa.delete(BlacklistRule).where(BlacklistRule.account_id == account.id))
    _touch(account.id)
    return done.rowcount or 0


def _search_condition(text: str):
    words = text.strip().lower()
    digits = re.sub(r"[\s().+-]", "", words)
    conditions = [BlacklistRule.digits.contains(digits)] if digits.isdigit() else []
    for value, labels in LABELS.items():
        if len(words) >= 2 and any(words in label or label in words for label in labels + (value,)):
            column = BlacklistRule.action if value in BLACKLIST_ACTIONS else BlacklistRule.match
            conditions.append(column == value)
    return sa.or_(*conditions) if conditions else sa.false()


def list_rules(account: Account, search: str = "") -> list[BlacklistRule]:
    """Rules, newest first; ``search`` matches any field (digits, action, match kind in FR/EN)."""
    query = sa.select(BlacklistRule).where(BlacklistRule.account_id == account.id)
    if search.strip():
        query = query.where(_search_condition(search))
    return list(db.session.scalars(query.order_by(BlacklistRule.id.desc())))


def matcher(account_id: int, token: str | None) -> Matcher | None:
    """The account's compiled rules for this rules version (None: the account never had rules)."""
    return _matchers.get(account_id, token) if token is not None else None


def _compile(account_id: int) -> Matcher:
    rows = db.session.execute(sa.select(BlacklistRule.id, BlacklistRule.action, BlacklistRule.match,
                                        BlacklistRule.digits).where(BlacklistRule.account_id == account_id))
    return Matcher(Rule(*row) for row in rows)


_matchers: TokenCache[int, Matcher] = TokenCache("blacklist.matchers", _compile, 20000)  # account id + token


def screen(account_id: int, token: str | None, caller_number: str | None, variables=None) -> Screening:
    """Whether this caller may reach the account's numbers (the dialplan's question)."""
    compiled = matcher(account_id, token)
    if compiled is None:
        return Screening(True, None, "no blacklist rules")
    return compiled.screen(caller_forms(caller_number, variables))
