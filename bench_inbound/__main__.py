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
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.runner import Server, cpus, post
from bench.seed import bench_settings

from . import bodies
from .seed import seed

ROOT = Path(__file__).resolve().parent.parent
FIXED_PATH = "/bench/fixed"
TARGET_RATIO = 0.60
OTHERS_BUSY = 0.15


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


def run_load(spec: dict, workdir: Path, name: str) -> dict:
    path = workdir / f"load-{name}.json"
    path.write_text(json.dumps(spec))
    done = subprocess.run([sys.executable, "-m", "bench_inbound.load", str(path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=spec["warmup"] + spec["duration"] + 60, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise RuntimeError(f"load phase {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _progress(name: str, r: dict) -> None:
    print(f"# {name}: {r['rate']:.0f} req/s  p50 {r['p50_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms  errors "
          f"{r['errors_total']}  cpu server {r.get('server_cpu', 0):.0%} load {r.get('client_cpu', 0):.0%} "
          f"others {r.get('other_cpu', 0):.0%} steal {r.get('steal', 0):.0%}", flush=True)


def _measure(args, servers: dict, seeded, settings, client_cpu, workdir: Path) -> dict[str, list[dict]]:
    runs: dict[str, list[dict]] = {"ceiling": [], "real": []}
    for n in range(args.rounds):
        for kind, server_kind, path in (("ceiling", "flask-fixed", FIXED_PATH), ("real", "real", bodies.PATH)):
            server = servers[server_kind]
            spec = dict(port=server.port, server_pid=server.pid, cpu=client_cpu, connections=args.connections,
                        warmup=args.warmup, duration=args.duration, dids=seeded.dids, path=path,
                        user=settings.xml_curl_user, password=settings.xml_curl_password, pool=2000)
            runs[kind].append(run_load(spec, workdir, f"{kind}-{n}"))
            _progress(f"{kind} round {n + 1}", runs[kind][-1])
    return runs


def _report(runs: dict[str, list[dict]]) -> int:
    ceiling, real = (max(runs[k], key=lambda r: r["rate"]) for k in ("ceiling", "real"))
    ratio = real["rate"] / ceiling["rate"] if ceiling["rate"] else 0.0
    per_round = statistics.median(r["rate"] / c["rate"] for r, c in zip(runs["real"], runs["ceiling"]) if c["rate"])
    print(f"BENCH inbound_dialplan_ceiling_rate {ceiling['rate']:.0f} req/s ratio=1.00")
    print(f"BENCH inbound_dialplan_rate {real['rate']:.0f} req/s ratio={ratio:.2f}")
    print(f"BENCH inbound_dialplan_p50 {real['p50_ms']:.2f} ms ratio={real['p50_ms'] / ceiling['p50_ms']:.2f}")
    verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
    print(f"SUMMARY {verdict}: inbound dialplan {real['rate']:.0f} req/s = {ratio:.2f} of the ceiling "
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
    workdir = Path(tempfile.mkdtemp(prefix="pbx-bench-inbound-"))
    servers: dict[str, Server] = {}
    try:
        server_cpu, client_cpu = cpus()
        settings = bench_settings(workdir / "instance")
        seeded = seed(settings)
        print(f"# seeded {len(seeded.dids)} numbers x 200 exceptions, 1,000 blacklist rules per account; "
              f"server on cpu {server_cpu}, load on cpu {client_cpu}", flush=True)
        config = workdir / "config.json"
        config.write_text(json.dumps({"tcp_nodelay": True, "fixed_document": str(workdir / "fixed-document.xml"),
                                      "settings": dict(instance_path=settings.instance_path,
                                                       database_url=settings.database_url,
                                                       xml_curl_password=settings.xml_curl_password,
                                                       secret_key=settings.secret_key,
                                                       esl_password=settings.esl_password)}))
        servers["real"] = Server("real", config, workdir, server_cpu).wait_ready()
        _live_check(servers["real"], seeded, settings, workdir)
        servers["flask-fixed"] = Server("flask-fixed", config, workdir, server_cpu).wait_ready()
        return _report(_measure(args, servers, seeded, settings, client_cpu, workdir))
    finally:
        for server in servers.values():
            server.stop()
        if args.keep:
            print(f"# kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
