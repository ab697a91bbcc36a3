"""Per-process copies of what inbound calls read and rarely changes, keyed by tokens.

- a number's rules (weekly ranges, the exceptions near the day, its open/closed treatment ids),
  per UTC day, keyed by ``phone_numbers.rules_token``;
- an account's routing (its treatments, menus and menu keys), keyed by
  ``call_versions.routing_token``.

Both tokens come with the dialed number in the request's single query, so a copy is used only
while it is current: a change committed by any process is live on the next call everywhere.
Extensions and mailboxes (callplan.context.AccountView) and the blacklist (fs_service.blacklist.rules,
its own matcher cache) are kept elsewhere. An empty or missing token is never cached.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from typing import Mapping

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from .. import fastread
from ..caches import TokenCache
from ..db import db
from ..models import Account, PhoneNumber, ScheduleException, ScheduleRange, Treatment, WelcomeMenu, WelcomeMenuKey
from ..numbers.schedule_rules import NumberRules, WeeklyRange
from ..numbers.schedules import exception_rule
from ..sound_files import playable_or_none
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


# The number's rules in three reads through fastread (number, week, exceptions): a number called
# once a day is never in this cache, and loading its 200 exceptions as ORM objects cost ~4 ms,
# ten times the rest of the call (issue 15: bench.inbound's cold figure, README there). Same
# values as schedules.rules_for (which the schedule preview uses on the ORM objects), except
# that only the exceptions that can cover a date near the call are read: see :func:`load_rules`.
_NUMBER_RULES = sa.select(PhoneNumber.timezone, PhoneNumber.open_treatment_id, PhoneNumber.closed_treatment_id) \
    .where(PhoneNumber.id == sa.bindparam("number_id"))
_WEEK = sa.select(ScheduleRange.id, ScheduleRange.weekday, ScheduleRange.opens_at, ScheduleRange.closes_at) \
    .where(ScheduleRange.number_id == sa.bindparam("number_id")).order_by(ScheduleRange.weekday, ScheduleRange.id)


class _DateText(FunctionElement):
    """A date column's year ('2027') or month and day ('03-05') as text, compared as text.
    SQLite keeps dates as 'YYYY-MM-DD' text (SQLAlchemy's Date): a substring costs a third of
    what ``extract`` (strftime, which parses the date) does on the 40 yearly rows of a number."""
    type = sa.String()
    inherit_cache = True
    name = "date_text"
    _SQLITE = {"year": (1, 4), "month_day": (6, 5)}
    _FORMAT = {"year": "YYYY", "month_day": "MM-DD"}

    def __init__(self, column, part: str) -> None:
        self.part = part
        super().__init__(column)


@compiles(_DateText, "sqlite")
def _date_text_sqlite(element: _DateText, compiler, **kw) -> str:
    start, length = _DateText._SQLITE[element.part]
    return f"substr({compiler.process(element.clauses, **kw)}, {start}, {length})"


@compiles(_DateText)
def _date_text(element: _DateText, compiler, **kw) -> str:  # PostgreSQL
    return f"to_char({compiler.process(element.clauses, **kw)}, '{_DateText._FORMAT[element.part]}')"


def month_day(day: date, plus: int = 0) -> str:
    """``day``'s 'MM-DD', its day number raised by ``plus`` ('02-28' + 1 = '02-29', '12-31' + 1 =
    '12-32': still in order against real dates, which is all the comparison needs)."""
    return f"{day.month:02d}-{day.day + plus:02d}"


# Yearly exceptions are matched on month and day: a yearly closure dated within one year (not
# across New Year) can cover a date of the window only if it starts by the window's last MM-DD
# and ends on or after its first. "By the last MM-DD + 1": a February 29 start is observed on
# February 28 in a non-leap year (schedule_rules.in_year), a day earlier than its MM-DD says;
# an end date of February 29 is only ever observed earlier, so its MM-DD is a safe bound. Kept
# whole: the yearly closures that cross New Year (their two dates in different years), and all
# of them when the window itself crosses New Year (load_rules binds "00" and "99" then). Every
# yearly one that overlaps the window on its own dates passes that test, so the one-off branch
# need not look at them. Each branch names the number and the flag: SQLite searches the index
# (migration 0017) once per branch, testing the dates on the index alone.
_NUMBER = ScheduleException.number_id == sa.bindparam("number_id")
_YEARLY = sa.and_(_NUMBER, ScheduleException.repeat_yearly == sa.true(),
                  sa.or_(_DateText(ScheduleException.start_date, "year")
                         != _DateText(ScheduleException.end_date, "year"),
                         sa.and_(_DateText(ScheduleException.start_date, "month_day") <= sa.bindparam("last_md"),
                                 _DateText(ScheduleException.end_date, "month_day") >= sa.bindparam("first_md"))))
_ONE_OFF = sa.and_(_NUMBER, ScheduleException.repeat_yearly == sa.false(),
                   ScheduleException.end_date >= sa.bindparam("first"),
                   ScheduleException.start_date <= sa.bindparam("last"))
_EXCEPTIONS_NEAR = sa.select(ScheduleException.id, ScheduleException.start_date, ScheduleException.end_date,
                             ScheduleException.kind, ScheduleException.closed_from, ScheduleException.closed_until,
                             ScheduleException.repeat_yearly, ScheduleException.treatment_id,
                             ScheduleException.label) \
    .where(sa.or_(_YEARLY, _ONE_OFF)).order_by(ScheduleException.id)
# A call's local date is within a day of its UTC date (zones run from UTC-12 to UTC+14), and the
# call's instant is read just after its rules (the UTC date may have turned meanwhile): rules
# kept for UTC date D serve calls on local dates D-1 .. D+2. One more day each side, for margin.
NEAR_DAYS = 2


def utc_day(at: datetime) -> date:
    """The key date of the rules a call at ``at`` uses (see :func:`load_rules`)."""
    return at.astimezone(timezone.utc).date()


def load_rules(key: tuple[int, date]) -> NumberRules:
    """The rules of number ``key[0]`` for calls on UTC date ``key[1]``.

    Every weekly range, and every exception that can cover a date within NEAR_DAYS of that day:
    the one-off ones overlapping the window, the yearly ones whose month and day can (see
    ``_EXCEPTIONS_NEAR``: Feb 29 and New Year kept on the safe side).
    ``decide`` only looks at the exceptions on the call's local date, so for any call of that
    UTC day it decides exactly as with all of them (tests/integration/test_public_rules_window.py); a
    new day is a new key, so the copy never serves a date it was not read for."""
    number_id, day = key
    params = {"number_id": number_id}
    number = fastread.fetch_one(_NUMBER_RULES, params)
    if number is None:  # deleted since its token was read: the call fails (not-found), as it always did
        raise LookupError(f"number {number_id} is gone")
    ranges = tuple(WeeklyRange(r.id, r.weekday, r.opens_at, r.closes_at) for r in fastread.fetch_all(_WEEK, params))
    first, last = day - timedelta(days=NEAR_DAYS), day + timedelta(days=NEAR_DAYS)
    first_md, last_md = (month_day(first), month_day(last, plus=1)) if first.year == last.year else ("00", "99")
    near = {**params, "first": first, "last": last, "first_md": first_md, "last_md": last_md}
    exceptions = tuple(exception_rule(row) for row in fastread.fetch_all(_EXCEPTIONS_NEAR, near))
    return NumberRules(number.timezone, ranges, exceptions, number.open_treatment_id, number.closed_treatment_id)


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


# Keys: (number id, UTC day) and the number's rules token; account id and its routing token.
rules = TokenCache("callplan.number_rules", load_rules, 20000)
routing = TokenCache("callplan.routing", load_routing, 20000)
