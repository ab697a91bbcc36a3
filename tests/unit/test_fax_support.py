"""Real PDFs for the fax tests, made on the fly (ReportLab, pypdf, or by hand for the odd ones),
and the validation table shared by the in-process and the sandboxed tests.

No test here: like tests/integration/test_api_support.py, this module is imported by the others.
"""
from __future__ import annotations

import datetime as dt
import os
import zlib
from functools import lru_cache
from io import BytesIO
from typing import Callable, NamedTuple

from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, FloatObject, NameObject, NumberObject
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.pdfgen.canvas import Canvas

from fax.cover_data import CoverData
from fax.pdf_inspect import MAX_BYTES

LEGAL = (612.0, 1008.0)


def make_pdf(*sizes: tuple[float, float], text: str = "Page", compress: bool = True) -> bytes:
    """One page per size, each saying its number (so rendering order can be checked)."""
    out = BytesIO()
    canvas = Canvas(out, pagesize=sizes[0], invariant=True, pageCompression=int(compress))
    for number, size in enumerate(sizes, start=1):
        canvas.setPageSize(size)
        canvas.setFont("Helvetica", 14)
        canvas.drawString(72, size[1] - 72, f"{text} {number}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def text_heavy_pdf(pages: int, size: tuple[float, float] = LETTER) -> bytes:
    """Dense body text, like a contract: what a fax usually carries."""
    out = BytesIO()
    canvas = Canvas(out, pagesize=size, invariant=True)
    line = "Le fournisseur s'engage à livrer les marchandises décrites à l'annexe A, conformément "
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica-Bold", 16)
        canvas.drawString(72, size[1] - 72, f"Contrat — page {number}")
        canvas.setFont("Times-Roman", 10)
        for row in range(58):
            canvas.drawString(72, size[1] - 100 - row * 11.5, f"{row + 1:02d}. {line}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def with_page_entries(pdf: bytes, page_index: int, **entries: object) -> bytes:
    """Set /Rotate, /CropBox, /MediaBox or /UserUnit on one page (values: number or 4-list)."""
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    page = writer.pages[page_index]
    for key, value in entries.items():
        pdf_value = (ArrayObject(FloatObject(v) for v in value) if isinstance(value, (list, tuple))
                     else NumberObject(value) if isinstance(value, int) else FloatObject(value))
        page[NameObject(f"/{key}")] = pdf_value
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf(user_password: str = "secret") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(make_pdf(LETTER))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def raw_pdf(objects: dict[int, bytes], trailer_extra: bytes = b"") -> bytes:
    """A hand-made PDF with a correct xref table; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += (b"%010d 00000 n \n" % offsets[number]) if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (size, trailer_extra, xref)
    return bytes(out)


def zero_page_pdf() -> bytes:
    return raw_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] /Count 0 >>"})


def page_tree_pdf(page_dict: bytes, pages_extra: bytes = b"") -> bytes:
    """One page whose dictionary (and its parent's extra entries) is given verbatim."""
    return raw_pdf({
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 " + pages_extra + b">>",
        3: b"<< /Type /Page /Parent 2 0 R " + page_dict + b">>",
    })


def object_stream_bomb(inflated_bytes: int, pages: int = 1) -> bytes:
    """Letter pages each stored in its own object stream that inflates to ``inflated_bytes``
    (the page first, then blank padding): the parser must inflate every one of them to find
    the pages, so only limits stop it."""
    out = bytearray(b"%PDF-1.5\n")
    where: dict[int, tuple[int, int, int]] = {}  # object → xref row (type, field 2, field 3)

    def put(number: int, body: bytes) -> None:
        where[number] = (1, len(out), 0)
        out.extend(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    put(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(pages))
    put(2, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages))
    for i in range(pages):
        page, stream = 3 + i, 3 + pages + i
        header, body = b"%d 0 " % page, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"
        packed = zlib.compress(header + body + b" " * (inflated_bytes - len(header) - len(body)), 9)
        put(stream, b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
            % (len(header), len(packed), packed))
        where[page] = (2, stream, 0)
    xref_number, xref_at = 3 + 2 * pages, len(out)
    where[xref_number] = (1, xref_at, 0)
    rows = b"\x00\x00\x00\x00\x00\xff\xff" + b"".join(
        bytes([kind]) + a.to_bytes(4, "big") + b.to_bytes(2, "big")
        for kind, a, b in (where[n] for n in range(1, xref_number + 1)))
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
            % (xref_number, xref_number + 1, len(rows)) + rows
            + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    return bytes(out)


def png_bytes() -> bytes:
    out = BytesIO()
    Image.new("RGB", (40, 40), "white").save(out, "PNG")
    return out.getvalue()


@lru_cache(maxsize=1)  # compressing noise takes a second; the unit and sandbox tables share it
def oversized_pdf() -> bytes:
    """A real Letter PDF over the limit: a page holding an incompressible (noise) image."""
    noise = Image.frombytes("RGB", (800, 700), os.urandom(800 * 700 * 3))
    out = BytesIO()
    canvas = Canvas(out, pagesize=LETTER)
    canvas.drawInlineImage(noise, 72, 72, 400, 350)
    canvas.showPage()
    canvas.save()
    data = out.getvalue()
    assert len(data) > MAX_BYTES
    return data


def padded_to(pdf: bytes, size: int) -> bytes:
    """The same PDF grown to exactly ``size`` bytes with a trailing comment (still valid)."""
    filler = size - len(pdf) - 2
    return pdf + b"%" + b"x" * filler + b"\n"


class Case(NamedTuple):
    """One row of the validation table: a document and the verdict expected for it."""
    name: str
    make: Callable[[], bytes]
    code: str | None            # None = accepted
    page: int | None = None
    kinds: tuple[str, ...] = ()


LANDSCAPE_LETTER = landscape(LETTER)

VALIDATION_TABLE = [
    Case("letter", lambda: make_pdf(LETTER), None, kinds=("letter",)),
    Case("a4", lambda: make_pdf(A4), None, kinds=("a4",)),
    Case("a4 rounded to whole points", lambda: make_pdf((595, 842)), None, kinds=("a4",)),
    Case("letter 2 pt off", lambda: make_pdf((614, 790)), None, kinds=("letter",)),
    Case("letter 3 pt off", lambda: make_pdf((615, 792)), "wrong_size", page=1),
    Case("mixed letter and a4", lambda: make_pdf(LETTER, A4, LETTER), None, kinds=("letter", "a4", "letter")),
    Case("letter landscape", lambda: make_pdf(LANDSCAPE_LETTER), "landscape", page=1),
    Case("a4 landscape", lambda: make_pdf(landscape(A4)), "landscape", page=1),
    Case("legal", lambda: make_pdf(LEGAL), "wrong_size", page=1),
    Case("third page landscape", lambda: make_pdf(LETTER, A4, LANDSCAPE_LETTER, LETTER), "landscape", page=3),
    Case("rotate 90 on a landscape mediabox is portrait",
         lambda: with_page_entries(make_pdf(LANDSCAPE_LETTER), 0, Rotate=90), None, kinds=("letter",)),
    Case("rotate 270 on a landscape a4 is portrait",
         lambda: with_page_entries(make_pdf(landscape(A4)), 0, Rotate=270), None, kinds=("a4",)),
    Case("rotate 90 on a portrait mediabox is landscape",
         lambda: with_page_entries(make_pdf(LETTER, LETTER), 1, Rotate=90), "landscape", page=2),
    Case("rotate 180 keeps portrait", lambda: with_page_entries(make_pdf(A4), 0, Rotate=180), None, kinds=("a4",)),
    Case("rotate -90 on a landscape mediabox is portrait",
         lambda: with_page_entries(make_pdf(LANDSCAPE_LETTER), 0, Rotate=-90), None, kinds=("letter",)),
    Case("rotate 45 is not a page", lambda: with_page_entries(make_pdf(LETTER), 0, Rotate=45),
         "page_unreadable", page=1),
    Case("cropbox cuts a letter mediabox short",
         lambda: with_page_entries(make_pdf(LETTER), 0, CropBox=[0, 0, 612, 700]), "wrong_size", page=1),
    Case("cropbox shows a letter area of a legal mediabox",
         lambda: with_page_entries(make_pdf(LEGAL), 0, CropBox=[0, 216, 612, 1008]), None, kinds=("letter",)),
    Case("cropbox larger than the mediabox is clipped to it",
         lambda: with_page_entries(make_pdf(LETTER), 0, CropBox=[-50, -50, 700, 900]), None, kinds=("letter",)),
    Case("cropbox with reversed corners",
         lambda: with_page_entries(make_pdf(A4), 0, CropBox=[595.28, 841.89, 0, 0]), None, kinds=("a4",)),
    Case("cropbox outside the mediabox", lambda: with_page_entries(make_pdf(LETTER), 0,
                                                                  CropBox=[1000, 1000, 1612, 1792]),
         "page_unreadable", page=1),
    Case("user unit 2 doubles a half-letter box",
         lambda: with_page_entries(make_pdf((306, 396)), 0, UserUnit=2.0), None, kinds=("letter",)),
    Case("mediabox inherited from the page tree",
         lambda: page_tree_pdf(b"", pages_extra=b"/MediaBox [0 0 612 792] "), None, kinds=("letter",)),
    Case("rotate inherited from the page tree",
         lambda: page_tree_pdf(b"/MediaBox [0 0 792 612] ", pages_extra=b"/Rotate 90 "), None, kinds=("letter",)),
    Case("no mediabox at all", lambda: page_tree_pdf(b""), "page_unreadable", page=1),
    Case("mediabox of words", lambda: page_tree_pdf(b"/MediaBox [0 0 (a) (b)] "), "page_unreadable", page=1),
    Case("encrypted with a password", lambda: encrypted_pdf("secret"), "encrypted"),
    Case("encrypted with an empty user password", lambda: encrypted_pdf(""), "encrypted"),
    Case("corrupt (truncated)", lambda: make_pdf(LETTER)[:600], "unreadable"),
    Case("corrupt (end cut off)", lambda: make_pdf(LETTER)[:-40], "unreadable"),
    Case("over 1.5 MB", oversized_pdf, "too_large"),
    Case("exactly 1.5 MB", lambda: padded_to(make_pdf(LETTER), MAX_BYTES), None, kinds=("letter",)),
    Case("one byte over 1.5 MB", lambda: padded_to(make_pdf(LETTER), MAX_BYTES + 1), "too_large"),
    Case("png renamed .pdf", png_bytes, "not_pdf"),
    Case("empty file", lambda: b"", "not_pdf"),
    Case("zero pages", zero_page_pdf, "no_pages"),
    Case("200 pages", lambda: make_pdf(*[LETTER] * 200), None, kinds=("letter",) * 200),
    Case("300 pages", lambda: make_pdf(*[LETTER] * 300), "too_many_pages"),
]


def sample_cover(**overrides: object) -> CoverData:
    values = dict(
        subject="Contrat révisé — « version finale »", date=dt.date(2019, 10, 29), time=dt.time(10, 50, 16),
        page_count=3, to_name="Jean-François Côté", to_company="Œuvres d'art Ça Marche inc.",
        to_fax="418 555-0000", to_phone="418 555-0001", from_name="Chrystiane Gaudet",
        from_company="Ubity inc.", from_fax="514 907-3401", from_phone="1 800 112-5290",
        comments="Veuillez signer à la page 2 et nous retourner le tout. Merci!",
    )
    values.update(overrides)
    return CoverData(**values)
