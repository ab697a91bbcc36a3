"""``python -m bench.switch [register_storm|status_lag]``: the benchmarks on a real FreeSWITCH.

Both by default. Without a FreeSWITCH (no bundle beside the project, none on the PATH, no
PBX_TEST_FREESWITCH) each prints ``SKIP`` and why, and the exit status is 0 — except under CI
(``CI`` set), where that is a failure, as for the real-switch test tier. Exit status 1 when a
target is missed or a run could not complete.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import traceback
from contextlib import contextmanager
from pathlib import Path

from tests.e2e.switch import find_freeswitch

from . import register_storm, status_lag
from .site import LAYOUTS, PRIORITY, prioritise

BENCHES = ("register_storm", "status_lag")


def _args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.switch", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("benches", nargs="*", metavar="BENCH", help=f"any of {', '.join(BENCHES)} (default: all)")
    storm = parser.add_argument_group("register_storm")
    storm.add_argument("--users", type=int, default=2000, help="registrations per side and round (distinct users)")
    storm.add_argument("--rounds", type=int, default=2, help="rounds, each real + baseline (best rate kept)")
    storm.add_argument("--concurrency", type=int, default=50, help="registrations in progress at once (sipp -l)")
    storm.add_argument("--time-limit", type=float, default=50.0, help="seconds at most per storm (sipp -timeout)")
    lag = parser.add_argument_group("status_lag")
    lag.add_argument("--calls", type=int, default=200, help="calls placed")
    lag.add_argument("--call-rate", type=float, default=20.0, help="calls per second")
    lag.add_argument("--hold", type=float, default=1.0, help="seconds each call stays answered")
    lag.add_argument("--poll-interval", type=float, default=0.05, help="seconds between status API polls")
    lag.add_argument("--pairs", type=int, default=80, help="caller/callee extension pairs the calls rotate over")
    parser.add_argument("--layout", choices=LAYOUTS, default="production",
                        help="the control plane as production runs it (pbx web + pbx esl), or one pbx run")
    parser.add_argument("--keep", action="store_true", help="keep the run folder (logs, switch folders)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.benches if name not in BENCHES]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}: choose among {', '.join(BENCHES)}")
    return args


def _run(name: str, command: list[str], args) -> int:
    workdir = Path(tempfile.mkdtemp(prefix=f"pbx-bench-{name}-"))
    try:
        return {"register_storm": register_storm.run, "status_lag": status_lag.run}[name](command, workdir, args)
    except Exception:  # noqa: BLE001 - reported, then the other benchmark still runs
        traceback.print_exc()
        print(f"FAIL: {name} did not complete (run folder {workdir})", flush=True)
        args.keep = True
        return 1
    finally:
        if args.keep:
            print(f"# kept {workdir}", flush=True)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    # SIGTERM (a timeout, a CI cancel) unwinds like Ctrl-C, so every process started is stopped:
    # the switches run in sessions of their own and would otherwise outlive the bench.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    names = args.benches or list(BENCHES)
    command, why = find_freeswitch()
    if command is None:
        verdict = "FAIL (CI must run them)" if os.environ.get("CI") else "SKIP"
        for name in names:
            print(f"{verdict}: {name}: {why}", flush=True)
        return 1 if os.environ.get("CI") else 0
    status = 0
    with own_session_prioritised():
        for name in names:
            print(f"== {name}", flush=True)
            status |= _run(name, command, args)
    return status


@contextmanager
def own_session_prioritised():
    """This session too (SIPp, the status poller, the event reader are measuring instruments:
    a late reading inflates a figure), put back as it was afterwards."""
    path = Path("/proc/self/autogroup")
    try:
        before = path.read_text().split("nice")[-1].strip()
    except OSError:
        before = None
    if before is not None and prioritise(os.getpid()):
        print("# priority: the measured processes and this session run at autogroup nice "
              f"{PRIORITY} (other work on the machine yields the cores)", flush=True)
    else:
        print("# priority: unchanged (not allowed): other work on the machine competes as usual", flush=True)
    try:
        yield
    finally:
        if before is not None:
            try:
                path.write_text(before)
            except OSError:
                pass


if __name__ == "__main__":
    sys.exit(main())
