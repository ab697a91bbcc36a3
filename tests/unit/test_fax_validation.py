"""FAX-4: which attached PDFs can be faxed, checked in-process on real PDFs (the same table runs
through the sandbox in tests/integration/test_fax_validation_sandbox.py)."""
from __future__ import annotations

import pickle
import time

import pytest

from fax.paper import ACCEPTED_SIZES, TOLERANCE_PT, BadPageBox, classify, visible_size
from fax.pdf_inspect import MAX_BYTES, inspect_pdf
from fax.rejections import REASONS, PdfRejected, describe
from tests.unit.test_fax_support import VALIDATION_TABLE, object_stream_bomb, page_tree_pdf, raw_pdf


@pytest.mark.parametrize("case", VALIDATION_TABLE, ids=[c.name for c in VALIDATION_TABLE])
def test_validation_table_gives_the_expected_verdict(case):
    data = case.make()
    if case.code is None:
        info = inspect_pdf("doc.pdf", data)
        assert tuple(p.kind for p in info.pages) == case.kinds
        assert info.page_count == len(case.kinds)
    else:
        with pytest.raises(PdfRejected) as caught:
            inspect_pdf("doc.pdf", data)
        assert (caught.value.code, caught.value.page) == (case.code, case.page)
        assert caught.value.filename == "doc.pdf"


def test_size_limit_is_one_and_a_half_binary_megabytes():
    assert MAX_BYTES == 1.5 * 1024 * 1024


def test_landscape_page_message_names_the_file_the_page_and_the_size_in_both_languages():
    rejection = PdfRejected("contrat.pdf", "landscape", page=3, width=792.0, height=612.0)
    assert describe(rejection, "en") == (
        "contrat.pdf, page 3: the page is landscape (792×612 pt); "
        "only US Letter or A4 portrait pages can be faxed.")
    french = describe(rejection, "fr")
    assert french.startswith("contrat.pdf, page 3\u00a0: la page est en paysage (792×612\u00a0pt)")
    assert "US Letter ou A4 en portrait" in french


def test_french_message_uses_decimal_commas_and_rounds_the_size_up():
    rejection = PdfRejected("scan.pdf", "too_large", size_bytes=MAX_BYTES + 1, limit_bytes=MAX_BYTES)
    assert "1,51\u00a0Mo" in describe(rejection, "fr") and "1,5\u00a0Mo" in describe(rejection, "fr")
    assert "1.51 MB; the limit is 1.5 MB" in describe(rejection, "en")


def test_every_reason_has_a_sentence_in_french_and_english():
    params = dict(size_bytes=2_000_000, limit_bytes=MAX_BYTES, count=300, limit=200, width=612.0, height=1008.0)
    for code in REASONS:
        rejection = PdfRejected("x.pdf", code, page=2, **params)
        for lang in ("fr", "en", "fr-CA", "de"):
            assert describe(rejection, lang).startswith("x.pdf")
    assert describe(PdfRejected("x.pdf", "no_pages"), "de") == describe(PdfRejected("x.pdf", "no_pages"), "en")


def test_rejection_has_a_stable_error_id_and_survives_pickling():
    rejection = PdfRejected("a.pdf", "wrong_size", page=1, width=612.0, height=1008.0)
    assert rejection.error_id == "pdf_wrong_size"
    assert rejection.reason == str(rejection)
    copy = pickle.loads(pickle.dumps(rejection))
    assert (copy.code, copy.page, copy.params, copy.filename) == ("wrong_size", 1, rejection.params, "a.pdf")


def test_unknown_reason_code_is_a_programming_error():
    with pytest.raises(ValueError):
        PdfRejected("a.pdf", "too_ugly")


@pytest.mark.parametrize("kind", ["letter", "a4"])
def test_tolerance_is_two_points_on_each_side(kind):
    width, height = ACCEPTED_SIZES[kind]
    assert classify(width + TOLERANCE_PT, height - TOLERANCE_PT) == kind
    assert classify(width + TOLERANCE_PT + 0.1, height) is None
    assert classify(height, width) is None


def test_visible_size_clips_the_cropbox_to_the_mediabox_then_rotates():
    assert visible_size((0, 0, 612, 1008), (0, 216, 612, 1100), rotate=0) == (612, 792)
    assert visible_size((0, 0, 792, 612), None, rotate=270) == (612, 792)
    assert visible_size((0, 0, 306, 396), None, rotate=0, user_unit=2) == (612, 792)
    with pytest.raises(BadPageBox):
        visible_size((0, 0, 612, 792), (700, 0, 900, 792))


HOSTILE = {  # made on demand: the object stream bomb takes a moment to compress
    "array nested 50,000 deep": lambda: page_tree_pdf(b"/MediaBox " + b"[" * 50_000 + b"0 0 612 792" + b"]" * 50_000),
    "page tree that contains itself": lambda: raw_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"}),
    "page count that lies": lambda: raw_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 999999999 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"}),
    "one page listed 100,000 times": lambda: raw_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [" + b"3 0 R " * 100_000 + b"] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"}),
    "mediabox referencing itself": lambda: raw_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox 4 0 R >>", 4: b"5 0 R", 5: b"4 0 R"}),
    "object stream inflating to 50 MB": lambda: object_stream_bomb(50_000_000),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_structure_is_refused_quickly(name):
    data = HOSTILE[name]()
    started = time.process_time()  # the work done, not the neighbours' load on a shared machine
    with pytest.raises(PdfRejected) as caught:
        inspect_pdf("evil.pdf", data)
    assert caught.value.code in {"unreadable", "too_many_pages", "too_complex", "page_unreadable"}
    assert time.process_time() - started < 3


def test_small_object_stream_is_read_normally():
    assert inspect_pdf("ok.pdf", object_stream_bomb(100_000)).pages[0].kind == "letter"


def test_pages_are_counted_through_nested_page_trees_before_any_page_is_read():
    def branch(count: int) -> bytes:
        return b"<< /Type /Pages /Parent 2 0 R /Kids [" + b"5 0 R " * count + b"] /Count %d >>" % count

    data = raw_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        3: branch(150), 4: branch(60),
        5: b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] >>"})
    with pytest.raises(PdfRejected) as caught:
        inspect_pdf("deep.pdf", data)
    assert (caught.value.code, caught.value.params["count"]) == ("too_many_pages", 210)
