"""``python -m bench_dialplan``: internal-call dialplan fetches per second against the ceiling (README.md).

A call between two phones of one account (context = the account's SIP domain), 100 accounts x
50 extensions, random caller / callee pairs; every callee forwards on no answer to an external
number (even extensions) or has follow-me with screening (odd ones), both through the account's
carrier gateway. The ceiling is the same server process kind (gevent WSGIServer + the same Flask
app) returning a fixed document of the same size without looking at the request (bench.server's
``flask-fixed``). Max-rate phases alternate ceiling / real ``--rounds`` times; the best of each
is kept (interference from other processes only ever lowers a rate).
"""
from __future__ import annotations

import argparse
import base64
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.runner import Server, cpus, post
from bench.seed import bench_settings

from . import bodies
from .seed import follow_me_number, forward_number, is_forwarding, seed

ROOT = Path(__file__).resolve().parent.parent
FIXED_PATH = "/bench/fixed"
TARGET_RATIO = 0.60
OTHERS_BUSY = 0.15


def _args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench_dialplan", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before measuring")
    parser.add_argument("--duration", type=float, default=5.0, help="measured seconds per phase")
    parser.add_argument("--rounds", type=int, default=3, help="ceiling/real max-rate pairs (best kept)")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive connections")
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


def _live_check(server: Server, seeded, settings, workdir: Path) -> None:
    """Real answers over HTTP for a forwarding and a follow-me callee of every account; a caller
    that is not an extension is refused. The median-size answer becomes the ceiling's document."""
    auth = base64.b64encode(f"{settings.xml_curl_user}:{settings.xml_curl_password}".encode()).decode()
    fields, answers, rng = bodies.template(), [], random.Random(11)
    for seq, domain in enumerate(seeded.domains):
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
    answers.sort(key=len)
    (workdir / "fixed-document.xml").write_bytes(answers[len(answers) // 2])


def run_load(spec: dict, workdir: Path, name: str) -> dict:
    path = workdir / f"load-{name}.json"
    path.write_text(json.dumps(spec))
    done = subprocess.run([sys.executable, "-m", "bench_dialplan.load", str(path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=spec["warmup"] + spec["duration"] + 60, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise RuntimeError(f"load phase {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _progress(name: str, r: dict) -> None:
    print(f"# {name}: {r['rate']:.0f} req/s  p50 {r['p50_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms  errors "
          f"{r['errors_total']}  cpu server {r.get('server_cpu', 0):.0%} load {r.get('client_cpu', 0):.0%} "
          f"others {r.get('other_cpu', 0):.0%} steal {r.get('steal', 0):.0%}", flush=True)


def _spec(args, server: Server, seeded, settings, client_cpu, path: str) -> dict:
    return dict(port=server.port, server_pid=server.pid, cpu=client_cpu, connections=args.connections,
                warmup=args.warmup, duration=args.duration, domains=seeded.domains, numbers=seeded.numbers,
                path=path, user=settings.xml_curl_user, password=settings.xml_curl_password, pool=2000)


def _measure(args, servers: dict, seeded, settings, client_cpu, workdir: Path) -> dict[str, list[dict]]:
    runs: dict[str, list[dict]] = {"ceiling": [], "real": []}
    for n in range(args.rounds):
        for kind, server_kind, path in (("ceiling", "flask-fixed", FIXED_PATH), ("real", "real", bodies.PATH)):
            spec = _spec(args, servers[server_kind], seeded, settings, client_cpu, path)
            runs[kind].append(run_load(spec, workdir, f"{kind}-{n}"))
            _progress(f"{kind} round {n + 1}", runs[kind][-1])
    return runs


def _profile(args, server: Server, seeded, settings, client_cpu, workdir: Path) -> None:
    """One extra real phase under cProfile (SIGUSR1 .. SIGUSR2, bench.server); not in the figures."""
    import pstats
    import signal

    server.signal(signal.SIGUSR1)
    _progress("real under cProfile (not counted)",
              run_load(_spec(args, server, seeded, settings, client_cpu, bodies.PATH), workdir, "profile"))
    server.signal(signal.SIGUSR2)
    done = Path(args.profile + ".done")
    for _ in range(100):
        if done.exists():
            break
        time.sleep(0.1)
    pstats.Stats(args.profile).sort_stats("cumulative").print_stats(45)


def _report(runs: dict[str, list[dict]]) -> int:
    ceiling, real = (max(runs[k], key=lambda r: r["rate"]) for k in ("ceiling", "real"))
    ratio = real["rate"] / ceiling["rate"] if ceiling["rate"] else 0.0
    per_round = statistics.median(r["rate"] / c["rate"] for r, c in zip(runs["real"], runs["ceiling"]) if c["rate"])
    print(f"BENCH dialplan_internal_ceiling_rate {ceiling['rate']:.0f} req/s ratio=1.00")
    print(f"BENCH dialplan_internal_rate {real['rate']:.0f} req/s ratio={ratio:.2f}")
    print(f"BENCH dialplan_internal_p50 {real['p50_ms']:.2f} ms ratio={real['p50_ms'] / ceiling['p50_ms']:.2f}")
    verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
    print(f"SUMMARY {verdict}: internal dialplan {real['rate']:.0f} req/s = {ratio:.2f} of the ceiling "
          f"{ceiling['rate']:.0f} req/s (target {TARGET_RATIO:.2f}); median per-round ratio {per_round:.2f}")
    errors = sum(r["errors_total"] for found in runs.values() for r in found)
    busy = [r for found in runs.values() for r in found if r.get("other_cpu", 0) + r.get("steal", 0) > OTHERS_BUSY]
    if errors:
        print(f"# WARNING (run not sound): {errors} bad answers")
    if busy:
        print(f"# WARNING: other processes took > {OTHERS_BUSY:.0%} of a core in {len(busy)} phases")
    return 0 if verdict == "PASS" and not errors else 1


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
        config = workdir / "config.json"
        config.write_text(json.dumps({"tcp_nodelay": True, "fixed_document": str(workdir / "fixed-document.xml"),
                                      "settings": dict(instance_path=settings.instance_path,
                                                       database_url=settings.database_url,
                                                       xml_curl_password=settings.xml_curl_password,
                                                       secret_key=settings.secret_key,
                                                       esl_password=settings.esl_password)}))
        env = {"BENCH_CPROFILE": args.profile} if args.profile else None
        servers["real"] = Server("real", config, workdir, server_cpu, env=env).wait_ready()
        _live_check(servers["real"], seeded, settings, workdir)
        size = (workdir / "fixed-document.xml").stat().st_size
        print(f"# live check passed (200 answers, bridge to the callee then the carrier leg); "
              f"fixed document {size} bytes", flush=True)
        servers["flask-fixed"] = Server("flask-fixed", config, workdir, server_cpu).wait_ready()
        status = _report(_measure(args, servers, seeded, settings, client_cpu, workdir))
        if args.profile:
            _profile(args, servers["real"], seeded, settings, client_cpu, workdir)
        return status
    finally:
        for server in servers.values():
            server.stop()
        if args.keep:
            print(f"# kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
