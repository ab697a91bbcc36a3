"""A bilevel fax page → a one-page PDF that embeds it as CCITT Group 4 (FAX-7).

Why not Pillow's PDF writer: for a mode "1" frame it re-saves the frame as a G4 TIFF and
copies the TIFF's bytes from offset 8 into a ``/CCITTFaxDecode`` stream. Re-saving a frame
opened from a TIFF copies that file's tags, FillOrder included, and spandsp writes
FillOrder 2 (least significant bit first). libtiff then writes a bit-reversed G4 strip, while
a PDF CCITT stream is always read most significant bit first: Ghostscript and poppler fail
with "CCITTFax row is wrong length" and the pages come out white.

So here the page's pixels are re-encoded from a plain image that carries no source tag (so
FillOrder 1), the strip is cut where the new TIFF's StripOffsets say, and the page is written
with the stream's parameters spelled out. Re-encoding rather than passing the received strip
through: rxfax writes T.4 1-D, T.4 2-D (the recorded fixture) or T.6 depending on what was
negotiated, in either bit order, and decoding + encoding a page takes ~20 ms.
"""
from __future__ import annotations

from io import BytesIO
from math import ceil, floor

from PIL import Image, ImageChops

from .tiff import G4, open_tiff

_STRIP_OFFSETS, _STRIP_BYTE_COUNTS, _COMPRESSION, _FILL_ORDER = 273, 279, 259, 266


def g4_page_pdf(page: Image.Image, size_pt: tuple[float, float]) -> bytes:
    """A one-page PDF ``size_pt`` points large, filled by ``page`` (mode "1") as a G4 image."""
    width_pt, height_pt = (_points(length) for length in size_pt)
    data = g4_encode(page)
    image = (f"<< /Type /XObject /Subtype /Image /Width {page.width} /Height {page.height} "
             f"/ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode "
             f"/DecodeParms << /K -1 /Columns {page.width} /Rows {page.height} >> "
             f"/Length {len(data)} >>").encode()
    content = f"q {width_pt} 0 0 {height_pt} 0 0 cm /Fax Do Q".encode()
    return _one_page_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width_pt} {height_pt}] "
         "/Resources << /XObject << /Fax 4 0 R >> /ProcSet [/PDF /ImageB] >> /Contents 5 0 R >>").encode(),
        image + b"\nstream\n" + data + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ])


def _points(length: float) -> str:
    """Rounded *down* to 4 decimals, as tiff2pdf does: 1728 px at 204 dpi is 609.88235… pt,
    and written 609.8824 poppler would draw it 1729 px wide at 204 dpi, one blank column."""
    return f"{floor(length * 10_000) / 10_000:.4f}"


def g4_encode(page: Image.Image) -> bytes:
    """The page as a T.6 bitstream, most significant bit first, white runs coded as white
    (the usual fax coding, so ``/BlackIs1`` keeps its default ``false``).

    Pillow saves mode "1" as min-is-black, where a 0 bit is black; inverting the pixels
    first makes 0 the paper's white, which is what the codec codes as a white run.
    ``ImageChops.invert`` also yields a plain image, carrying none of the source tags."""
    flipped = ImageChops.invert(page)
    out = BytesIO()
    flipped.save(out, "TIFF", compression="group4", strip_size=ceil(page.width / 8) * page.height)
    with open_tiff(BytesIO(out.getvalue())) as tiff:
        tags = tiff.tag_v2
        offsets, counts = tags[_STRIP_OFFSETS], tags[_STRIP_BYTE_COUNTS]
        if len(offsets) != 1 or tags.get(_COMPRESSION) != G4 or tags.get(_FILL_ORDER, 1) != 1:
            raise ValueError(f"unexpected G4 re-encoding: {len(offsets)} strips, "
                             f"compression {tags.get(_COMPRESSION)}, FillOrder {tags.get(_FILL_ORDER)}")
    return out.getvalue()[offsets[0]:offsets[0] + counts[0]]


def _one_page_pdf(objects: list[bytes]) -> bytes:
    """Objects numbered from 1 in order, a classic xref table, object 1 as the catalog."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
