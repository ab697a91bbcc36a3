"""Business hours as plain data and the one function that decides a call's state (HRS-1, 2, 7).

:func:`decide` is used by the dialplan (with the clock's now) and by the schedule preview
(with the time asked), so the two can never disagree. The rules, as shown to administrators:

- **Wall clock.** Ranges and exceptions are wall-clock times in the number's IANA zone
  (default America/Toronto), evaluated with ``zoneinfo`` at the instant of the call. On a
  spring-forward day the skipped hour simply never happens (a range opening at 02:30 opens
  at 03:00); on a fall-back day the repeated hour is evaluated twice, both times by its wall
  clock reading.
- **Ranges** are half-open ``[opens, closes)``: open at 07:30:00, closed at 16:30:00.
  An end of **00:00 or 23:59 means midnight at the end of that day** (24:00): HTML time
  fields cannot say 24:00 and the guide's own "00:00 à 23:59" means the whole day. An end
  earlier than the start runs past midnight into the next day (Friday 22:00–02:00 ends
  Saturday 02:00; Sunday wraps to Monday). No range on a weekday = closed all day.
- **Exceptions** (always closures) cover a date or a date range, all day or between two
  times on each of those dates. Yearly exceptions repeat on the same month/day; a date of
  **February 29 is observed on February 28 in non-leap years** (start or end alike), so a
  yearly leap-day closure is never silently skipped. A yearly range may cross New Year.
- **Overlaps**: when several exceptions cover the instant, the most specific wins — the one
  closing the shortest total time (days × closed minutes per day) — then the most recently
  created (highest id). An exception always wins over the weekly schedule.
- Treatment: open → the number's open treatment; closed → its closed treatment ("default
  closed behaviour"); exception → its own treatment, or the default closed behaviour when
  it has none. Only the default closed behaviour is preceded by the closure message (HRS-4).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date, datetime, time
from functools import cached_property
from zoneinfo import ZoneInfo

OPEN, CLOSED, EXCEPTION = "open", "closed", "exception"
DEFAULT_TIMEZONE = "America/Toronto"
DAY_SECONDS = 86400
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def seconds(value: time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


def end_seconds(value: time) -> int:
    """An end time: 00:00 and 23:59 both mean the end of the day (see the module rules)."""
    if value == time(0, 0) or (value.hour, value.minute) == (23, 59):
        return DAY_SECONDS
    return seconds(value)


def in_year(day: date, year: int) -> date:
    """``day`` moved to ``year``; February 29 becomes February 28 in a non-leap year."""
    try:
        return day.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


@dataclass(frozen=True)
class WeeklyRange:
    id: int | None
    weekday: int  # 0 = Monday
    opens: time
    closes: time

    def spans(self) -> list[tuple[int, int, int]]:
        """(weekday, start s, end s) pieces; a range past midnight gives two."""
        start, end = seconds(self.opens), end_seconds(self.closes)
        if end > start:
            return [(self.weekday, start, end)]
        return [(self.weekday, start, DAY_SECONDS), ((self.weekday + 1) % 7, 0, end)]

    def describe(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.opens:%H:%M}–{self.closes:%H:%M}"

    @property
    def past_midnight(self) -> bool:
        """An end before the start (17:00 → 09:00): open until that time the next day. Saved as
        typed, and said back to whoever saved it, since a reversed range may be a typo."""
        return len(self.spans()) == 2 and self.closes != time(0, 0)


@dataclass(frozen=True)
class ClosureException:
    id: int | None
    start: date
    end: date
    all_day: bool = True
    closed_from: time | None = None
    closed_until: time | None = None
    repeat_yearly: bool = False
    treatment_id: int | None = None
    label: str = ""

    def on_date(self, day: date) -> bool:
        if not self.repeat_yearly:
            return self.start <= day <= self.end
        offset = self.end.year - self.start.year
        for year in (day.year - 1, day.year):
            if year < MINYEAR:  # no occurrence starts before year 1 (found by tests/fuzz)
                continue
            end = in_year(self.end, year + offset) if year + offset <= MAXYEAR else date.max
            if in_year(self.start, year) <= day <= end:
                return True
        return False

    def window(self) -> tuple[int, int]:
        if self.all_day or self.closed_from is None or self.closed_until is None:
            return 0, DAY_SECONDS
        return seconds(self.closed_from), end_seconds(self.closed_until)

    def specificity(self) -> tuple[int, int]:
        """Sort key: shortest closed time first, then the most recent (highest id)."""
        start, end = self.window()
        return ((self.end - self.start).days + 1) * (end - start), -(self.id or 0)

    def describe(self) -> str:
        period = f"{self.start:%Y-%m-%d}" + (f" – {self.end:%Y-%m-%d}" if self.end != self.start else "")
        hours = "all day" if self.all_day else f"{self.closed_from:%H:%M}–{self.closed_until:%H:%M}"
        name = f"'{self.label}' " if self.label else ""
        return f"exception {name}{period}{' every year' if self.repeat_yearly else ''}, closed {hours}"


@dataclass(frozen=True)
class Decision:
    state: str  # open | closed | exception
    treatment_id: int | None
    default_closed: bool  # the number's usual closed behaviour: the closure message plays first
    reason: str
    rule_id: int | None  # the ScheduleRange or ScheduleException that decided, if any
    local_time: datetime


@dataclass(frozen=True)
class NumberRules:
    """Everything :func:`decide` needs about one number (a snapshot, cacheable as a whole)."""
    timezone: str = DEFAULT_TIMEZONE
    ranges: tuple[WeeklyRange, ...] = ()
    exceptions: tuple[ClosureException, ...] = ()
    open_treatment_id: int | None = None
    closed_treatment_id: int | None = None
    _by_date: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def by_weekday(self) -> dict[int, list[tuple[int, int, WeeklyRange]]]:
        table: dict[int, list[tuple[int, int, WeeklyRange]]] = {d: [] for d in range(7)}
        for rng in self.ranges:
            for weekday, start, end in rng.spans():
                table[weekday].append((start, end, rng))
        return table

    def exceptions_on(self, day: date) -> tuple[ClosureException, ...]:
        """Exceptions covering ``day``, most specific first (memoised: calls cluster on a day)."""
        found = self._by_date.get(day)
        if found is None:
            if len(self._by_date) > 16:
                self._by_date.clear()
            found = tuple(sorted((e for e in self.exceptions if e.on_date(day)), key=ClosureException.specificity))
            self._by_date[day] = found
        return found


def _exception_decision(rules: NumberRules, exc: ClosureException, local: datetime) -> Decision:
    treatment = exc.treatment_id if exc.treatment_id is not None else rules.closed_treatment_id
    behaviour = "own treatment" if exc.treatment_id is not None else "default closed behaviour"
    return Decision(EXCEPTION, treatment, exc.treatment_id is None, f"{exc.describe()}: {behaviour}", exc.id, local)


def decide(rules: NumberRules, at: datetime) -> Decision:
    """Open, closed or exception at the instant ``at`` (timezone-aware), and why."""
    if at.tzinfo is None:
        raise ValueError("decide() needs a timezone-aware datetime")
    local = at.astimezone(rules.zone)
    second = local.hour * 3600 + local.minute * 60 + local.second
    for exc in rules.exceptions_on(local.date()):
        start, end = exc.window()
        if start <= second < end:
            return _exception_decision(rules, exc, local)
    for start, end, rng in rules.by_weekday[local.weekday()]:
        if start <= second < end:
            return Decision(OPEN, rules.open_treatment_id, False, f"open: {rng.describe()}", rng.id, local)
    return Decision(CLOSED, rules.closed_treatment_id, True,
                    f"closed: outside business hours ({WEEKDAYS[local.weekday()]} {local:%H:%M})", None, local)
