"""``python -m bench.inbound``: inbound dialplan fetches per second against the ceiling (README.md).

A carrier call's dialplan request (context ``public``) for one of 20 company numbers, each with
200 schedule exceptions and its account's 1,000 blacklist rules, answered with a welcome menu
plan. The ceiling is the same server process kind (gevent WSGIServer + the same Flask app)
returning a fixed document of the same size without looking at the request (bench.directory.server's
``flask-fixed``). Max-rate phases alternate ceiling / real ``--rounds`` times; the best of each
is kept (interference from other processes only ever lowers a rate).

Then the cold rounds (issue 15, bench.directory.cold): each on a fresh server process, warmed by the live
check on the 20 numbers above (so each account's blacklist matcher, routing and view are built),
then one call to each of 1,000 other numbers (50 per account, each with its own 200
exceptions), a new TCP connection per request, against the ceiling answering the same list.
"""
from __future__ import annotations

import argparse
import base64
import sys
import tempfile
from pathlib import Path

from bench.directory import phases
from bench.directory.runner import Server, cpus, finish, post
from bench.directory.seed import bench_settings

from . import bodies
from .seed import seed

TARGET_RATIO = 0.60
TARGET_COLD_RATIO = 0.50


def _args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.inbound", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before measuring")
    parser.add_argument("--duration", type=float, default=6.0, help="measured seconds per phase")
    parser.add_argument("--rounds", type=int, default=3, help="ceiling/real max-rate pairs (best kept)")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--cold-rounds", type=int, default=3,
                        help="cold rounds, each on a fresh server process (0: warm figure only)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args(argv)


def _live_check(server: Server, seeded, settings, workdir: Path | None) -> None:
    """Real answers over HTTP: every number runs its menu, a blacklisted caller is refused, an
    anonymous caller passes. The median-size answer becomes the ceiling's fixed document when
    ``workdir`` is given."""
    auth = base64.b64encode(f"{settings.xml_curl_user}:{settings.xml_curl_password}".encode()).decode()
    fields, answers = bodies.template(), []
    for seq, did in enumerate(seeded.dids):
        status, body = post(server.port, bodies.body(fields, did, "4185551234", seq, bodies.random.Random(seq)),
                            path=bodies.PATH, auth=auth)
        if status != 200 or b'application="ivr"' not in body:
            raise RuntimeError(f"live check failed for {did}: HTTP {status}\n{body[:600]!r}")
        answers.append(body)
    checks = ((seeded.blocked[1], b'data="CALL_REJECTED"'), ("anonymous", b'application="ivr"'))
    for caller, expected in checks:
        status, body = post(server.port, bodies.body(fields, seeded.blocked[0], caller, 99, bodies.random.Random(9)),
                            path=bodies.PATH, auth=auth)
        if expected not in body:
            raise RuntimeError(f"live check failed for caller {caller}: {body[:600]!r}")
    if workdir is not None:
        answers.sort(key=len)
        (workdir / "fixed-document.xml").write_bytes(answers[len(answers) // 2])


def _spec(args, server: Server, seeded, settings, client_cpu, path: str) -> dict:
    return dict(port=server.port, server_pid=server.pid, cpu=client_cpu, connections=args.connections,
                warmup=args.warmup, duration=args.duration, dids=seeded.dids, path=path,
                user=settings.xml_curl_user, password=settings.xml_curl_password, pool=2000)


def _measure(args, servers: dict, seeded, settings, client_cpu, workdir: Path) -> dict[str, list[dict]]:
    def spec_for(server_kind: str, path: str | None) -> dict:
        return _spec(args, servers[server_kind], seeded, settings, client_cpu, path or bodies.PATH)
    return phases.measure(args.rounds, "bench.inbound.load", spec_for, workdir)


def _cold(args, ceiling: Server, seeded, settings, where, workdir: Path) -> dict[str, list[dict]]:
    """Each of the 1,000 cold numbers called once (``dialplan_inbound_cold``)."""
    config, server_cpu, client_cpu = where
    dids = list(seeded.cold_dids)
    bodies.random.Random(15).shuffle(dids)

    def fresh(n: int) -> Server:
        server = Server("real", config, workdir, server_cpu, name=f"real-cold-{n}").wait_ready()
        _live_check(server, seeded, settings, None)  # the accounts warm; no cold number called
        return server

    def run(server: Server, kind: str) -> dict:
        spec = dict(_spec(args, server, seeded, settings, client_cpu,
                          bodies.PATH if kind == "real" else phases.FIXED_PATH), mode="cold", cold=dids)
        return phases.run_load("bench.inbound.load", spec, workdir, f"cold-{kind}-{server.pid}")

    return phases.cold_rounds(args.cold_rounds, fresh, run, ceiling)


def main(argv=None) -> int:
    args = _args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="pbx-bench-inbound-"))
    servers: dict[str, Server] = {}
    try:
        server_cpu, client_cpu = cpus()
        settings = bench_settings(workdir / "instance")
        seeded = seed(settings)
        print(f"# seeded {len(seeded.dids)} + {len(seeded.cold_dids)} (cold) numbers x 200 exceptions, "
              f"1,000 blacklist rules per account; "
              f"server on cpu {server_cpu}, load on cpu {client_cpu}", flush=True)
        config = phases.write_server_config(workdir, settings)
        servers["real"] = Server("real", config, workdir, server_cpu).wait_ready()
        _live_check(servers["real"], seeded, settings, workdir)
        servers["flask-fixed"] = Server("flask-fixed", config, workdir, server_cpu).wait_ready()
        runs = _measure(args, servers, seeded, settings, client_cpu, workdir)
        status = phases.report(runs, "inbound_dialplan", "inbound dialplan", TARGET_RATIO)
        if args.cold_rounds:
            cold = _cold(args, servers["flask-fixed"], seeded, settings, (config, server_cpu, client_cpu), workdir)
            if not phases.report_cold(cold, "dialplan_inbound_cold", "inbound dialplan", TARGET_COLD_RATIO):
                status = 1
        return status
    finally:
        finish(servers, workdir, args.keep)


if __name__ == "__main__":
    sys.exit(main())
