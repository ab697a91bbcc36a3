"""Read the page geometry of a TIFF (tags only, no pixel decoding) and check it is sendable.

Why check at all: spandsp never resizes a 1-bit image, so a page that is not exactly 1728 px
wide at 204×196 dpi fails on the line with result code 11/12/43, after the call was placed and
billed (NOTES §5). And Ghostscript can *skip* a page it cannot draw and still exit 0, so the page
count must be checked too.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, TiffImagePlugin  # noqa: F401  (registers TIFF; see open_tiff)

FAX_WIDTH_PX = 1728
FAX_DPI = (204.0, 196.0)
G4 = 4                 # TIFF Compression tag value for CCITT T.6 (Group 4)
_INCH, _CM = 2, 3      # TIFF ResolutionUnit values


@dataclass(frozen=True)
class TiffPage:
    width: int
    height: int
    x_dpi: float | None
    y_dpi: float | None
    compression: int
    bits_per_sample: int

    @property
    def size_inches(self) -> tuple[float, float] | None:
        """Physical size from pixels and resolution (None if the resolution is missing)."""
        if not self.x_dpi or not self.y_dpi:
            return None
        return self.width / self.x_dpi, self.height / self.y_dpi


@dataclass(frozen=True)
class TiffInfo:
    path: Path
    page_count: int
    pages: tuple[TiffPage, ...]


def read_tiff_pages(source: Path | str | object) -> tuple[TiffPage, ...]:
    """Each page's size, resolution (dots per inch, whatever unit the file uses) and coding."""
    with open_tiff(source) as image:
        pages = []
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            pages.append(_page(image.tag_v2))
        return tuple(pages)


def open_tiff(source: Path | str | object) -> Image.Image:
    """Open as TIFF only: a plain ``Image.open`` would first import every Pillow format plugin
    (~45 ms, a quarter of a 10-page render), and would accept any other image format."""
    return Image.open(source, formats=["TIFF"])


def _page(tags) -> TiffPage:
    bits = tags.get(258, 1)
    bits = bits[0] if isinstance(bits, tuple) else bits
    unit = tags.get(296, _INCH)
    per_inch = 2.54 if unit == _CM else (1.0 if unit == _INCH else None)

    def dpi(tag: int) -> float | None:
        value = tags.get(tag)
        return float(value) * per_inch if value and per_inch else None

    return TiffPage(width=int(tags[256]), height=int(tags[257]), x_dpi=dpi(282), y_dpi=dpi(283),
                    compression=int(tags.get(259, 1)), bits_per_sample=int(bits))


def sendable_problems(pages: tuple[TiffPage, ...], expected_pages: int) -> list[str]:
    """Why spandsp would refuse this TIFF (empty list = sendable as fine-resolution fax)."""
    problems = []
    if len(pages) != expected_pages:
        problems.append(f"{len(pages)} pages instead of {expected_pages}")
    for number, page in enumerate(pages, start=1):
        if page.width != FAX_WIDTH_PX:
            problems.append(f"page {number} is {page.width} px wide, not {FAX_WIDTH_PX}")
        if not _close(page.x_dpi, FAX_DPI[0]) or not _close(page.y_dpi, FAX_DPI[1]):
            problems.append(f"page {number} is {page.x_dpi}×{page.y_dpi} dpi, not 204×196")
        if page.compression != G4 or page.bits_per_sample != 1:
            problems.append(f"page {number} is compression {page.compression}, "
                            f"{page.bits_per_sample} bit, not G4 1-bit")
    return problems


def _close(value: float | None, target: float) -> bool:
    return value is not None and abs(value - target) < 0.5
