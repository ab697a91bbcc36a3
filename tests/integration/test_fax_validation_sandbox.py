"""FAX-4 through the real sandbox: the verdicts survive the trip through the probe process, and
a hostile file costs at most the time and memory budget."""
from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from fax import probe_pool
from fax.limits import limited
from fax.rejections import PdfRejected
from fax.validation import ValidationUnavailable, validate_pdf
from tests.unit.test_fax_support import VALIDATION_TABLE, make_pdf, object_stream_bomb
from tests.unit.test_fax_validation_fuzz import damaged_pdfs

SLOW_BOMB_PAGES = 5  # object streams padded to 15 MB each: ~2 s a page for pypdf in-process


@pytest.fixture
def fresh_pool():
    probe_pool.shutdown()
    yield
    probe_pool.shutdown()


def idle_pids() -> set[int]:
    return {server.process.pid for server in probe_pool._idle}

# One accepted and one refused document per reason is enough to prove the round trip (the full
# table runs in-process in tests/unit/test_fax_validation.py).
ROUND_TRIP = list({(case.code, case.code is None and len(case.kinds)): case for case in VALIDATION_TABLE}.values())


@pytest.mark.parametrize("case", ROUND_TRIP, ids=[c.name for c in ROUND_TRIP])
def test_sandboxed_validation_gives_the_same_verdict(case):
    data = case.make()
    if case.code is None:
        info = validate_pdf("doc.pdf", data)
        assert tuple(p.kind for p in info.pages) == case.kinds
    else:
        with pytest.raises(PdfRejected) as caught:
            validate_pdf("doc.pdf", data)
        assert (caught.value.code, caught.value.page, caught.value.filename) == (case.code, case.page, "doc.pdf")


def test_rejection_parameters_come_back_from_the_probe():
    with pytest.raises(PdfRejected) as caught:
        validate_pdf("contrat.pdf", make_pdf((612, 792), (612, 792), (792, 612)))
    assert caught.value.params == {"width": 792.0, "height": 612.0}
    assert str(caught.value).startswith("contrat.pdf, page 3: the page is landscape (792×612 pt)")


def test_slow_hostile_file_is_refused_as_too_complex_at_the_timeout(caplog):
    bomb = object_stream_bomb(15_000_000, pages=SLOW_BOMB_PAGES)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="pbx.fax"), pytest.raises(PdfRejected) as caught:
        validate_pdf("bomb.pdf", bomb, timeout=2)
    assert caught.value.code == "too_complex"
    assert time.monotonic() - started < 4
    assert "timed out" in caplog.text


def test_document_needing_more_memory_than_the_cap_is_too_complex(fresh_pool, caplog):
    validate_pdf("warm.pdf", make_pdf((612, 792)))
    (pid,) = idle_pids()
    status = Path(f"/proc/{pid}/status").read_text()
    address_space = int(status.split("VmSize:")[1].split()[0]) * 1024
    tight = address_space + 8 * 1024 * 1024  # room to start, not to inflate a 15 MB stream
    assert validate_pdf("small.pdf", make_pdf((612, 792)), memory_bytes=tight).page_count == 1
    with pytest.raises(PdfRejected) as caught:
        validate_pdf("bomb.pdf", object_stream_bomb(15_000_000), memory_bytes=tight)
    assert caught.value.code == "too_complex"


def test_a_probe_server_is_reused_and_survives_a_timed_out_check(fresh_pool):
    validate_pdf("one.pdf", make_pdf((612, 792)))
    first = idle_pids()
    with pytest.raises(PdfRejected):
        validate_pdf("bomb.pdf", object_stream_bomb(15_000_000, pages=SLOW_BOMB_PAGES), timeout=0.5)
    started = time.monotonic()
    validate_pdf("two.pdf", make_pdf((612, 792)))
    assert idle_pids() == first
    assert time.monotonic() - started < 0.15  # no interpreter start, no pypdf import


