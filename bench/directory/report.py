"""Output: ``BENCH <name> <value> <unit> ratio=<r>`` lines, a verdict, and the sanity checks.

Ratios are to the baseline measured in the same run: rates to the ceiling's max rate; the
latencies at half rate to the ceiling's latency at that same absolute rate (so the machine's
own floor, loopback and load generator cancel out).
"""
from __future__ import annotations

import pstats
from pathlib import Path

from . import phases

TARGET_RATIO = 0.70  # of the ceiling's rate
TARGET_COLD_RATIO = 0.60  # every user a distinct one, new connections on both sides (issue 15)
TARGET_P99_MS = 10.0  # at half the real endpoint's maximum rate
SERVER_BUSY = 0.85  # below this server CPU share at max rate, something else limited the run
CLIENT_BUSY = 0.90  # above this load-generator CPU share at max rate, the client may be the limit
OTHERS_BUSY = 0.15  # other processes on the machine (a test suite...) above this share: say so


def progress(name: str, r: dict) -> None:
    print(f"# {name}: {r['rate']:.0f} req/s  p50 {r['p50_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms  "
          f"max {r['max_ms']:.1f} ms  errors {r['errors']}  "
          f"wait p50/p99 {r['wait_p50_ms']:.2f}/{r['wait_p99_ms']:.2f} ms  "
          f"cpu server {r.get('server_cpu', 0):.0%} load {r.get('client_cpu', 0):.0%} "
          f"others {r.get('other_cpu', 0):.0%} steal {r.get('steal', 0):.0%}", flush=True)


def stall_line(cpu, probe: dict) -> str:
    return (f"# machine: cpu {cpu} spinning 1 s lost {probe['lost']:.1%} in {probe['stalls']} "
            f"pauses > 0.5 ms, longest {probe['longest_ms']:.1f} ms")


def _ratio(value: float, base: float) -> float:
    return value / base if base else 0.0


def _line(name: str, value: float, unit: str, ratio: float, digits: int) -> None:
    print(f"BENCH {name} {value:.{digits}f} {unit} ratio={ratio:.2f}", flush=True)


def _checks(results: dict) -> list[str]:
    """Why the figures may not mean what they say (empty when the run is sound)."""
    problems = []
    for name in ("floor_max", "ceiling_max", "real_max"):
        r = results[name]
        if r.get("server_cpu", 1.0) < SERVER_BUSY:
            problems.append(f"{name}: server only {r['server_cpu']:.0%} busy")
        if r.get("client_cpu", 0.0) > CLIENT_BUSY:
            problems.append(f"{name}: load generator {r['client_cpu']:.0%} busy")
    for name, r in results.items():
        if r["errors_total"]:
            problems.append(f"{name}: {r['errors_total']} bad answers {r['error_kinds']}")
    return problems


def _figures(results: dict) -> float:
    ceiling, real = results["ceiling_max"], results["real_max"]
    half, ceiling_half = results["real_half"], results["ceiling_half"]
    rate_ratio = _ratio(real["rate"], ceiling["rate"])
    _line("xml_curl_ceiling_rate", ceiling["rate"], "req/s", 1.0, 0)
    _line("xml_curl_sip_auth_rate", real["rate"], "req/s", rate_ratio, 0)
    for p in ("p50", "p99"):
        value = half[f"{p}_ms"]
        _line(f"xml_curl_sip_auth_{p}_half_rate", value, "ms", _ratio(value, ceiling_half[f"{p}_ms"]), 2)
    for p in ("p50", "p99"):
        _line(f"xml_curl_ceiling_{p}_half_rate", ceiling_half[f"{p}_ms"], "ms", 1.0, 2)
    floor = results["floor_max"]["rate"]
    _line("xml_curl_wsgi_floor_rate", floor, "req/s", _ratio(floor, ceiling["rate"]), 0)
    return rate_ratio


def final(results: dict, args) -> int:
    """Print the figures and the verdict; exit status 1 only when answers were wrong."""
    rate_ratio = _figures(results)
    real, half, ceiling = results["real_max"], results["real_half"], results["ceiling_max"]
    rate_ok, p99_ok = rate_ratio >= TARGET_RATIO, half["p99_ms"] <= TARGET_P99_MS
    kind = "new-per-request" if args.new_connections else "keep-alive"
    print(f"SUMMARY {'PASS' if rate_ok and p99_ok else 'FAIL'}: "
          f"sip_auth {real['rate']:.0f} req/s = {rate_ratio:.2f} of the ceiling {ceiling['rate']:.0f} req/s "
          f"({'ok' if rate_ok else 'below'} target {TARGET_RATIO:.2f}); "
          f"p99 {half['p99_ms']:.2f} ms at {half['rate']:.0f} req/s, half the max "
          f"({'ok' if p99_ok else 'above'} target {TARGET_P99_MS:.0f} ms); "
          f"{args.connections} {kind} connections, {args.duration:g} s measured after {args.warmup:g} s warm-up")
    cold = results.pop("cold", None)
    if cold is not None:  # its own SUMMARY line; a FAIL is a result, bad answers an error
        phases.report_cold(cold, "sip_auth_cold", "sip_auth", TARGET_COLD_RATIO)
    cold_errors = sum(r["errors_total"] for found in (cold or {}).values() for r in found)
    for problem in _checks(results):
        print(f"# WARNING (run not sound): {problem}")
    busy = {name: r.get("other_cpu", 0.0) + r.get("steal", 0.0) for name, r in results.items()}
    if max(busy.values()) > OTHERS_BUSY:
        shares = ", ".join(f"{name} {share:.0%}" for name, share in busy.items())
        print(f"# note: other processes used {shares} of a core (the bench runs at a higher priority; "
              "compare runs made in similar conditions)")
    return 1 if cold_errors or any(r["errors_total"] for r in results.values()) else 0


def print_profile(path: Path, top: int = 30) -> None:
    if not path.exists():
        print("# profile: no stats written")
        return
    print(f"# cProfile of the real server at max rate (top {top} by own time, then by cumulative)")
    stats = pstats.Stats(str(path))
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
