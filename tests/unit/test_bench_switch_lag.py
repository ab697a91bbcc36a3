"""bench.switch.lag: which change an event makes, when the status API showed it, what was never
seen and what is wrong at the end (the figures of status_lag rest on these rules)."""
from __future__ import annotations

import math

from bench.switch.lag import ANSWER, AVAILABLE, CREATE, HANGUP, IN_CALL, changes, measure
from bench.switch.watch import Poll


def _event(name: str, direction: str, at: float, *, caller: str = "", callee: str = "") -> dict:
    return {"Event-Name": name, "Call-Direction": direction, "Event-Date-Timestamp": str(int(at * 1e6)),
            "variable_sip_from_user": caller, "Caller-Caller-ID-Number": caller,
            "variable_dialed_user": callee, "Caller-Destination-Number": callee}


def _poll(sent: float, received: float, **states: str) -> Poll:
    return Poll(sent, received, {n.lstrip("x"): (s, 1, 1 if s == IN_CALL else 0) for n, s in states.items()})


def test_changes_follow_the_callers_and_the_callees_legs_and_count_strangers():
    events = [_event(CREATE, "inbound", 10.0, caller="100"), _event(CREATE, "outbound", 10.1, callee="200"),
              _event(ANSWER, "outbound", 10.2, callee="200"), _event(ANSWER, "inbound", 10.2, caller="100"),
              _event(HANGUP, "inbound", 11.5, caller="100"), _event(HANGUP, "outbound", 11.5, callee="200"),
              _event(HANGUP, "outbound", 11.6, callee="999")]
    found, unmapped = changes(events, {"100"}, {"200"})
    assert [(c.number, c.state, c.event, c.measured) for c in found] == [
        ("100", IN_CALL, CREATE, False), ("200", IN_CALL, ANSWER, True),
        ("100", AVAILABLE, HANGUP, True), ("200", AVAILABLE, HANGUP, True)]
    assert unmapped == 1


def test_lag_is_bounded_by_the_showing_poll_and_the_one_before():
    found, _ = changes([_event(ANSWER, "outbound", 10.0, callee="200")], set(), {"200"})
    polls = [_poll(9.95, 9.97, x200=AVAILABLE), _poll(10.02, 10.04, x200=AVAILABLE),
             _poll(10.08, 10.11, x200=IN_CALL)]
    outcome = measure(found, polls, {"200"})
    assert math.isclose(outcome.lags[ANSWER][0], 0.11, abs_tol=1e-6)
    assert math.isclose(outcome.lower[ANSWER][0], 0.02, abs_tol=1e-6)
    assert outcome.wrong_at_end == {"200": (IN_CALL, 1, 1)}  # the burst "ended" in a call


def test_a_change_shown_only_after_the_next_one_still_counts_but_one_never_shown_is_infinite():
    events = [_event(ANSWER, "outbound", 10.0, callee="200"), _event(HANGUP, "outbound", 10.2, callee="200"),
              _event(ANSWER, "outbound", 14.0, callee="200"), _event(HANGUP, "outbound", 14.1, callee="200")]
    found, _ = changes(events, set(), {"200"})
    polls = [_poll(10.25, 10.3, x200=IN_CALL), _poll(10.35, 10.4, x200=AVAILABLE),
             _poll(14.3, 14.35, x200=AVAILABLE)]
    outcome = measure(found, polls, {"200"})
    assert [c.at for c in outcome.unseen] == [14.0]  # its hang-up came before any poll showed the call
    assert outcome.all_lags[-1] == math.inf
    assert len(outcome.all_lags) == 4 and outcome.wrong_at_end == {}
