"""``python -m bench.fax``: validate + cover + fax TIFF of a 10-page Letter PDF, against the bare
Ghostscript command on the same file (same device and resolution).

Each run is a fresh process, so peak memory (ru_maxrss, which only ever grows) belongs to that
run alone. In it the pipeline runs twice: cold (modules imported, but the PDF probe server not
yet started, fonts not registered — the first fax after a worker starts) then warm (every
later fax); the warm time is the figure, the cold one is printed for information. Bare gs runs
as a direct child measured with ``os.wait4``. Runs alternate pipeline / gs, N times; medians.

Peak memory of the pipeline = our process's peak + the largest peak of its children (the
validation probe and gs run one after the other, while our process lives throughout): an
upper bound of what the pipeline holds at once.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fax import probe_pool
from fax.cover import build_cover
from fax.render import render_fax_tiff
from fax.validation import validate_pdf

from .documents import contract_pdf, cover_data

TARGET_TIME_RATIO = 2.0
TARGET_PEAK_MB = 200.0
GS_BARE = ["-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffg4", "-r204x196"]


def pipeline(data: bytes, name: str, out: Path) -> dict:
    """Validate, cover, render: the document half of sending a fax. Returns step timings."""
    started = time.perf_counter()
    info = validate_pdf(name, data)
    validated = time.perf_counter()
    cover = build_cover(cover_data(info.page_count), "fr")
    covered = time.perf_counter()
    tiff = render_fax_tiff([cover, data], out, expected_pages=info.page_count + 1)
    done = time.perf_counter()
    assert tiff.page_count == info.page_count + 1
    return {"time": done - started, "validate": validated - started, "cover": covered - validated,
            "render": done - covered}


def run_pipeline_once(pdf_path: Path, out: Path) -> dict:
    """In a fresh process: one cold run (what the first fax after a worker starts costs: probe
    server start, font registration), then the measured warm run; then the probe servers are
    stopped so their peak memory is counted in RUSAGE_CHILDREN."""
    import resource

    data = pdf_path.read_bytes()
    cold = pipeline(data, pdf_path.name, out)
    warm = pipeline(data, pdf_path.name, out)
    probe_pool.shutdown()
    return {**warm, "cold": cold["time"],
            "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}


def pipeline_in_fresh_process(pdf_path: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.fax", "--one", str(pdf_path), str(out)],
                          capture_output=True, text=True, check=True, timeout=120)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bare_gs(pdf_path: Path, out: Path) -> dict:
    """The reference: gs alone, timed and measured as a direct child (os.wait4 rusage)."""
    argv = ["gs", *GS_BARE, f"-sOutputFile={out}", str(pdf_path)]
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"bare gs failed: {process.stderr.read().decode(errors='replace')}")
    return {"time": elapsed, "peak_kb": usage.ru_maxrss}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fax", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each, interleaved (median kept)")
    parser.add_argument("--pages", type=int, default=10, help="pages of the Letter document")
    parser.add_argument("--one", nargs=2, metavar=("PDF", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_pipeline_once(Path(args.one[0]), Path(args.one[1]))))
        return 0
    return compare(args.runs, args.pages)


def compare(runs: int, pages: int) -> int:
    with tempfile.TemporaryDirectory(prefix="bench-fax-") as tmp:
        pdf_path = Path(tmp) / "contrat.pdf"
        pdf_path.write_bytes(contract_pdf(pages))
        print(f"# document: {pages} Letter pages, {pdf_path.stat().st_size:,} bytes; {runs} runs each, interleaved",
              flush=True)
        pipeline_in_fresh_process(pdf_path, Path(tmp) / "warm.tif")  # warm the disk cache
        bare_gs(pdf_path, Path(tmp) / "warm-gs.tif")
        ours, theirs = [], []
        for run in range(runs):
            ours.append(pipeline_in_fresh_process(pdf_path, Path(tmp) / f"fax-{run}.tif"))
            theirs.append(bare_gs(pdf_path, Path(tmp) / f"gs-{run}.tif"))
    return report(ours, theirs)


def report(ours: list[dict], theirs: list[dict]) -> int:
    med = lambda rows, key: statistics.median(r[key] for r in rows)  # noqa: E731
    for r in ours:
        r["peak_kb"] = r["self_kb"] + r["children_kb"]
    time_s, gs_time = med(ours, "time"), med(theirs, "time")
    peak_mb, gs_peak = med(ours, "peak_kb") / 1024, med(theirs, "peak_kb") / 1024
    print(f"# pipeline median (warm): validate {med(ours, 'validate'):.3f} s, cover {med(ours, 'cover'):.3f} s, "
          f"render {med(ours, 'render'):.3f} s; first run in a fresh process (cold) {med(ours, 'cold'):.3f} s", flush=True)
    print(f"# peak memory median: our process {med(ours, 'self_kb') / 1024:.0f} MB + "
          f"largest child (probe server/child or gs) {med(ours, 'children_kb') / 1024:.0f} MB", flush=True)
    print(f"# bare gs median: {gs_time:.3f} s, {gs_peak:.0f} MB", flush=True)
    time_ratio, peak_ratio = time_s / gs_time, peak_mb / gs_peak
    print(f"BENCH fax_pipeline_time {time_s:.3f} s ratio={time_ratio:.2f}", flush=True)
    print(f"BENCH fax_pipeline_peak_rss {peak_mb:.1f} MB ratio={peak_ratio:.2f}", flush=True)
    ok = time_ratio <= TARGET_TIME_RATIO and peak_mb <= TARGET_PEAK_MB
    print(f"{'PASS' if ok else 'FAIL'}: time {time_ratio:.2f}× bare gs (target ≤ {TARGET_TIME_RATIO:g}×), "
          f"peak {peak_mb:.0f} MB (target ≤ {TARGET_PEAK_MB:.0f} MB)", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
