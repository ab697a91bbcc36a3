"""Business hours and exceptions of a number: saving them, and the preview (HRS-1, 2, 7).

The rules themselves (midnight, DST, February 29, overlaps) and :func:`decide` live in
:mod:`fs_service.numbers.schedule_rules`; the dialplan and :func:`preview` both call that one
function. Every change here renews the number's ``rules_token`` so every process drops its
cached copy of the rules (saved = live).
"""
from __future__ import annotations

from datetime import MAXYEAR, date, datetime, time
from typing import Iterable, Mapping

import sqlalchemy as sa

from ..access import owned
from ..db import db
from ..errors import NotFound, ValidationFailed
from ..models import Account, PhoneNumber, ScheduleException, ScheduleRange
from .rules import bump_rules
from .schedule_rules import (WEEKDAYS, ClosureException, Decision, NumberRules, WeeklyRange, decide, end_seconds,
                             in_year, seconds)
from .treatments import owned_treatment_id

EXCEPTION_FIELDS = ("label", "start_date", "end_date", "kind", "closed_from", "closed_until", "repeat_yearly",
                    "treatment_id")

__all__ = ["decide", "preview", "rules_for", "week", "set_week", "list_exceptions", "get_exception",
           "create_exception", "update_exception", "delete_exception", "Decision"]


def rules_for(number: PhoneNumber) -> NumberRules:
    """The number's rules as plain data (what the dialplan caches and the preview uses)."""
    ranges = tuple(WeeklyRange(r.id, r.weekday, r.opens_at, r.closes_at) for r in number.schedule)
    exceptions = tuple(exception_rule(e) for e in number.exceptions)
    return NumberRules(number.timezone, ranges, exceptions, number.open_treatment_id, number.closed_treatment_id)


def exception_rule(row) -> ClosureException:
    return ClosureException(row.id, row.start_date, row.end_date, row.kind == "all_day", row.closed_from,
                            row.closed_until, row.repeat_yearly, row.treatment_id, row.label or "")


def preview(account: Account, number: PhoneNumber, at: datetime) -> Decision:
    """What a call at ``at`` gets, and why. A naive ``at`` is a wall-clock time in the number's
    zone (an ambiguous fall-back time is its first occurrence)."""
    if number.account_id != account.id:
        raise NotFound("number not found")
    rules = rules_for(number)
    return decide(rules, at if at.tzinfo else at.replace(tzinfo=rules.zone))


def week(account: Account, number: PhoneNumber) -> list[ScheduleRange]:
    return sorted(number.schedule, key=lambda r: (r.weekday, r.opens_at))


def _check_ranges(items: list[WeeklyRange]) -> None:
    spans: dict[int, list[tuple[int, int, WeeklyRange]]] = {d: [] for d in range(7)}
    for rng in items:
        if not 0 <= rng.weekday <= 6:
            raise ValidationFailed.field("weekday", "must be 0 (Monday) to 6 (Sunday)")
        if rng.opens == rng.closes and rng.opens != time(0, 0):
            raise ValidationFailed.field("closes_at", f"{WEEKDAYS[rng.weekday]}: opens and closes at the same time")
        for day, start, end in rng.spans():
            spans[day].append((start, end, rng))
    for day, found in spans.items():
        found.sort(key=lambda item: item[0])
        for (_, end, first), (start, _, second) in zip(found, found[1:]):
            if start < end:
                raise ValidationFailed.field("ranges", f"{WEEKDAYS[day]}: {second.describe()} overlaps "
                                                       f"{first.describe()}")


def set_week(account: Account, number: PhoneNumber, ranges: Iterable[Mapping]) -> list[ScheduleRange]:
    """Replace the weekly schedule (the UI saves the whole week). A weekday with no range is
    closed all day; several ranges make a lunch closure; an end before the start runs past
    midnight (see schedule_rules)."""
    if number.account_id != account.id:
        raise NotFound("number not found")
    items = [WeeklyRange(None, int(r["weekday"]), r["opens_at"], r["closes_at"]) for r in ranges]
    _check_ranges(items)
    number.schedule.clear()
    number.schedule.extend(ScheduleRange(weekday=r.weekday, opens_at=r.opens, closes_at=r.closes) for r in items)
    bump_rules(number)
    db.session.flush()
    return week(account, number)


