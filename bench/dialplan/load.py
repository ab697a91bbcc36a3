"""The load generator for internal dialplan fetches (closed loop, keep-alive connections).

``python -m bench.dialplan.load SPEC_JSON`` prints one JSON line. It reuses the sip_auth bench's
raw-socket HTTP client (bench.directory.load.Connection), its measuring window (bench.directory.stats.Window) and
bench.inbound's closed-loop driver; only the request pool differs.
"""
from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from time import perf_counter as now  # noqa: E402

import gevent  # noqa: E402

from bench.directory.cold import run_cold  # noqa: E402
from bench.directory.stats import Window, cpu_seconds  # noqa: E402
from bench.inbound.load import EXPECTED, run_max  # noqa: E402

from . import bodies  # noqa: E402


def main(spec_path: str) -> None:
    spec = json.loads(open(spec_path).read())
    if spec.get("cpu") is not None:
        os.sched_setaffinity(0, {spec["cpu"]})
    if spec.get("mode") == "cold":  # each listed call once, a new connection each (bench.directory.cold)
        reqs = bodies.cold_pool([tuple(c) for c in spec["cold"]], port=spec["port"], user=spec["user"],
                                password=spec["password"], path=spec["path"])
        print(json.dumps(run_cold(spec, reqs, EXPECTED)))
        return
    reqs = bodies.pool(spec["domains"], spec["numbers"], port=spec["port"], user=spec["user"],
                       password=spec["password"], size=spec.get("pool", 2000), path=spec["path"])
    start = now()
    window = Window(start, start + spec["warmup"], start + spec["warmup"] + spec["duration"])
    sampler = gevent.spawn(window.sample_cpu, spec["server_pid"], cpu_seconds)
    run_max(spec, reqs, window)
    sampler.join()
    print(json.dumps(window.summary()))


if __name__ == "__main__":
    main(sys.argv[1])
