"""``python -m bench_inbound``: inbound dialplan fetches per second against the ceiling (README.md).

A carrier call's dialplan request (context ``public``) for one of 20 company numbers, each with
200 schedule exceptions and its account's 1,000 blacklist rules, answered with a welcome menu
plan. The ceiling is the same server process kind (gevent WSGIServer + the same Flask app)
returning a fixed document of the same size without looking at the request (bench.server's
``flask-fixed``). Max-rate phases alternate ceiling / real ``--rounds`` times; the best of each
is kept (interference from other processes only ever lowers a rate).
"""
from __future__ import annotations

import argparse
import base64
import shutil
import sys
import tempfile
from pathlib import Path

from bench import phases
from bench.runner import Server, cpus, post
from bench.seed import bench_settings

from . import bodies
from .seed import seed

TARGET_RATIO = 0.60


def _args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench_inbound", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before measuring")
    parser.add_argument("--duration", type=float, default=6.0, help="measured seconds per phase")
    parser.add_argument("--rounds", type=int, default=3, help="ceiling/real max-rate pairs (best kept)")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args(argv)


def _live_check(server: Server, seeded, settings, workdir: Path) -> None:
    """Real answers over HTTP: every number runs its menu, a blacklisted caller is refused, an
    anonymous caller passes. The median-size answer becomes the ceiling's fixed document."""
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
    answers.sort(key=len)
    (workdir / "fixed-document.xml").write_bytes(answers[len(answers) // 2])


def _measure(args, servers: dict, seeded, settings, client_cpu, workdir: Path) -> dict[str, list[dict]]:
    def spec_for(server_kind: str, path: str | None) -> dict:
        server = servers[server_kind]
        return dict(port=server.port, server_pid=server.pid, cpu=client_cpu, connections=args.connections,
                    warmup=args.warmup, duration=args.duration, dids=seeded.dids, path=path or bodies.PATH,
                    user=settings.xml_curl_user, password=settings.xml_curl_password, pool=2000)
    return phases.measure(args.rounds, "bench_inbound.load", spec_for, workdir)


def main(argv=None) -> int:
    args = _args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="pbx-bench-inbound-"))
    servers: dict[str, Server] = {}
    try:
        server_cpu, client_cpu = cpus()
        settings = bench_settings(workdir / "instance")
        seeded = seed(settings)
        print(f"# seeded {len(seeded.dids)} numbers x 200 exceptions, 1,000 blacklist rules per account; "
              f"server on cpu {server_cpu}, load on cpu {client_cpu}", flush=True)
        config = phases.write_server_config(workdir, settings)
        servers["real"] = Server("real", config, workdir, server_cpu).wait_ready()
        _live_check(servers["real"], seeded, settings, workdir)
        servers["flask-fixed"] = Server("flask-fixed", config, workdir, server_cpu).wait_ready()
        runs = _measure(args, servers, seeded, settings, client_cpu, workdir)
        return phases.report(runs, "inbound_dialplan", "inbound dialplan", TARGET_RATIO)
    finally:
        for server in servers.values():
            server.stop()
        if args.keep:
            print(f"# kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
