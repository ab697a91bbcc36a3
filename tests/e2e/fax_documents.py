"""Documents for the fax scenarios, and reading back what a fax machine received.

The PDFs are drawn with ReportLab in big black letters (a few words a page, each page its own
words), so a page that arrives blank, cut or shuffled cannot pass for the one that was sent.
Pages are compared as 1-bit pixels at the fax's own resolution (204×196 dpi).
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from tempfile import TemporaryDirectory

from PIL import Image, ImageChops
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen import canvas

FAX_WIDTH_PX = 1728
FINE_DPI = (204, 196)


def pdf(size: tuple[float, float], pages: list[str]) -> bytes:
    """One page per text: the text in 60-point letters, a frame and a page number."""
    out = BytesIO()
    sheet = canvas.Canvas(out, pagesize=size)
    width, height = size
    for number, text in enumerate(pages, start=1):
        sheet.setLineWidth(6)
        sheet.rect(54, 54, width - 108, height - 108)
        sheet.setFont("Helvetica-Bold", 60)
        for line, words in enumerate(text.split("\n")):
            sheet.drawCentredString(width / 2, height * 0.62 - line * 80, words)
        sheet.setFont("Helvetica", 36)
        sheet.drawCentredString(width / 2, 120, f"PAGE {number} / {len(pages)}")
        sheet.showPage()
    sheet.save()
    return out.getvalue()


def letter_pdf(*texts: str) -> bytes:
    return pdf(LETTER, list(texts))


def a4_pdf(*texts: str) -> bytes:
    return pdf(A4, list(texts))


@dataclass(frozen=True)
class FaxPage:
    """One page as a fax machine holds it: 1-bit pixels and the resolution it was sent at."""
    image: Image.Image  # mode "1", white = 255
    dpi: tuple[float, float]

    @property
    def size(self) -> tuple[int, int]:
        return self.image.size

    @property
    def black_fraction(self) -> float:
        histogram = self.image.convert("L").histogram()
        return histogram[0] / max(1, self.image.width * self.image.height)


def tiff_pages(path: Path) -> list[FaxPage]:
    """Every page of a (multi-page) fax TIFF, with its X/Y resolution in dpi."""
    pages = []
    with Image.open(path) as image:
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            pages.append(FaxPage(image.convert("1"), _dpi(image)))
    return pages


def _dpi(image: Image.Image) -> tuple[float, float]:
    """X/YResolution in dpi (spandsp writes pixels per centimetre: ResolutionUnit 3)."""
    tags = image.tag_v2
    x, y, unit = float(tags.get(282, 0)), float(tags.get(283, 0)), tags.get(296, 2)
    factor = 2.54 if unit == 3 else 1.0
    return round(x * factor, 1), round(y * factor, 1)


def pdf_pages(data: bytes, dpi: tuple[int, int] = FINE_DPI) -> list[FaxPage]:
    """A PDF drawn back to 1-bit pixels by Ghostscript at ``dpi`` (what a reader would see)."""
    with TemporaryDirectory(prefix="e2e-fax-") as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(data)
        subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pngmono",
                        f"-r{dpi[0]}x{dpi[1]}", f"-sOutputFile={tmp}/page-%03d.png", str(source)],
                       check=True, capture_output=True, timeout=60)
        pages = []
        for png in sorted(Path(tmp).glob("page-*.png")):
            with Image.open(png) as image:
                pages.append(FaxPage(image.convert("1"), (float(dpi[0]), float(dpi[1]))))
        return pages


def difference(sent: FaxPage, got: FaxPage, *, skip_top: int = 0, max_shift: int = 0) -> float:
    """Share of the sent page's black pixels that differ on the other page (0 = identical).

    Counted over the black pixels of either page (not the whole page: a blank page against a
    page of text would otherwise look 95 % "equal"). ``skip_top`` rows are ignored — the line a
    sending machine prints on top of each page (its name, the date, "page x/y") — and the
    received page may sit up to ``max_shift`` rows lower (a machine that adds that line above
    the page instead of over it)."""
    width = min(sent.image.width, got.image.width)
    best = 1.0
    for shift in range(0, max_shift + 1):
        height = min(sent.image.height, got.image.height - shift) - skip_top
        if height <= 0:
            continue
        a = sent.image.crop((0, skip_top, width, skip_top + height))
        b = got.image.crop((0, skip_top + shift, width, skip_top + shift + height))
        union = _black(ImageChops.logical_and(a, b))  # on "1" images: black where either is black
        if union == 0:
            continue
        differing = ImageChops.logical_xor(a, b).convert("L").histogram()[255]
        best = min(best, differing / union)
    return best


def _black(image: Image.Image) -> int:
    return image.convert("L").histogram()[0]