def test_a_hostile_file_does_not_hold_up_another_upload(fresh_pool):
    bomb, verdicts = object_stream_bomb(15_000_000, pages=SLOW_BOMB_PAGES), []

    def upload_bomb() -> None:
        try:
            validate_pdf("bomb.pdf", bomb, timeout=2)
        except PdfRejected as rejected:
            verdicts.append(rejected.code)

    slow = threading.Thread(target=upload_bomb)
    slow.start()
    time.sleep(0.3)  # let it take a server
    started = time.monotonic()
    assert validate_pdf("normal.pdf", make_pdf((612, 792))).page_count == 1
    assert time.monotonic() - started < 1.5
    slow.join()
    assert verdicts == ["too_complex"]


def test_limited_command_runs_under_the_memory_cap():
    hog = [sys.executable, "-c", "x = bytearray(400 * 1024 * 1024)"]
    with pytest.raises(subprocess.CalledProcessError) as caught:
        subprocess.run(limited(hog, memory_bytes=200 * 1024 * 1024, cpu_seconds=10),
                       capture_output=True, check=True, timeout=20)
    assert b"MemoryError" in caught.value.stderr
    subprocess.run(limited(hog, memory_bytes=600 * 1024 * 1024, cpu_seconds=10), check=True, timeout=20)


def test_probe_that_cannot_run_is_a_server_error_not_the_files_fault(fresh_pool, monkeypatch, caplog):
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with caplog.at_level(logging.ERROR, logger="pbx.fax"), pytest.raises(ValidationUnavailable):
        validate_pdf("fine.pdf", make_pdf((612, 792)))
    assert "PDF probe failed on 'fine.pdf'" in caplog.text
    assert not probe_pool._idle  # a broken server is never lent again


def test_checks_that_need_no_parsing_do_not_start_a_probe(fresh_pool, monkeypatch):
    monkeypatch.setattr(sys, "executable", "/bin/false")  # a probe would fail loudly
    with pytest.raises(PdfRejected) as caught:
        validate_pdf("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert caught.value.code == "not_pdf"


@settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_pdfs())
def test_damaged_pdfs_through_the_sandbox_only_ever_give_a_verdict(data):
    try:
        assert validate_pdf("fuzz.pdf", data).page_count >= 1
    except PdfRejected:
        pass


GEVENT_WORKER = """
from gevent import monkey; monkey.patch_all()
import json, sys, time
import gevent
from fax.rejections import PdfRejected
from fax.validation import validate_pdf
bomb, normal = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
ticks, verdicts = [], []
def ticker():
    while True:
        ticks.append(time.monotonic())
        gevent.sleep(0.01)
def check(name, data):
    try:
        verdicts.append((name, validate_pdf(name, data, timeout=1.5).page_count))
    except PdfRejected as rejected:
        verdicts.append((name, rejected.code))
gevent.spawn(ticker)
gevent.joinall([gevent.spawn(check, "bomb.pdf", bomb), gevent.spawn_later(0.3, check, "ok.pdf", normal)])
print(json.dumps({"verdicts": sorted(verdicts), "max_gap": max(b - a for a, b in zip(ticks, ticks[1:]))}))
"""


def test_a_gevent_worker_keeps_serving_while_a_hostile_file_is_checked(tmp_path):
    bomb, normal = tmp_path / "bomb.pdf", tmp_path / "ok.pdf"
    bomb.write_bytes(object_stream_bomb(15_000_000, pages=SLOW_BOMB_PAGES))
    normal.write_bytes(make_pdf((612, 792)))
    done = subprocess.run([sys.executable, "-c", GEVENT_WORKER, str(bomb), str(normal)],
                          capture_output=True, text=True, check=True, timeout=60)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["verdicts"] == [["bomb.pdf", "too_complex"], ["ok.pdf", 1]]
    assert result["max_gap"] < 0.15  # the event loop never stalled waiting for the probe
