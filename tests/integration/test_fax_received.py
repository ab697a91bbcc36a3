"""FAX-7: a received fax TIFF becomes a PDF whose pages have their true physical size, and the
inbox gets a legible first-page preview."""
from __future__ import annotations

import logging
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, LETTER

from fax.received import first_page_thumbnail, received_tiff_to_pdf
from tests.unit.test_fax_support import make_pdf, text_heavy_pdf


def fax_tiff(tmp_path: Path, pdf: bytes, resolution: str) -> Path:
    """What a fax machine sends, made the way the guide's senders would: gs tiffg4."""
    source, out = tmp_path / "in.pdf", tmp_path / f"rx-{resolution}.tif"
    source.write_bytes(pdf)
    subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffg4", f"-r{resolution}",
                    f"-sOutputFile={out}", str(source)], check=True, timeout=60, capture_output=True)
    return out


def spandsp_style(tiff: Path, x_per_cm: float, y_per_cm: float) -> bytes:
    """spandsp writes resolutions in pixels per centimetre (fax_image_resolution 8040x7700 per
    metre in the recorded rxfax events)."""
    out = BytesIO()
    with Image.open(tiff) as image:
        frames = []
        for index in range(image.n_frames):
            image.seek(index)
            frames.append(image.copy())
    frames[0].save(out, "TIFF", compression="group4", save_all=True, append_images=frames[1:],
                   resolution_unit=3, x_resolution=x_per_cm, y_resolution=y_per_cm)
    return out.getvalue()


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(BytesIO(pdf)).pages]


def near(value: float, target: float, tolerance: float = 0.01) -> bool:
    return abs(value - target) <= target * tolerance


@pytest.mark.parametrize("resolution", ["204x98", "204x196"])
def test_letter_fax_at_standard_and_fine_resolution_becomes_letter_sized_pages(tmp_path, resolution):
    document = received_tiff_to_pdf(fax_tiff(tmp_path, make_pdf(LETTER, LETTER), resolution))
    assert document.page_count == 2
    for width, height in page_sizes(document.pdf):
        assert near(width, 612) and near(height, 792)
    for reported, actual in zip(document.page_sizes, page_sizes(document.pdf)):
        assert reported == pytest.approx(actual)


def test_a4_fax_keeps_the_a4_height(tmp_path):
    document = received_tiff_to_pdf(fax_tiff(tmp_path, make_pdf(A4), "204x196").read_bytes())
    ((width, height),) = page_sizes(document.pdf)
    assert near(height, 841.89) and near(width, 612)  # 1728 px at 204 dpi is 8.47 in wide


def test_short_page_keeps_its_own_length_instead_of_a_paper_size(tmp_path):
    document = received_tiff_to_pdf(fax_tiff(tmp_path, make_pdf((612, 250)), "204x196"))
    assert near(page_sizes(document.pdf)[0][1], 250)


@pytest.mark.parametrize("y_per_cm, rows_per_inch", [(77.0, 195.58), (38.5, 97.79)])
def test_resolution_in_pixels_per_centimetre_is_converted(tmp_path, y_per_cm, rows_per_inch):
    resolution = f"204x{round(rows_per_inch)}"
    tiff = spandsp_style(fax_tiff(tmp_path, make_pdf(LETTER), resolution), 80.40, y_per_cm)
    ((width, height),) = page_sizes(received_tiff_to_pdf(tiff).pdf)
    assert near(width, 612) and near(height, 792)


def test_pages_stay_bilevel_g4_and_small(tmp_path):
    document = received_tiff_to_pdf(fax_tiff(tmp_path, make_pdf(LETTER, LETTER, text="Texte " * 10), "204x196"))
    for page in PdfReader(BytesIO(document.pdf)).pages:
        (image,) = [obj.get_object() for obj in page["/Resources"]["/XObject"].values()]
        assert image["/BitsPerComponent"] == 1
        assert "/CCITTFaxDecode" in str(image["/Filter"])
    assert len(document.pdf) < 2 * 30_000


def test_missing_resolution_is_assumed_fine_and_logged(tmp_path, caplog):
    out = BytesIO()
    Image.new("1", (1728, 2200), 1).save(out, "TIFF", compression="group4")
    with caplog.at_level(logging.WARNING, logger="pbx.fax"):
        document = received_tiff_to_pdf(out.getvalue())
    width, height = document.page_sizes[0]
    assert near(width, 1728 / 204 * 72) and near(height, 2200 / 196 * 72)
    assert "no resolution" in caplog.text


@pytest.mark.parametrize("resolution", ["204x98", "204x196"])
def test_thumbnail_of_the_tiff_has_the_page_proportions(tmp_path, resolution):
    png = first_page_thumbnail(fax_tiff(tmp_path, make_pdf(LETTER, A4), resolution), 240)
    with Image.open(BytesIO(png)) as image:
        assert image.format == "PNG" and image.width == 240
        assert near(image.height, 240 * 11 / 8.47, 0.02)  # square pixels even at 204×98
        assert image.mode == "L" and image.getextrema()[0] < 100  # the text shows


def test_thumbnail_of_the_stored_pdf_matches_the_tiff_one(tmp_path):
    tiff = fax_tiff(tmp_path, text_heavy_pdf(1), "204x98")
    from_pdf = Image.open(BytesIO(first_page_thumbnail(received_tiff_to_pdf(tiff).pdf, 200)))
    from_tiff = Image.open(BytesIO(first_page_thumbnail(tiff, 200)))
    assert from_pdf.width == from_tiff.width == 200 and abs(from_pdf.height - from_tiff.height) <= 2
    box = (0, 0, 200, min(from_pdf.height, from_tiff.height))
    difference = ImageChops.difference(from_pdf.crop(box), from_tiff.crop(box))
    assert ImageStat.Stat(difference).mean[0] < 5  # same picture, no moiré from the 1-bit image
    assert ImageStat.Stat(from_pdf).mean[0] < 245   # and it is not blank
