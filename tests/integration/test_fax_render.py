"""DESIGN flow 5: cover + documents → one TIFF that spandsp sends unscaled (1728 px wide,
204×196 dpi, G4, 1-bit), with real Ghostscript; and its failures are loud."""
from __future__ import annotations

import logging
import re
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.pdfgen.canvas import Canvas

from fax.cover import build_cover
from fax.render import RenderError, render_fax_tiff
from fax.tiff import read_tiff_pages
from tests.unit.test_fax_support import LEGAL, make_pdf, sample_cover, with_page_entries

LETTER_ROWS, A4_ROWS = 2156, 2292  # 11 in and 297 mm at 196 dpi


def tiffinfo(path: Path) -> list[dict[str, str]]:
    """The tags as libtiff's own tool reads them: an independent check of what Pillow says."""
    text = subprocess.run(["tiffinfo", str(path)], capture_output=True, text=True, check=True, timeout=30).stdout
    pages = []
    for block in text.split("TIFF Directory")[1:]:
        size = re.search(r"Image Width: (\d+) Image Length: (\d+)", block)
        pages.append({"width": size[1], "height": size[2],
                      "resolution": re.search(r"Resolution: ([\d.]+), ([\d.]+) pixels/inch", block).groups(),
                      "bits": re.search(r"Bits/Sample: (\d+)", block)[1],
                      "compression": re.search(r"Compression Scheme: (.+)", block)[1].strip()})
    return pages


def test_letter_and_a4_pages_come_out_1728_px_wide_fine_g4_bilevel(tmp_path):
    out = tmp_path / "fax.tif"
    info = render_fax_tiff([make_pdf(LETTER, A4)], out, timeout=60)
    assert info.page_count == 2 and info.path == out
    for page in tiffinfo(out):
        assert page["width"] == "1728"
        assert page["resolution"] == ("204", "196")
        assert (page["bits"], page["compression"]) == ("1", "CCITT Group 4")
    assert [p["height"] for p in tiffinfo(out)] == [str(LETTER_ROWS), str(A4_ROWS)]
    with Image.open(out) as image:
        assert image.mode == "1"


def test_cover_plus_a_two_page_document_is_a_three_page_fax(tmp_path):
    info = render_fax_tiff([build_cover(sample_cover(page_count=3), "en"), make_pdf(LETTER, A4)],
                           tmp_path / "fax.tif", timeout=60)
    assert info.page_count == 3 and len(tiffinfo(info.path)) == 3


def test_cover_then_documents_in_order_counts_every_page(tmp_path):
    cover = build_cover(sample_cover(page_count=4), "fr")
    a4_doc = tmp_path / "annexe.pdf"
    a4_doc.write_bytes(make_pdf(A4, A4))
    info = render_fax_tiff([cover, a4_doc, make_pdf(LETTER)], tmp_path / "fax.tif", timeout=60)
    assert info.page_count == 4
    assert [p.height for p in info.pages] == [LETTER_ROWS, A4_ROWS, A4_ROWS, LETTER_ROWS]
    assert {(p.width, p.x_dpi, p.y_dpi, p.compression, p.bits_per_sample) for p in info.pages} == {
        (1728, 204.0, 196.0, 4, 1)}


def test_rotated_page_and_cropped_page_render_as_validated(tmp_path):
    rotated = with_page_entries(make_pdf(landscape(LETTER)), 0, Rotate=90)     # shows portrait
    cropped = with_page_entries(make_pdf(LEGAL), 0, CropBox=[0, 216, 612, 1008])  # shows Letter
    info = render_fax_tiff([rotated, cropped], tmp_path / "fax.tif", timeout=60)
    assert [(p.width, p.height) for p in info.pages] == [(1728, LETTER_ROWS)] * 2


def test_grey_text_is_rendered_solid_like_black_text(tmp_path):
    def page(colour) -> bytes:
        out = BytesIO()
        canvas = Canvas(out, pagesize=LETTER, invariant=True)
        canvas.setFillColor(colour)
        canvas.setFont("Helvetica", 11)
        canvas.drawString(72, 700, "Pied de page gris : Acme inc., 123 rue Principale")
        canvas.showPage()
        canvas.save()
        return out.getvalue()

    render_fax_tiff([page(black)], tmp_path / "black.tif", timeout=60)
    render_fax_tiff([page(Color(0.6, 0.6, 0.6))], tmp_path / "grey.tif", timeout=60)
    with Image.open(tmp_path / "black.tif") as a, Image.open(tmp_path / "grey.tif") as b:
        assert a.tobytes() == b.tobytes()  # no halftone dots in the letters


def test_cover_with_overlong_fields_leaves_the_margins_blank(tmp_path):
    long = "W" * 400
    cover = build_cover(sample_cover(subject=long, to_company=long, from_company=long,
                                     comments=("Mot " * 3000) + "Z" * 800), "fr")
    render_fax_tiff([cover], tmp_path / "cover.tif", timeout=60)
    with Image.open(tmp_path / "cover.tif") as image:
        ink = image.convert("L").point(lambda v: 255 if v < 128 else 0)
    width, height = ink.size
    margin_x, margin_y = 204 // 2, 196 // 2  # half an inch, inside the 0.75 in layout margin
    for box in [(0, 0, width, margin_y), (0, height - margin_y, width, height),
                (0, 0, margin_x, height), (width - margin_x, 0, width, height)]:
        assert ink.crop(box).getbbox() is None, f"ink in margin {box}"
    assert ink.getbbox() is not None


def test_unreadable_pdf_raises_render_error_and_logs_ghostscript_output(tmp_path, caplog):
    out = tmp_path / "fax.tif"
    with caplog.at_level(logging.ERROR, logger="pbx.fax"), pytest.raises(RenderError):
        render_fax_tiff([make_pdf(LETTER)[:600]], out, timeout=60, expected_pages=1)
    record = next(r for r in caplog.records if r.name == "pbx.fax" and r.levelno == logging.ERROR)
    assert "Ghostscript" in record.getMessage()
    assert "Error" in record.getMessage()  # gs's own words, not just ours
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_missing_page_is_caught_even_though_ghostscript_exits_zero(tmp_path, caplog):
    with caplog.at_level(logging.ERROR, logger="pbx.fax"), pytest.raises(RenderError, match="1 pages instead of 2"):
        render_fax_tiff([make_pdf(LETTER)], tmp_path / "fax.tif", timeout=60, expected_pages=2)


def test_timeout_is_a_render_error(tmp_path, caplog):
    with caplog.at_level(logging.ERROR, logger="pbx.fax"), pytest.raises(RenderError, match="timed out"):
        render_fax_tiff([make_pdf(*[LETTER] * 30)], tmp_path / "fax.tif", timeout=0.05)
    assert "timed out" in caplog.text


def test_missing_ghostscript_is_a_render_error(tmp_path):
    with pytest.raises(RenderError, match="not installed"):
        render_fax_tiff([make_pdf(LETTER)], tmp_path / "fax.tif", timeout=60, gs="gs-not-here")


def test_existing_output_is_replaced_whole(tmp_path):
    out = tmp_path / "fax.tif"
    render_fax_tiff([make_pdf(LETTER, LETTER, LETTER)], out, timeout=60)
    render_fax_tiff([make_pdf(A4)], out, timeout=60)
    assert [p.height for p in read_tiff_pages(out)] == [A4_ROWS]
