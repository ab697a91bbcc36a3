"""Which page sizes can be faxed, and the size a page really shows (FAX-4).

Pure arithmetic on the numbers read from a page dictionary, so the rules are testable without a
PDF. Sizes are in PDF points (1/72 in).

Why these rules:
- The visible page is the CropBox clipped to the MediaBox (PDF 32000-1 §14.11.2); viewers and
  Ghostscript with ``-dUseCropBox`` (which :mod:`fax.render` passes) show that, not the MediaBox.
- ``/Rotate`` turns the page when displayed or printed: a landscape MediaBox with ``/Rotate 90``
  is a portrait page, and a portrait one with ``/Rotate 90`` is landscape.
- ``/UserUnit`` (PDF 1.6) scales user space; 1 by default.
- Tolerance ±2 pt (0.7 mm): producers round A4 to 595×842 or write 595.3×841.9, and some
  scanners are off by a point; 2 pt is well below any neighbouring paper size (Legal is 216 pt
  taller, B5 97 pt narrower), so nothing else slips in. Ghostscript then makes the page exactly
  1728 px wide either way (crop/pad of a few pixels, see NOTES §9.9).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PageKind = Literal["letter", "a4"]

#: Portrait sizes accepted for faxing, in points.
ACCEPTED_SIZES: dict[PageKind, tuple[float, float]] = {
    "letter": (612.0, 792.0),        # 8.5 × 11 in
    "a4": (595.276, 841.89),         # 210 × 297 mm
}
TOLERANCE_PT = 2.0

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class PageSize:
    """The size a page shows once cropped and rotated, and the paper it matches."""
    width: float
    height: float
    kind: PageKind


class BadPageBox(ValueError):
    """The page geometry is missing or nonsensical (no area, rotation not a multiple of 90)."""


def visible_size(mediabox: Box, cropbox: Box | None, rotate: int | float = 0,
                 user_unit: float = 1.0) -> tuple[float, float]:
    """Width and height (points) of what the page shows: crop ∩ media, rotated, scaled."""
    box = _normalise(mediabox)
    if cropbox is not None:
        box = _intersect(box, _normalise(cropbox))
    width, height = (box[2] - box[0]) * user_unit, (box[3] - box[1]) * user_unit
    if width <= 0 or height <= 0:
        raise BadPageBox("the visible page has no area")
    if rotate % 90:
        raise BadPageBox(f"/Rotate {rotate} is not a multiple of 90")
    if rotate % 180:
        width, height = height, width
    return width, height


def classify(width: float, height: float) -> PageKind | None:
    """The accepted paper a portrait page of this size is, or None."""
    for kind, (w, h) in ACCEPTED_SIZES.items():
        if abs(width - w) <= TOLERANCE_PT and abs(height - h) <= TOLERANCE_PT:
            return kind
    return None


def is_turned_accepted_size(width: float, height: float) -> bool:
    """True for a Letter or A4 page lying on its side (so the message can say "landscape")."""
    return classify(height, width) is not None


def _normalise(box: Box) -> Box:
    """PDF allows any two opposite corners, in any order."""
    x0, y0, x1, y1 = box
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _intersect(a: Box, b: Box) -> Box:
    return max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
