"""``python -m bench.directory``: directory sip_auth fetches per second against the ceiling (see README.md).

Phases (each: warm-up, then a measured window; the server on one core, the load on the other):

1. ``wsgi-fixed`` at max rate   gevent + a bare WSGI function returning a fixed document (floor info)
2. ``flask-fixed`` at max rate  the ceiling: same server, same Flask app, a route returning that document
3. ``real`` at max rate         POST /freeswitch/xml, sip_auth for random users of 10,000 extensions
4. ``real`` at half of (3)      open-loop constant rate: p50 / p99 latency
5. ``flask-fixed`` at that rate the ceiling's latency at the same rate (the latency ratios' baseline)
6. cold rounds (bench.directory.cold)     each a fresh ``real`` process, then every user of the 10,000 once
                                (bar the 40 of the live check), a new TCP connection per request,
                                against ``flask-fixed`` answering the same list the same way
"""
from __future__ import annotations

import argparse
import base64
import json
import random
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from . import bodies, phases, report
from .runner import Server, cpus, post, print_caches, run_load, stall_probe
from .seed import bench_settings, seed

FIXED_PATH = "/bench/fixed"


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.directory", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of load before measuring")
    parser.add_argument("--duration", type=float, default=10.0, help="measured seconds per phase")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument("--repeat", type=int, default=2,
                        help="max-rate runs of ceiling and real, alternated (best kept)")
    parser.add_argument("--new-connections", action="store_true",
                        help="one TCP connection per request, as mod_xml_curl really does (default: keep-alive)")
    parser.add_argument("--nagle", action="store_true",
                        help="leave Nagle on in the server (pywsgi's default: 40 ms stalls on keep-alive)")
    parser.add_argument("--cold-rounds", type=int, default=2,
                        help="cold rounds, each on a fresh server process (0: warm figures only)")
    parser.add_argument("--profile", action="store_true", help="also cProfile the real server at max rate")
    parser.add_argument("--keep", action="store_true", help="keep the temporary instance folder")
    return parser.parse_args(argv)


LIVE_SAMPLE = 40


def _live_sample(seeded) -> list[tuple[str, str]]:
    return random.Random(3).sample(sorted(seeded.passwords), LIVE_SAMPLE)


