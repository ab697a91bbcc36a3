"""Output: ``BENCH <name> <value> <unit> ratio=<r>`` lines, progress lines (``# …``) and verdicts."""
from __future__ import annotations

from bench.directory.stats import percentile


def line(name: str, value: float, unit: str, ratio: float, digits: int = 0) -> None:
    print(f"BENCH {name} {value:.{digits}f} {unit} ratio={ratio:.2f}", flush=True)


def _ratio(value: float, base: float) -> float:
    return value / base if base else 0.0


def _ms(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    return percentile(ordered, 50), percentile(ordered, 99), (ordered[-1] if ordered else 0.0)


def storm_progress(label: str, side) -> None:
    storm = side.storm
    reg = _ms([ms for _, ms in storm.done])
    fetch = _ms(side.fetch_ms)
    print(f"# {label}: {len(storm.done)} registered in {storm.done[-1][0] - storm.started if storm.done else 0:.1f} s "
          f"= {storm.rate:.0f} reg/s, failed {storm.failed}, switch lists {side.registered}; "
          f"registration p50/p99/max {reg[0]:.1f}/{reg[1]:.1f}/{reg[2]:.0f} ms; "
          f"{len(side.fetch_ms)} fetches p50/p99/max {fetch[0]:.2f}/{fetch[1]:.2f}/{fetch[2]:.1f} ms; "
          f"side took {side.took:.0f} s", flush=True)


def storm_final(sides: dict[str, list], users: int, target: float) -> int:
    """Best rate of each side; failures summed over every run of our side. 1 when a target is missed."""
    real = max(sides["real"], key=lambda s: s.storm.rate)
    base = max(sides["baseline"], key=lambda s: s.storm.rate)
    ratio = _ratio(real.storm.rate, base.storm.rate)
    attempted = users * len(sides["real"])
    failed = sum(users - len(s.storm.done) for s in sides["real"])
    short = sum(users - s.registered for s in sides["real"])
    fetch = [ms for s in sides["real"] for ms in s.fetch_ms]
    base_fetch = [ms for s in sides["baseline"] for ms in s.fetch_ms]
    p50, p99, _ = _ms(fetch)
    b50, b99, _ = _ms(base_fetch)
    line("register_storm_baseline_rate", base.storm.rate, "reg/s", 1.0)
    line("register_storm_rate", real.storm.rate, "reg/s", ratio)
    line("register_storm_failed", failed, "registrations", _ratio(failed, attempted))
    line("register_storm_fetch_p50", p50, "ms", _ratio(p50, b50), 2)
    line("register_storm_fetch_p99", p99, "ms", _ratio(p99, b99), 2)
    line("register_storm_baseline_fetch_p99", b99, "ms", 1.0, 2)
    ok = ratio >= target and failed == 0 and short == 0
    print(f"SUMMARY {'PASS' if ok else 'FAIL'}: register_storm {real.storm.rate:.0f} reg/s = {ratio:.2f} of the baseline "
          f"{base.storm.rate:.0f} reg/s (target >= {target:.2f}); {failed} of {attempted} registrations failed, "
          f"{short} missing from the switch's list (target 0); our endpoint's time per fetch p99 {p99:.2f} ms "
          f"over {len(fetch)} fetches", flush=True)
    return 0 if ok else 1


def _clock_line(events: list[dict]) -> str:
    """Event arrival on our ESL connection minus the switch's event time: never negative when
    both clocks agree (same host), small when the switch is not backlogged."""
    gaps = sorted(e["_arrived"] - int(e["Event-Date-Timestamp"]) / 1e6 for e in events if e["Event-Date-Timestamp"])
    if not gaps:
        return "# clock: no event"
    return (f"# clock check: event arrival - Event-Date-Timestamp min {gaps[0] * 1000:.2f} ms, "
            f"p50 {percentile(gaps, 50) * 1000:.2f} ms, max {gaps[-1] * 1000:.1f} ms over {len(gaps)} events")


def lag_final(outcome, events: list[dict], poller, calls: int, late: float, target_ms: float) -> int:
    """The lag figures and the verdict; 1 when p99 is over target, an event was lost, or a call
    did not happen (the run would not have measured what it says)."""
    answered = sum(1 for e in events if e["Event-Name"] == "CHANNEL_ANSWER" and e["Call-Direction"] == "outbound")
    polls = poller.polls
    took = sorted((p.received - p.sent) * 1000 for p in polls)
    print(f"# {answered} of {calls} calls answered; last call left {late * 1000:.0f} ms late; {len(events)} channel "
          f"events ({outcome.unmapped} on no extension of the run)", flush=True)
    print(f"# {len(polls)} polls, each p50 {percentile(took, 50):.1f} ms p99 {percentile(took, 99):.1f} ms, "
          f"{poller.errors} failed", flush=True)
    print(_clock_line(events), flush=True)
    for event, lags in sorted(outcome.lags.items()):
        ms = _ms([lag * 1000 for lag in lags])
        print(f"# {event}: {len(lags)} changes shown, lag p50/p99/max {ms[0]:.0f}/{ms[1]:.0f}/{ms[2]:.0f} ms", flush=True)
    lags = [lag * 1000 for lag in outcome.all_lags]
    p50, p99, _ = _ms(lags)
    low50, low99, _ = _ms([lag * 1000 for lag in outcome.all_lower])
    print(f"# lag bounds: p50 {low50:.0f}..{p50:.0f} ms, p99 {low99:.0f}..{p99:.0f} ms (the figures below are "
          f"the upper bounds: the answer time of the first poll that showed the change)", flush=True)
    lost, unseen = len(outcome.wrong_at_end), len(outcome.unseen)
    for change in outcome.unseen[:5]:
        print(f"# never seen: {change.event} of {change.number} -> {change.state} at {change.at:.3f}", flush=True)
    for number, state in list(outcome.wrong_at_end.items())[:10]:
        print(f"# lost (wrong at the end): {number} shows {state}", flush=True)
    print(f"BENCH status_lag_p50 {p50:.0f} ms", flush=True)
    print(f"BENCH status_lag_p99 {p99:.0f} ms", flush=True)
    print(f"BENCH status_lag_unseen {unseen} changes", flush=True)
    print(f"BENCH status_lag_lost {lost} events", flush=True)
    ok = p99 <= target_ms and lost == 0 and unseen == 0 and answered == calls
    print(f"SUMMARY {'PASS' if ok else 'FAIL'}: status_lag p99 {p99:.0f} ms over {len(lags)} changes "
          f"(target <= {target_ms:.0f} ms; {unseen} never seen, counted as infinite), {lost} extensions wrong "
          f"at the end (target 0), {answered} of {calls} calls answered", flush=True)
    return 0 if ok else 1
