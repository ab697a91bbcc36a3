"""A received fax TIFF (from ``rxfax``) → the PDF stored and emailed (FAX-7), and its preview.

Why page sizes come from pixels ÷ resolution and never from a paper-size guess: a fax page is
as long as the sender scanned (a Letter page is ~2200 rows at 196 dpi, a receipt may be a
third of that, A4 is longer), and standard resolution has non-square pixels (204×98 dpi), so
only the resolution tags give the true size. spandsp writes metric resolutions in pixels per
centimetre; :mod:`fax.tiff` converts to dpi.

Bilevel pages stay bilevel: each is embedded as a CCITT G4 image (about 30–60 KB a page)
instead of an 8-bit raster ten times larger, by :mod:`fax.g4_page` rather than Pillow's PDF
writer, which turned spandsp's pages (FillOrder 2) into unreadable, white pages.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from tempfile import TemporaryDirectory

from PIL import Image
from pypdf import PdfReader, PdfWriter

from .g4_page import g4_page_pdf
from .render import run_ghostscript
from .tiff import FAX_DPI, TiffPage, open_tiff, read_tiff_pages

log = logging.getLogger("pbx.fax")

THUMBNAIL_TIMEOUT = 30.0


@dataclass(frozen=True)
class ReceivedDocument:
    pdf: bytes
    page_count: int
    page_sizes: tuple[tuple[float, float], ...]  # points, per page


def received_tiff_to_pdf(tiff: bytes | Path) -> ReceivedDocument:
    """One PDF page per TIFF page, each at its physical size."""
    pages = read_tiff_pages(_open(tiff))
    writer = PdfWriter()
    sizes = []
    with open_tiff(_open(tiff)) as image:
        for index, page in enumerate(pages):
            image.seek(index)
            x_dpi, y_dpi = _resolution(page, index)
            size = (page.width * 72 / x_dpi, page.height * 72 / y_dpi)
            writer.add_page(PdfReader(BytesIO(_page_pdf(image, size, (x_dpi, y_dpi)))).pages[0])
            sizes.append(size)
    out = BytesIO()
    writer.write(out)
    return ReceivedDocument(pdf=out.getvalue(), page_count=len(sizes), page_sizes=tuple(sizes))


def first_page_thumbnail(source: bytes | Path, width_px: int = 240) -> bytes:
    """A PNG preview of page 1, ``width_px`` wide, in grey (downscaling 1-bit text to grey
    keeps it legible where a 1-bit thumbnail would break strokes). Accepts a TIFF or a PDF."""
    data = source if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        page = _tiff_first_page(bytes(data))
    else:
        page = _pdf_first_page(bytes(data), width_px)
    height = max(1, round(page.height * width_px / page.width))
    out = BytesIO()
    page.resize((width_px, height), Image.Resampling.LANCZOS).save(out, "PNG", optimize=True)
    return out.getvalue()


def _resolution(page: TiffPage, index: int) -> tuple[float, float]:
    if page.x_dpi and page.y_dpi:
        return page.x_dpi, page.y_dpi
    # spandsp always writes the tags; a file without them still must not be lost.
    log.warning("received fax page %d has no resolution; assuming %s dpi", index + 1, FAX_DPI)
    return FAX_DPI


def _page_pdf(image: Image.Image, size: tuple[float, float], dpi: tuple[float, float]) -> bytes:
    """Bilevel frames as G4 (:mod:`fax.g4_page`); grey ones as they are and anything else
    (a colour fax) as RGB, both by Pillow (JPEG), whose page size is pixels ÷ ``dpi``."""
    if image.mode == "1":
        return g4_page_pdf(image, size)
    one = BytesIO()
    (image if image.mode in ("L", "RGB") else image.convert("RGB")).save(one, "PDF", dpi=dpi)
    return one.getvalue()


def _tiff_first_page(data: bytes) -> Image.Image:
    """Page 1 in grey, stretched to square pixels (standard resolution is 204×98)."""
    page = read_tiff_pages(BytesIO(data))[0]
    x_dpi, y_dpi = _resolution(page, 0)
    with open_tiff(BytesIO(data)) as image:
        grey = image.convert("L")
    return grey.resize((page.width, max(1, round(page.height * x_dpi / y_dpi))), Image.Resampling.BOX)


def _pdf_first_page(data: bytes, width_px: int) -> Image.Image:
    """Page 1 rendered by Ghostscript at twice the target width, for a clean downscale."""
    box = PdfReader(BytesIO(data)).pages[0].cropbox
    dpi = max(10, round(2 * width_px * 72 / float(box.width)))
    with TemporaryDirectory(prefix="pbx-fax-") as tmp:
        src, png = Path(tmp) / "in.pdf", Path(tmp) / "page1.png"
        src.write_bytes(data)
        run_ghostscript(["-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray",
                         "-dFirstPage=1", "-dLastPage=1", f"-r{dpi}", "-dUseCropBox",
                         "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4",
                         "-dDOINTERPOLATE",  # else a 1-bit page image subsamples into moiré
                         f"-sOutputFile={png}", "-f", str(src)],
                        timeout=THUMBNAIL_TIMEOUT, what="making a thumbnail")
        with Image.open(png) as image:
            return image.convert("L")


def _open(tiff: bytes | Path):
    return BytesIO(tiff) if isinstance(tiff, (bytes, bytearray)) else Path(tiff)