def _live_check(server: Server, seeded, settings, workdir: Path | None) -> None:
    """Sampled users answered over HTTP with the right a1-hash; the median-size answer becomes
    the fixed document of the ceiling (same size as a real answer), when ``workdir`` is given."""
    import hashlib
    import re

    auth = base64.b64encode(f"{settings.xml_curl_user}:{settings.xml_curl_password}".encode()).decode()
    form = bodies.templates()[0]
    answers = []
    for domain, number in _live_sample(seeded):
        status, body = post(server.port, bodies.rewrite(form, domain, number, 1, random.Random(1)),
                            path=bodies.PATH, auth=auth)
        found = re.search(rb'name="a1-hash" value="([0-9a-f]{32})"', body)
        expected = hashlib.md5(f"{number}:{domain}:{seeded.passwords[(domain, number)]}".encode()).hexdigest()
        if status != 200 or not found or found.group(1).decode() != expected:
            raise RuntimeError(f"live check failed for {number}@{domain}: HTTP {status}\n{body[:400]!r}")
        answers.append(body)
    if workdir is not None:
        answers.sort(key=len)
        (workdir / "fixed-document.xml").write_bytes(answers[len(answers) // 2])


def _spec(args, server: Server, seeded, settings, client_cpu, **extra) -> dict:
    return dict(port=server.port, server_pid=server.pid, cpu=client_cpu, connections=args.connections,
                keepalive=not args.new_connections,
                warmup=args.warmup, duration=args.duration, domains=seeded.domains, numbers=seeded.numbers,
                user=settings.xml_curl_user, password=settings.xml_curl_password, pool=2000, **extra)


def _profile(args, server: Server, spec: dict, workdir: Path) -> None:
    server.signal(signal.SIGUSR1)
    run_load({**spec, "warmup": 0.5}, workdir, "profile")
    server.signal(signal.SIGUSR2)
    done = Path(str(workdir / "real.prof") + ".done")
    deadline = time.monotonic() + 30
    while not done.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    report.print_profile(workdir / "real.prof")


def _phases(args, workdir: Path) -> dict:
    server_cpu, client_cpu = cpus()
    for cpu in (server_cpu, client_cpu):
        print(report.stall_line(cpu, stall_probe(cpu)), flush=True)
    started = time.monotonic()
    settings = bench_settings(workdir / "instance")
    seeded = seed(settings)
    print(f"# seeded {len(seeded.domains)} accounts x {len(seeded.numbers)} extensions "
          f"in {time.monotonic() - started:.1f} s; server on cpu {server_cpu}, load on cpu {client_cpu}",
          flush=True)
    config = workdir / "config.json"
    config.write_text(json.dumps({
        "tcp_nodelay": not args.nagle, "fixed_document": str(workdir / "fixed-document.xml"),
        "settings": dict(instance_path=settings.instance_path, database_url=settings.database_url,
                         xml_curl_password=settings.xml_curl_password, secret_key=settings.secret_key,
                         esl_password=settings.esl_password)}))
    profile_env = {"BENCH_CPROFILE": str(workdir / "real.prof")} if args.profile else None
    servers: dict[str, Server] = {}
    try:
        servers["real"] = Server("real", config, workdir, server_cpu, profile_env).wait_ready()
        _live_check(servers["real"], seeded, settings, workdir)
        for kind in ("wsgi-fixed", "flask-fixed"):
            servers[kind] = Server(kind, config, workdir, server_cpu)
        for kind in ("wsgi-fixed", "flask-fixed"):
            servers[kind].wait_ready()
        results = _measure(args, servers, seeded, settings, client_cpu, workdir)
        if args.cold_rounds:
            results["cold"] = _cold(args, servers["flask-fixed"], seeded, settings, (config, server_cpu, client_cpu),
                                    workdir)
        return results
    finally:
        for server in servers.values():
            server.stop()


def _measure(args, servers, seeded, settings, client_cpu, workdir) -> dict:
    """Max-rate phases alternate ceiling / real ``--repeat`` times (best kept: interference from
    other processes only ever lowers a rate); then the two latency phases at half the real max."""
    def spec(kind: str, **extra) -> dict:
        path = bodies.PATH if kind == "real" else FIXED_PATH
        return _spec(args, servers[kind], seeded, settings, client_cpu, path=path, **extra)

    runs: dict[str, list[dict]] = {"floor_max": [], "ceiling_max": [], "real_max": []}
    plan = [("floor_max", "wsgi-fixed"), *[("ceiling_max", "flask-fixed"), ("real_max", "real")] * args.repeat]
    for n, (name, kind) in enumerate(plan):
        result = run_load(spec(kind, mode="max"), workdir, f"{name}-{n}")
        runs[name].append(result)
        report.progress(name, result)
    results = {name: max(found, key=lambda r: r["rate"]) for name, found in runs.items()}
    half = results["real_max"]["rate"] / 2
    for name, kind in (("real_half", "real"), ("ceiling_half", "flask-fixed")):
        results[name] = run_load(spec(kind, mode="rate", rate=half), workdir, name)
        report.progress(name, results[name])
    if args.profile:
        _profile(args, servers["real"], spec("real", mode="max"), workdir)
    return results


def _cold(args, ceiling: Server, seeded, settings, where, workdir: Path) -> dict[str, list[dict]]:
    """Every seeded user once (issue 15 ``sip_auth_cold``), on fresh server processes."""
    config, server_cpu, client_cpu = where
    live = set(_live_sample(seeded))
    users = [pair for pair in sorted(seeded.passwords) if pair not in live]
    random.Random(15).shuffle(users)

    def fresh(n: int) -> Server:
        server = Server("real", config, workdir, server_cpu, name=f"real-cold-{n}").wait_ready()
        _live_check(server, seeded, settings, None)  # its code paths warm, on users not in the list
        return server

    def run(server: Server, kind: str) -> dict:
        spec = _spec(args, server, seeded, settings, client_cpu, mode="cold", cold=users,
                     path=bodies.PATH if kind == "real" else FIXED_PATH)
        return run_load(spec, workdir, f"cold-{kind}-{server.pid}")

    return phases.cold_rounds(args.cold_rounds, fresh, run, ceiling)


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="pbx-bench-"))
    try:
        results = _phases(args, workdir)
        status = report.final(results, args)
        print_caches(workdir)
        return status
    finally:
        if args.keep:
            print(f"# kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
