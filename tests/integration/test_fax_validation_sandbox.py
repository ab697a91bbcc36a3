"""FAX-4 through the real sandbox: the verdicts survive the trip through the probe process, and
a hostile file costs at most the time and memory budget."""
from __future__ import annotations

import logging
import subprocess
import sys
import time

import pytest

from fax.limits import limited
from fax.validation import ValidationUnavailable, validate_pdf
from fax.rejections import PdfRejected
from tests.unit.test_fax_support import VALIDATION_TABLE, make_pdf, object_stream_bomb

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
    bomb = object_stream_bomb(15_000_000, pages=5)  # 75 KB; ~2 s a page for pypdf in-process
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="pbx.fax"), pytest.raises(PdfRejected) as caught:
        validate_pdf("bomb.pdf", bomb, timeout=2)
    assert caught.value.code == "too_complex"
    assert time.monotonic() - started < 4
    assert "timed out" in caplog.text


def test_memory_limit_is_enforced_on_the_child():
    hog = [sys.executable, "-c", "x = bytearray(400 * 1024 * 1024)"]
    with pytest.raises(subprocess.CalledProcessError) as caught:
        subprocess.run(limited(hog, memory_bytes=200 * 1024 * 1024, cpu_seconds=10),
                       capture_output=True, check=True, timeout=20)
    assert b"MemoryError" in caught.value.stderr
    subprocess.run(limited(hog, memory_bytes=600 * 1024 * 1024, cpu_seconds=10), check=True, timeout=20)


def test_probe_that_cannot_run_is_a_server_error_not_the_files_fault(monkeypatch, caplog):
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with caplog.at_level(logging.ERROR, logger="pbx.fax"), pytest.raises(ValidationUnavailable):
        validate_pdf("fine.pdf", make_pdf((612, 792)))
    assert "PDF probe failed on 'fine.pdf'" in caplog.text


def test_checks_that_need_no_parsing_do_not_start_a_probe(monkeypatch):
    monkeypatch.setattr(sys, "executable", "/bin/false")  # a probe would fail loudly
    with pytest.raises(PdfRejected) as caught:
        validate_pdf("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert caught.value.code == "not_pdf"
