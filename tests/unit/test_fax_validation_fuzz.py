"""The validator's promise on any input at all: a PdfInfo or a PdfRejected, quickly.

Random bytes, and random damage to real PDFs (the interesting case: it gets past the header
and into pypdf). Run in-process so every example is cheap; the sandbox only adds limits on top.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from fax.pdf_inspect import PdfInfo, inspect_pdf
from fax.rejections import PdfRejected
from tests.unit.test_fax_support import LEGAL, make_pdf, page_tree_pdf, with_page_entries

SEEDS = [
    make_pdf((612, 792), (595.28, 841.89)),
    make_pdf(LEGAL),
    with_page_entries(make_pdf((792, 612)), 0, Rotate=90, CropBox=[10, 10, 700, 600]),
    page_tree_pdf(b"", pages_extra=b"/MediaBox [0 0 612 792] /Rotate 0 "),
]
FUZZ = settings(max_examples=100, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


def assert_answers(data: bytes) -> None:
    try:
        result = inspect_pdf("fuzz.pdf", data)
    except PdfRejected:
        return
    assert isinstance(result, PdfInfo) and result.page_count >= 1


@FUZZ
@given(st.binary(max_size=4096), st.booleans())
def test_random_bytes_only_ever_give_a_verdict(data, with_header):
    assert_answers((b"%PDF-1.7\n" + data) if with_header else data)


@st.composite
def damaged_pdfs(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate"]))
        if action == "flip":
            data[position] = draw(st.integers(0, 255))
        elif action == "insert":
            data[position:position] = draw(st.sampled_from(
                [b"[", b"<<", b">>", b" 0 R", b"9999999999", b"/Rotate 90", b"\x00", b"endobj", b"(\\"]))
        elif action == "delete":
            del data[position:position + draw(st.integers(1, 64))]
        elif action == "truncate":
            del data[max(10, position):]
        else:
            end = min(len(data), position + draw(st.integers(1, 256)))
            data[position:position] = data[position:end]
        if not data:
            break
    return bytes(data)


@FUZZ
@given(damaged_pdfs())
def test_damaged_pdfs_only_ever_give_a_verdict(data):
    assert_answers(data)
