"""Read a PDF's page geometry with pypdf and apply the fax page rules (FAX-4).

This runs *inside* the sandboxed probe (:mod:`fax._pdf_probe`) for uploaded files; call it
directly only on trusted documents (our own cover page, tests).

Only the document structure is read: the trailer, the page tree and each page's /MediaBox,
/CropBox, /Rotate and /UserUnit. Content streams are never decompressed, so a content-stream
decompression bomb costs nothing here. (Object and xref streams still are: each is capped at
:data:`STRUCTURE_STREAM_MAX_BYTES`, and the sandbox caps the process's time and memory.)
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from io import BytesIO
from typing import Any, ContextManager

from .paper import BadPageBox, Box, PageSize, classify, is_turned_accepted_size, visible_size
from .rejections import PdfRejected

#: 1.5 × 1024 × 1024 bytes: the guide's "1,5 MB", read as binary megabytes (the stricter reading).
MAX_BYTES = 1_572_864
_HEADER_WINDOW = 1024  # readers accept "%PDF-" anywhere in the first KiB

#: A document with more pages is refused before any page is examined: it bounds the work per
#: file, and a 200-page fax already takes over an hour on the line.
MAX_PAGES = 200

#: Cap on what one object/xref stream may inflate to (pypdf's default is 75 MB). Structure
#: streams of a 1.5 MB file inflate to a few MB at most; pypdf then scans the inflated bytes
#: one at a time (~4 s per 20 MB of padding), so the cap also bounds the time.
STRUCTURE_STREAM_MAX_BYTES = 16_000_000


@dataclass(frozen=True)
class PdfInfo:
    """What the rest of the pipeline needs to know about an accepted document."""
    page_count: int
    pages: tuple[PageSize, ...]


def inspect_pdf(filename: str, data: bytes, *, max_pages: int = MAX_PAGES) -> PdfInfo:
    """Page sizes of ``data`` if every page can be faxed, else :class:`PdfRejected`.

    Every pypdf failure on a hostile or broken file becomes a rejection: nothing but PdfInfo
    or PdfRejected leaves this function (the fuzz test holds it to that).
    """
    check_envelope(filename, data)
    pages = _read_pages(filename, data, max_pages)
    sizes = []
    for number, raw in enumerate(pages, start=1):
        sizes.append(_check_page(filename, number, raw))
    return PdfInfo(page_count=len(sizes), pages=tuple(sizes))


def is_pdf(data: bytes) -> bool:
    """True when the bytes carry a PDF header where readers look for it (the name is ignored)."""
    return b"%PDF-" in data[:_HEADER_WINDOW]


def check_envelope(filename: str, data: bytes) -> None:
    """The checks that need no parsing: size first (cheapest, and bounds all later work), then
    the content type."""
    if len(data) > MAX_BYTES:
        raise PdfRejected(filename, "too_large", size_bytes=len(data), limit_bytes=MAX_BYTES)
    if not is_pdf(data):
        raise PdfRejected(filename, "not_pdf")


def _read_pages(filename: str, data: bytes, max_pages: int) -> list[dict[str, Any]]:
    """The raw geometry of each page, read in one guarded block: any parser error = unreadable."""
    from pypdf import PdfReader  # imported late: the web process only needs it in the probe

    with _pypdf_limits():
        return _parse(filename, data, max_pages, PdfReader)


def _pypdf_limits() -> ContextManager:
    """Tighter pypdf decoding limits, where this pypdf version lets us set them (7.x+)."""
    try:
        from pypdf import apply_configuration
        return apply_configuration(**{f"{name}_maximum_output_length": STRUCTURE_STREAM_MAX_BYTES
                                      for name in ("zlib", "lzw", "run_length", "brotli")})
    except (ImportError, TypeError):
        return contextlib.nullcontext()


def _parse(filename: str, data: bytes, max_pages: int, PdfReader: Any) -> list[dict[str, Any]]:
    reader = _open_reader(filename, data, PdfReader)
    try:
        if reader.is_encrypted:
            raise PdfRejected(filename, "encrypted")
        return _page_geometries(filename, reader, max_pages)
    except PdfRejected:
        raise
    except _PageError as exc:
        raise PdfRejected(filename, "page_unreadable", page=exc.number) from None
    except (MemoryError, RecursionError):  # nesting or sizes beyond any real document
        raise PdfRejected(filename, "too_complex") from None
    except Exception:  # pypdf raises many types on hostile input (KeyError, ValueError, …)
        raise PdfRejected(filename, "unreadable") from None


def _open_reader(filename: str, data: bytes, PdfReader: Any) -> Any:
    try:
        return PdfReader(BytesIO(data), strict=False)
    except Exception:
        # pypdf may fail while setting up decryption (missing AES backend, bad /Encrypt):
        # the file is encrypted all the same, which is the more useful thing to say.
        code = "encrypted" if b"/Encrypt" in data else "unreadable"
        raise PdfRejected(filename, code) from None


def _page_geometries(filename: str, reader: Any, max_pages: int) -> list[dict[str, Any]]:
    _check_declared_count(filename, reader, max_pages)
    leaves = _count_leaves(reader)
    if leaves > max_pages:
        raise PdfRejected(filename, "too_many_pages", count=leaves, limit=max_pages)
    pages = reader.pages
    count = len(pages)
    if count == 0:
        raise PdfRejected(filename, "no_pages")
    if count > max_pages:
        raise PdfRejected(filename, "too_many_pages", count=count, limit=max_pages)
    return [_raw_geometry(pages[i], i + 1) for i in range(count)]


def _check_declared_count(filename: str, reader: Any, max_pages: int) -> None:
    """Refuse on the root /Count before walking a huge page tree (the count may lie; the
    real one is counted after)."""
    count = reader.trailer["/Root"]["/Pages"].get("/Count")
    count = count.get_object() if count is not None else None
    if isinstance(count, int) and count > max_pages:
        raise PdfRejected(filename, "too_many_pages", count=int(count), limit=max_pages)


def _count_leaves(reader: Any) -> int:
    """How many pages the /Kids arrays name, counted without building a page object per leaf.

    pypdf's flattening copies every inherited entry onto each leaf: a /Kids array naming one
    page 100,000 times took it most of a second, so this bound is checked first and a document
    over the limit never reaches it. pypdf then reads the pages it accepts (its count is the
    one that matters for the rest). A node met twice on one path is a cycle.
    """
    count = 0
    stack: list[tuple[Any, frozenset[object]]] = [(reader.trailer["/Root"]["/Pages"], frozenset())]
    while stack:
        node, above = stack.pop()
        ref = getattr(node, "indirect_reference", None)  # only an indirect node can recur
        marker = (ref.idnum, ref.generation) if ref is not None else id(node)
        if marker in above:
            raise ValueError("the page tree contains itself")
        kids = node.get("/Kids")
        kids = kids.get_object() if kids is not None else None
        for kid in kids if isinstance(kids, list) else ():
            child = kid.get_object()
            if isinstance(child, dict) and "/Kids" in child:
                stack.append((child, above | {marker}))
            else:
                count += 1
    return count


class _PageError(Exception):
    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


def _raw_geometry(page: Any, number: int) -> dict[str, Any]:
    """The inheritable geometry entries (pypdf copies inherited ones onto each flattened page)."""
    try:
        return {
            "mediabox": _box(page.get("/MediaBox")),
            "cropbox": _box(page.get("/CropBox"), required=False),
            "rotate": _number(page.get("/Rotate"), default=0),
            "user_unit": _number(page.get("/UserUnit"), default=1),
        }
    except (ValueError, TypeError, AttributeError):
        raise _PageError(number) from None


def _box(value: Any, *, required: bool = True) -> Box | None:
    value = value.get_object() if value is not None else None
    if value is None:
        if required:
            raise ValueError("missing box")
        return None
    items = [_number(v) for v in value]
    if len(items) != 4:
        raise ValueError("a box has four numbers")
    return items[0], items[1], items[2], items[3]


def _number(value: Any, default: float | None = None) -> float:
    value = value.get_object() if value is not None else None
    if value is None and default is not None:
        return float(default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"not a number: {value!r}")
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError("not a finite number")
    return number


def _check_page(filename: str, number: int, raw: dict[str, Any]) -> PageSize:
    try:
        if raw["user_unit"] <= 0:
            raise BadPageBox("/UserUnit must be positive")
        width, height = visible_size(raw["mediabox"], raw["cropbox"], raw["rotate"], raw["user_unit"])
    except BadPageBox:
        raise PdfRejected(filename, "page_unreadable", page=number) from None
    kind = classify(width, height)
    if kind is not None:
        return PageSize(width, height, kind)
    code = "landscape" if is_turned_accepted_size(width, height) else "wrong_size"
    raise PdfRejected(filename, code, page=number, width=width, height=height)
