"""status_lag: how long after the switch's CHANNEL_ANSWER / CHANNEL_HANGUP_COMPLETE the status
API shows the extension's new state, for a burst of calls through a real FreeSWITCH (README.md).

One account with 2 × ``pairs`` extensions, all registered from a peer switch; ``calls`` calls
at ``call_rate`` per second, call i from caller i mod pairs to callee i mod pairs, each
answered at once and hung up by the caller ``hold`` seconds later, so one extension has one
call at a time and the changes of one extension are seconds apart. The status API is polled
back to back from before the first call until every call is over and the view has settled.
"""
from __future__ import annotations

import json
import time
from contextlib import ExitStack
from pathlib import Path

from tests.e2e.rig import wait_for

from . import report
from .calls import place_calls, start_peer
from .lag import changes, measure
from .seed import numbers, seed_account
from .site import Site
from .watch import CpuShares, EventRecorder, StatusPoller

TARGET_P99_MS = 250.0
DOMAIN = "lag.bench.test"
SETTLE_SECONDS = 3.0


def _all_registered(peer, poller: StatusPoller, count: int) -> bool:
    """The peer's gateways all registered, and the status API shows every extension available."""
    if peer.api("sofia status gateway").count("REGED") < count:
        return False
    states = poller.snapshot().states
    return len(states) == count and all(s[0] == "available" and s[1] >= 1 for s in states.values())


def _burst(site: Site, sut, peer, poller: StatusPoller, plan, args) -> tuple[list[dict], float, str]:
    recorder = EventRecorder(sut)
    recorder.start()
    poller.start()
    cpu = CpuShares({**site.cp.pids(), "switch": sut.pid(), "peer": peer.pid()})
    try:
        time.sleep(0.5)  # a few polls before the first call
        late = place_calls(peer, plan, args.call_rate, args.hold)
        wait_for(lambda: not sut.channels(), 30 + args.hold, interval=0.2, what="every call to end")
        shares = cpu.line()
        time.sleep(SETTLE_SECONDS)
    finally:
        events = recorder.stop()
        poller.stop()
    return events, late, shares


def _keep(workdir: Path, events: list[dict], polls) -> None:
    """The raw material, for a second look (python -m bench.switch status_lag --keep)."""
    (workdir / "events.json").write_text(json.dumps(events))
    (workdir / "polls.json").write_text(json.dumps([[p.sent, p.received, p.states] for p in polls]))


def run(command: list[str], workdir: Path, args) -> int:
    with ExitStack() as stack:
        site = Site(workdir, command, stack, layout=args.layout)
        all_numbers = numbers(2 * args.pairs)
        callers, callees = all_numbers[:args.pairs], all_numbers[args.pairs:]
        site.tenant = site.start_control_plane(lambda settings: seed_account(settings, all_numbers, DOMAIN))
        sut = site.start_switch("sut")
        peer = start_peer(site, site.tenant.passwords, DOMAIN)
        poller = StatusPoller(site.cp.port, site.tenant.account_id, site.tenant.admin_token, args.poll_interval)
        wait_for(lambda: _all_registered(peer, poller, len(all_numbers)), 60, interval=0.5,
                 what="every phone registered and shown available")
        plan = [(callers[i % args.pairs], callees[i % args.pairs]) for i in range(args.calls)]
        print(f"# {len(all_numbers)} extensions registered from the peer; {args.calls} calls at {args.call_rate:g}/s, "
              f"each held {args.hold:g} s, over {args.pairs} caller/callee pairs; status API polled every "
              f"{args.poll_interval * 1000:.0f} ms", flush=True)
        events, late, shares = _burst(site, sut, peer, poller, plan, args)
        print(shares, flush=True)
        _keep(workdir, events, poller.polls)
        found, unmapped = changes(events, set(callers), set(callees))
        outcome = measure(found, poller.polls, set(all_numbers))
        outcome.unmapped = unmapped
        return report.lag_final(outcome, events, poller, args.calls, late, TARGET_P99_MS)
