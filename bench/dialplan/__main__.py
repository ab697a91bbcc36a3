"""``python -m bench.dialplan``: internal-call dialplan fetches per second against the ceiling (README.md).

A call between two phones of one account (context = the account's SIP domain), 100 accounts x
50 extensions, random caller / callee pairs; every callee forwards on no answer to an external
number (even extensions) or has follow-me with screening (odd ones), both through the account's
carrier gateway. The ceiling is the same server process kind (gevent WSGIServer + the same Flask
app) returning a fixed document of the same size without looking at the request (bench.directory.server's
``flask-fixed``). Max-rate phases alternate ceiling / real ``--rounds`` times; the best of each
is kept (interference from other processes only ever lowers a rate).

Then the cold rounds (issue 15, bench.directory.cold): each on a fresh server process, warmed on accounts
1-60, then one call to every extension of accounts 61-100 (2,000 callees, each once, random
callers of the account), a new TCP connection per request, against the ceiling answering the
same list the same way.
"""
from __future__ import annotations

import argparse
import base64
import random
import sys
import tempfile
import time
from pathlib import Path

from bench.directory import phases
from bench.directory.runner import Server, cpus, finish, post
from bench.directory.seed import bench_settings

from . import bodies
from .seed import follow_me_number, forward_number, is_forwarding, seed

TARGET_RATIO = 0.60
TARGET_COLD_RATIO = 0.50
COLD_ACCOUNTS = 40  # the last 40 accounts x 50 extensions: 2,000 callees


def _args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.dialplan", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before measuring")
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds per phase")
    parser.add_argument("--rounds", type=int, default=3, help="ceiling/real max-rate pairs (best kept)")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--cold-rounds", type=int, default=3,
                        help="cold rounds, each on a fresh server process (0: warm figure only)")
    parser.add_argument("--profile", metavar="FILE", help="cProfile the real server over one extra real phase")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args(argv)


def expected_legs(domain: str, callee: str, gateway: str) -> list[bytes]:
    """What a correct answer must contain: the callee's phone, then the carrier leg."""
    account_id = int(domain[1:4])  # d001.bench.test: accounts are created in order, ids 1..100
    i = int(callee) - 100
    if is_forwarding(callee):
        external = [f"sofia/gateway/{gateway}/1{forward_number(account_id, i)}".encode()]
    else:
        external = [f"sofia/gateway/{gateway}/1{follow_me_number(account_id, i)}".encode(), b"group_confirm_key=1"]
    return [b'application="bridge"', f"user/{callee}@{domain}".encode(), *external]


