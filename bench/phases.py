"""Pieces shared by the dialplan benchmarks (bench_inbound, bench_dialplan): the server config,
one load phase in its own process, progress lines, alternating max-rate rounds and the report."""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
FIXED_PATH = "/bench/fixed"
OTHERS_BUSY = 0.15


def write_server_config(workdir: Path, settings) -> Path:
    """What bench.server needs to build the real app and the fixed-document ceiling."""
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