def past_midnight(account: Account, number: PhoneNumber) -> list[WeeklyRange]:
    """The number's weekly ranges that run past midnight, to tell whoever just saved them."""
    ranges = [WeeklyRange(r.id, r.weekday, r.opens_at, r.closes_at) for r in week(account, number)]
    return [r for r in ranges if r.past_midnight]


def list_exceptions(account: Account, number: PhoneNumber) -> list[ScheduleException]:
    if number.account_id != account.id:
        raise NotFound("number not found")
    return sorted(number.exceptions, key=lambda e: (e.start_date, e.id or 0))


def get_exception(account: Account, exception_id: int) -> ScheduleException:
    found = db.session.get(ScheduleException, exception_id)
    number = db.session.get(PhoneNumber, found.number_id) if found else None
    if number is None or number.account_id != account.id:
        raise NotFound("exception not found")
    return found


def _check_exception(account: Account, values: dict) -> dict:
    start, end = values.get("start_date"), values.get("end_date") or values.get("start_date")
    if not isinstance(start, date):
        raise ValidationFailed.field("start_date", "required")
    if end < start:
        raise ValidationFailed.field("end_date", "must not be before the start date")
    if values.get("repeat_yearly") and start.year < MAXYEAR and end >= in_year(start, start.year + 1):
        raise ValidationFailed.field("end_date", "a yearly exception must last less than a year")
    kind = values.get("kind") or "all_day"
    if kind not in ("all_day", "between"):
        raise ValidationFailed.field("kind", "must be one of: all_day, between")
    closed_from, closed_until = (values.get("closed_from"), values.get("closed_until")) if kind == "between" \
        else (None, None)
    if kind == "between":
        if closed_from is None or closed_until is None:
            raise ValidationFailed.field("closed_from" if closed_from is None else "closed_until", "required")
        if end_seconds(closed_until) <= seconds(closed_from):
            raise ValidationFailed.field("closed_until", "must be after the closing time (00:00 = midnight)")
    return dict(label=values.get("label") or "", start_date=start, end_date=end, kind=kind, closed_from=closed_from,
                closed_until=closed_until, repeat_yearly=bool(values.get("repeat_yearly")),
                treatment_id=owned_treatment_id(account, values.get("treatment_id"), "treatment_id"))


def create_exception(account: Account, number: PhoneNumber, **values) -> ScheduleException:
    """A closure on a date or date range, all day or between two times; ``treatment_id`` None
    means the number's default closed behaviour."""
    if number.account_id != account.id:
        raise NotFound("number not found")
    exc = ScheduleException(number_id=number.id, **_check_exception(account, values))
    number.exceptions.append(exc)
    bump_rules(number)
    db.session.flush()
    return exc


def update_exception(account: Account, exc: ScheduleException, changes: dict) -> ScheduleException:
    unknown = set(changes) - set(EXCEPTION_FIELDS)
    if unknown:
        raise ValidationFailed.field(sorted(unknown)[0], "this field cannot be changed")
    current = {name: getattr(exc, name) for name in EXCEPTION_FIELDS}
    for name, value in _check_exception(account, current | changes).items():
        setattr(exc, name, value)
    bump_rules(get_number_of(account, exc))
    return exc


def delete_exception(account: Account, exc: ScheduleException) -> None:
    number = get_number_of(account, exc)
    number.exceptions.remove(exc)  # delete-orphan: removed from the loaded list and the table
    bump_rules(number)


def get_number_of(account: Account, exc: ScheduleException) -> PhoneNumber:
    return owned(account, PhoneNumber, exc.number_id, "exception not found")


def numbers_with_exceptions(account: Account) -> dict[int, int]:
    """number id → how many exceptions (the UI's "Exceptions (N)")."""
    rows = db.session.execute(sa.select(ScheduleException.number_id, sa.func.count()).join(PhoneNumber).where(
        PhoneNumber.account_id == account.id).group_by(ScheduleException.number_id))
    return {number_id: count for number_id, count in rows}

