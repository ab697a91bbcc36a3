"""``python -m bench_esl``: events per second ingested AND applied by the ESL listener, against
the ceiling of merely reading and splitting the same stream.

Both runs read the same bytes from the same fake FreeSWITCH (bench_esl/feeder.py, its own
process on another core when there is one); this process is pinned to one core. The applied
run is the production path -- NodeListener, EslConnection, handler tables, lanes, batched
writes to a fresh, migrated SQLite database -- and ends when every event has been committed.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402

from bench_esl import runs  # noqa: E402
from bench_esl.stream import template  # noqa: E402

TARGET_RATE, TARGET_RATIO = 20_000, 0.50


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench_esl", description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=40_000, help="events per run (rounded to copies)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each kind; the median counts")
    return parser.parse_args()


def main() -> int:
    args = _args()
    logging.disable(logging.WARNING)  # one log line per event would be measured, not the work
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) >= 2:
        os.sched_setaffinity(0, {cores[0]})
    _, per_copy, counts = template()
    copies = max(1, args.events // per_copy)
    total = copies * per_copy
    print(f"stream: {copies} copies x {per_copy} events = {total} events "
          f"({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))} per copy)", flush=True)
    with runs.Feeder(cores[1] if len(cores) >= 2 else None) as feeder:
        ceiling = [runs.ceiling(feeder, copies, total) for _ in range(args.repeat)]
        applied = [runs.applied(feeder, copies, total) for _ in range(args.repeat)]
    ceil_rate = statistics.median(r.rate for r in ceiling)
    best = sorted(applied, key=lambda r: r.rate)[len(applied) // 2]
    ratio = best.rate / ceil_rate
    for r in applied:
        print(f"  applied run: {r.rate:,.0f} events/s, {r.cpu_rate:,.0f} events per CPU-second, "
              f"{r.detail}", flush=True)
    print(f"BENCH esl_events_applied_rate {best.rate:.0f} events/s ratio={ratio:.2f}")
    print(f"BENCH esl_frames_ceiling_rate {ceil_rate:.0f} events/s ratio=1.00")
    ok_rate, ok_ratio = best.rate >= TARGET_RATE, ratio >= TARGET_RATIO
    print(f"{'PASS' if ok_rate else 'FAIL'} applied rate {best.rate:,.0f} >= {TARGET_RATE:,} events/s")
    print(f"{'PASS' if ok_ratio else 'FAIL'} applied/ceiling {ratio:.2f} >= {TARGET_RATIO:.2f}")
    return 0 if ok_rate and ok_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