def _live_check(server: Server, seeded, settings, workdir: Path | None, domains: list[str] | None = None) -> None:
    """Real answers over HTTP for a forwarding and a follow-me callee of every account (of
    ``domains``); a caller that is not an extension is refused. The median-size answer becomes
    the ceiling's document when ``workdir`` is given."""
    auth = base64.b64encode(f"{settings.xml_curl_user}:{settings.xml_curl_password}".encode()).decode()
    fields, answers, rng = bodies.template(), [], random.Random(11)
    for seq, domain in enumerate(domains or seeded.domains):
        for callee in ("120", "121"):  # one of each kind
            caller = rng.choice([n for n in seeded.numbers if n != callee])
            status, body = post(server.port, bodies.body(fields, domain, caller, callee, seq, rng),
                                path=bodies.PATH, auth=auth)
            missing = [m for m in expected_legs(domain, callee, seeded.gateways[domain]) if m not in body]
            if status != 200 or missing:
                raise RuntimeError(f"live check failed for {caller}->{callee}@{domain}: HTTP {status}, "
                                   f"missing {missing}\n{body[:1500]!r}")
            answers.append(body)
    status, body = post(server.port, bodies.body(fields, seeded.domains[0], "999", "120", 1, rng),
                        path=bodies.PATH, auth=auth)
    if b'data="CALL_REJECTED"' not in body:
        raise RuntimeError(f"live check failed: an unknown caller was not refused: {body[:600]!r}")
    if workdir is not None:
        answers.sort(key=len)
        (workdir / "fixed-document.xml").write_bytes(answers[len(answers) // 2])


def _spec(args, server: Server, seeded, settings, client_cpu, path: str) -> dict:
    return dict(port=server.port, server_pid=server.pid, cpu=client_cpu, connections=args.connections,
                warmup=args.warmup, duration=args.duration, domains=seeded.domains, numbers=seeded.numbers,
                path=path, user=settings.xml_curl_user, password=settings.xml_curl_password, pool=2000)


def _measure(args, servers: dict, seeded, settings, client_cpu, workdir: Path) -> dict[str, list[dict]]:
    def spec_for(server_kind: str, path: str | None) -> dict:
        return _spec(args, servers[server_kind], seeded, settings, client_cpu, path or bodies.PATH)
    return phases.measure(args.rounds, "bench.dialplan.load", spec_for, workdir)


def _cold(args, ceiling: Server, seeded, settings, where, workdir: Path) -> dict[str, list[dict]]:
    """Every extension of the last COLD_ACCOUNTS accounts called once (``dialplan_internal_cold``)."""
    config, server_cpu, client_cpu = where
    warm, cold = seeded.domains[:-COLD_ACCOUNTS], seeded.domains[-COLD_ACCOUNTS:]
    rng = random.Random(15)
    calls = [(d, rng.choice([n for n in seeded.numbers if n != callee]), callee) for d in cold for callee in seeded.numbers]
    rng.shuffle(calls)

    def fresh(n: int) -> Server:
        server = Server("real", config, workdir, server_cpu, name=f"real-cold-{n}").wait_ready()
        _live_check(server, seeded, settings, None, warm)  # code paths warm; no cold account touched
        return server

    def run(server: Server, kind: str) -> dict:
        spec = dict(_spec(args, server, seeded, settings, client_cpu, bodies.PATH if kind == "real"
                          else phases.FIXED_PATH), mode="cold", cold=calls)
        return phases.run_load("bench.dialplan.load", spec, workdir, f"cold-{kind}-{server.pid}")

    return phases.cold_rounds(args.cold_rounds, fresh, run, ceiling)


def _profile(args, server: Server, seeded, settings, client_cpu, workdir: Path) -> None:
    """One extra real phase under cProfile (SIGUSR1 .. SIGUSR2, bench.directory.server); not in the figures."""
    import pstats
    import signal

    server.signal(signal.SIGUSR1)
    phases.progress("real under cProfile (not counted)",
                    phases.run_load("bench.dialplan.load", _spec(args, server, seeded, settings, client_cpu,
                                                                 bodies.PATH), workdir, "profile"))
    server.signal(signal.SIGUSR2)
    done = Path(args.profile + ".done")
    for _ in range(100):
        if done.exists():
            break
        time.sleep(0.1)
    pstats.Stats(args.profile).sort_stats("cumulative").print_stats(45)


def main(argv=None) -> int:
    args = _args(argv)
    if args.profile:
        args.profile = str(Path(args.profile).resolve())
    workdir = Path(tempfile.mkdtemp(prefix="pbx-bench-dialplan-"))
    servers: dict[str, Server] = {}
    try:
        server_cpu, client_cpu = cpus()
        settings = bench_settings(workdir / "instance")
        started = time.monotonic()
        seeded = seed(settings)
        print(f"# seeded {len(seeded.domains)} accounts x {len(seeded.numbers)} extensions (forward on no answer "
              f"/ follow-me with screening) in {time.monotonic() - started:.1f} s; server on cpu {server_cpu}, "
              f"load on cpu {client_cpu}", flush=True)
        config = phases.write_server_config(workdir, settings)
        env = {"BENCH_CPROFILE": args.profile} if args.profile else None
        servers["real"] = Server("real", config, workdir, server_cpu, env=env).wait_ready()
        _live_check(servers["real"], seeded, settings, workdir)
        size = (workdir / "fixed-document.xml").stat().st_size
        print(f"# live check passed (200 answers, bridge to the callee then the carrier leg); "
              f"fixed document {size} bytes", flush=True)
        servers["flask-fixed"] = Server("flask-fixed", config, workdir, server_cpu).wait_ready()
        runs = _measure(args, servers, seeded, settings, client_cpu, workdir)
        status = phases.report(runs, "dialplan_internal", "internal dialplan", TARGET_RATIO)
        if args.cold_rounds:
            cold = _cold(args, servers["flask-fixed"], seeded, settings, (config, server_cpu, client_cpu), workdir)
            if not phases.report_cold(cold, "dialplan_internal_cold", "internal dialplan", TARGET_COLD_RATIO):
                status = 1
        if args.profile:
            _profile(args, servers["real"], seeded, settings, client_cpu, workdir)
        return status
    finally:
        finish(servers, workdir, args.keep)


if __name__ == "__main__":
    sys.exit(main())
