"""From the switch's events and the status API's polls to lags and lost events (status_lag).

Which extension an event changes, and to what, is decided from what the benchmark set up, not
from the product's own mapping (fs_service.status.events), so that a mapping error shows as a
lost event instead of being reproduced here:

- the caller's leg (Call-Direction ``inbound``, From user = the caller's extension):
  CHANNEL_CREATE makes the caller ``in_call`` (a phone that dials is busy; not a measured
  event, but it bounds the search for the next one) and its CHANNEL_HANGUP_COMPLETE makes it
  ``available`` again;
- the callee's leg (``outbound``, dialed user = the callee's extension): CHANNEL_ANSWER makes
  the callee ``in_call`` (while it only rings it stays available), CHANNEL_HANGUP_COMPLETE
  ``available``.

A change is shown at the first poll that answered after the event and shows the new state; its
lag is that poll's answer time minus the event time: an upper bound (the read happened between
the poll's send and its answer); the previous poll's send time gives a lower bound. A change not shown by any poll sent before the change after the
extension's next one (which brings the same state back) — or before the polling ended — was
never seen: it counts as an
infinite lag (it was overtaken, not dropped). An event is lost when the view's final state is
wrong: after the burst every extension must show available, registered, with no call.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .watch import Poll

IN_CALL, AVAILABLE = "in_call", "available"
CREATE, ANSWER, HANGUP = "CHANNEL_CREATE", "CHANNEL_ANSWER", "CHANNEL_HANGUP_COMPLETE"
_RULES = {("inbound", CREATE): (IN_CALL, False), ("inbound", HANGUP): (AVAILABLE, True),
          ("outbound", ANSWER): (IN_CALL, True), ("outbound", HANGUP): (AVAILABLE, True)}


@dataclass(frozen=True)
class Change:
    number: str
    state: str
    at: float  # the event's Event-Date-Timestamp, epoch s
    event: str
    measured: bool


@dataclass
class Outcome:
    lags: dict[str, list[float]] = field(default_factory=dict)  # event name -> lags (s), upper bounds
    lower: dict[str, list[float]] = field(default_factory=dict)  # the same changes' lower bounds
    unseen: list[Change] = field(default_factory=list)
    wrong_at_end: dict[str, tuple] = field(default_factory=dict)  # number -> (state, regs, calls): lost
    unmapped: int = 0

    @property
    def all_lags(self) -> list[float]:
        """Every measured change's lag (upper bound); a change never seen counts as infinite."""
        unseen = [float("inf") for change in self.unseen if change.measured]
        return sorted([lag for lags in self.lags.values() for lag in lags] + unseen)

    @property
    def all_lower(self) -> list[float]:
        return sorted(lag for lags in self.lower.values() for lag in lags)


def changes(events: list[dict], callers: set[str], callees: set[str]) -> tuple[list[Change], int]:
    """The visible changes the events make (sorted by time), and how many events that should
    change an extension named none of the run's."""
    found, unmapped = [], 0
    for event in events:
        direction, name = event["Call-Direction"], event["Event-Name"]
        rule = _RULES.get((direction, name))
        if rule is None:
            continue
        if direction == "inbound":
            number, ours = event["variable_sip_from_user"] or event["Caller-Caller-ID-Number"], callers
        else:
            number, ours = event["variable_dialed_user"] or event["Caller-Destination-Number"], callees
        if number not in ours:
            unmapped += 1
            continue
        found.append(Change(number, rule[0], int(event["Event-Date-Timestamp"]) / 1e6, name, rule[1]))
    return sorted(found, key=lambda c: c.at), unmapped


def _shown_at(change: Change, until: float, polls: list[Poll], answers: list[float]) -> int | None:
    """Index of the first poll that answered after the change and shows it, if sent before ``until``."""
    first = bisect.bisect_right(answers, change.at)
    for k in range(first, len(polls)):
        if polls[k].sent >= until:
            return None
        if polls[k].states.get(change.number, ("",))[0] == change.state:
            return k
    return None


def measure(found: list[Change], polls: list[Poll], numbers: set[str]) -> Outcome:
    """Lags as bounds: at most the showing poll's answer time, at least the previous poll's send
    time (that poll read the database after it was sent and did not show the change yet)."""
    outcome = Outcome()
    answers = [p.received for p in polls]
    by_number: dict[str, list[Change]] = {}
    for change in found:
        by_number.setdefault(change.number, []).append(change)
    for series in by_number.values():
        # Until the change after the next one: that one brings the same state back.
        for i, change in enumerate(series):
            k = _shown_at(change, series[i + 2].at if i + 2 < len(series) else float("inf"), polls, answers)
            if k is None:
                outcome.unseen.append(change)
            elif change.measured:
                outcome.lags.setdefault(change.event, []).append(polls[k].received - change.at)
                outcome.lower.setdefault(change.event, []).append(max(0.0, polls[k - 1].sent - change.at) if k else 0.0)
    last = polls[-1].states if polls else {}
    for number in sorted(numbers):
        state = last.get(number, ("missing", 0, 0))
        if state[0] != AVAILABLE or state[1] < 1 or state[2] != 0:
            outcome.wrong_at_end[number] = state
    return outcome
