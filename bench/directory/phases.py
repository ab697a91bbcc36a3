"""Pieces shared by the dialplan benchmarks (bench.inbound, bench.dialplan): the server config,
one load phase in its own process, progress lines, alternating max-rate rounds and the report."""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
FIXED_PATH = "/bench/fixed"
OTHERS_BUSY = 0.15
SERVER_BUSY = 0.85  # a max-rate server below this share of its core was limited by something else


def write_server_config(workdir: Path, settings) -> Path:
    """What bench.directory.server needs to build the real app and the fixed-document ceiling."""
    config = workdir / "config.json"
    config.write_text(json.dumps({"tcp_nodelay": True, "fixed_document": str(workdir / "fixed-document.xml"),
                                  "settings": dict(instance_path=settings.instance_path,
                                                   database_url=settings.database_url,
                                                   xml_curl_password=settings.xml_curl_password,
                                                   secret_key=settings.secret_key,
                                                   esl_password=settings.esl_password)}))
    return config


def run_load(load_module: str, spec: dict, workdir: Path, name: str) -> dict:
    path = workdir / f"load-{name}.json"
    path.write_text(json.dumps(spec))
    done = subprocess.run([sys.executable, "-m", load_module, str(path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=spec["warmup"] + spec["duration"] + 60, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise RuntimeError(f"load phase {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def progress(name: str, r: dict) -> None:
    print(f"# {name}: {r['rate']:.0f} req/s  p50 {r['p50_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms  errors "
          f"{r['errors_total']}  cpu server {r.get('server_cpu', 0):.0%} load {r.get('client_cpu', 0):.0%} "
          f"others {r.get('other_cpu', 0):.0%} steal {r.get('steal', 0):.0%}", flush=True)


def measure(rounds: int, load_module: str, spec_for: Callable[[str, str], dict],
            workdir: Path) -> dict[str, list[dict]]:
    """Max-rate phases alternating ceiling / real; ``spec_for(server_kind, path)`` builds a spec."""
    runs: dict[str, list[dict]] = {"ceiling": [], "real": []}
    for n in range(rounds):
        for kind, server_kind, path in (("ceiling", "flask-fixed", FIXED_PATH), ("real", "real", None)):
            runs[kind].append(run_load(load_module, spec_for(server_kind, path), workdir, f"{kind}-{n}"))
            progress(f"{kind} round {n + 1}", runs[kind][-1])
    return runs


def report(runs: dict[str, list[dict]], metric: str, label: str, target: float) -> int:
    """The BENCH lines (best of each kind: interference only lowers a rate) and the verdict."""
    ceiling, real = (max(runs[k], key=lambda r: r["rate"]) for k in ("ceiling", "real"))
    ratio = real["rate"] / ceiling["rate"] if ceiling["rate"] else 0.0
    per_round = statistics.median(r["rate"] / c["rate"] for r, c in zip(runs["real"], runs["ceiling"]) if c["rate"])
    print(f"BENCH {metric}_ceiling_rate {ceiling['rate']:.0f} req/s ratio=1.00")
    print(f"BENCH {metric}_rate {real['rate']:.0f} req/s ratio={ratio:.2f}")
    print(f"BENCH {metric}_p50 {real['p50_ms']:.2f} ms ratio={real['p50_ms'] / ceiling['p50_ms']:.2f}")
    verdict = "PASS" if ratio >= target else "FAIL"
    print(f"SUMMARY {verdict}: {label} {real['rate']:.0f} req/s = {ratio:.2f} of the ceiling "
          f"{ceiling['rate']:.0f} req/s (target {target:.2f}); median per-round ratio {per_round:.2f}")
    errors = sum(r["errors_total"] for found in runs.values() for r in found)
    busy = [r for found in runs.values() for r in found if r.get("other_cpu", 0) + r.get("steal", 0) > OTHERS_BUSY]
    if errors:
        print(f"# WARNING (run not sound): {errors} bad answers")
    if busy:
        print(f"# WARNING: other processes took > {OTHERS_BUSY:.0%} of a core in {len(busy)} phases")
    return 0 if verdict == "PASS" and not errors else 1


def cold_rounds(rounds: int, fresh_server: Callable[[int], object], run: Callable[[object, str], dict],
                ceiling_server) -> dict[str, list[dict]]:
    """Cold phases (bench.directory.cold): each round starts a fresh real server process (``fresh_server(n)``
    warms its code on data outside the cold list), then sends the whole cold list to the ceiling
    and to that server, ``run(server, kind)``; a second round on the same process would be warm."""
    runs: dict[str, list[dict]] = {"ceiling": [], "real": []}
    for n in range(rounds):
        server = fresh_server(n)
        try:
            for kind, target in (("ceiling", ceiling_server), ("real", server)):
                runs[kind].append(run(target, kind))
                cold_progress(f"cold {kind} round {n + 1}", runs[kind][-1])
        finally:
            server.stop()
    return runs


def cold_progress(name: str, r: dict) -> None:
    print(f"# {name}: {r['rate']:.0f} req/s over answers {r['sent'] // 10}..{r['sent'] * 95 // 100} of "
          f"{r['sent']} distinct requests, new connection each; p50 {r['p50_ms']:.2f} ms p99 {r['p99_ms']:.2f} ms "
          f"errors {r['errors_total']} cpu server {r['server_cpu']:.0%} load {r['client_cpu']:.0%}", flush=True)


def report_cold(runs: dict[str, list[dict]], metric: str, label: str, target: float) -> bool:
    """``BENCH <metric>_ceiling_rate`` / ``BENCH <metric>_rate`` (best of each: interference only
    lowers a rate) and a SUMMARY line; True when the target is met with no bad answer."""
    ceiling, real = (max(runs[k], key=lambda r: r["rate"]) for k in ("ceiling", "real"))
    ratio = real["rate"] / ceiling["rate"] if ceiling["rate"] else 0.0
    ratios = sorted(r["rate"] / c["rate"] for r, c in zip(runs["real"], runs["ceiling"]) if c["rate"])
    print(f"BENCH {metric}_ceiling_rate {ceiling['rate']:.0f} req/s ratio=1.00")
    print(f"BENCH {metric}_rate {real['rate']:.0f} req/s ratio={ratio:.2f}")
    errors = sum(r["errors_total"] for found in runs.values() for r in found)
    verdict = "PASS" if ratio >= target and not errors else "FAIL"
    print(f"SUMMARY {verdict}: {label} (cold: each request a distinct one, new connection each) "
          f"{real['rate']:.0f} req/s = {ratio:.2f} of the ceiling {ceiling['rate']:.0f} req/s (target {target:.2f}); "
          f"per-round ratios {', '.join(f'{r:.2f}' for r in ratios)}")
    if errors:
        print(f"# WARNING (run not sound): {errors} bad answers in the cold phases")
    idle = [r for found in runs.values() for r in found if r["server_cpu"] < SERVER_BUSY]
    if idle:  # something else (the machine, the load generator) limited those rounds, not the server
        print(f"# WARNING: the server was below {SERVER_BUSY:.0%} busy in {len(idle)} cold rounds "
              f"({', '.join(format(r['server_cpu'], '.0%') for r in idle)}): their rates understate it")
    return verdict == "PASS"
