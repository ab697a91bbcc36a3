"""Check an uploaded PDF before it is accepted for faxing (FAX-4, DESIGN flow 5).

Rules, in the order they are applied (the rules themselves live in :mod:`fax.pdf_inspect`):
1. at most :data:`MAX_BYTES` = 1.5 MiB = 1,572,864 bytes (the guide's "1,5 MB"; binary
   megabytes, the stricter reading);
2. a PDF by content: ``%PDF-`` within the first 1024 bytes, as readers accept (the name and the
   declared MIME type are ignored);
3. not encrypted, readable, 1 to :data:`~fax.pdf_inspect.MAX_PAGES` pages;
4. every page US Letter or A4 portrait, as shown (CropBox, /Rotate), ±2 pt (see :mod:`fax.paper`).

Hostile files. Steps 1–2 run here. Steps 3–4 parse untrusted bytes with pypdf, a pure-Python
parser with a history of infinite-loop and memory CVEs, so they run in a child process with a
wall-clock timeout, a CPU limit and an address-space limit: a probe server that has pypdf
imported forks one child per document (:mod:`fax._pdf_probe`, pooled by
:mod:`fax.probe_pool`). A check costs ~10 ms once the server runs (~0.2 s for the first one
in a process); no file can hang or bloat a web worker, and a gevent worker keeps serving while
the child parses (the wait is cooperative).
Measured: a 0.6 MB file whose 40 pages sit in object streams of 15 MB of padding each (within
pypdf's own per-stream limits) takes pypdf 83 s and 620 MB in-process; the probe stops it at
the timeout. pypdf's own limits are tightened too (:mod:`fax.pdf_inspect`), and content
streams are never decoded.
"""
from __future__ import annotations

import logging

from . import probe_pool
from .paper import PageSize
from .pdf_inspect import MAX_BYTES, MAX_PAGES, PdfInfo, check_envelope, inspect_pdf, is_pdf
from .probe_pool import ProbeUnavailable
from .rejections import PdfRejected, describe

__all__ = ["MAX_BYTES", "MAX_PAGES", "PdfInfo", "PdfRejected", "ValidationUnavailable",
           "check_envelope", "describe", "inspect_pdf", "is_pdf", "validate_pdf"]

log = logging.getLogger("pbx.fax")

PROBE_TIMEOUT = 5.0              # seconds; a legitimate 200-page 1.5 MB file takes ~0.3 s
PROBE_MEMORY = 512 * 1024 * 1024  # address space of one check (Python + pypdf need ~60 MB)


class ValidationUnavailable(RuntimeError):
    """The probe itself failed (not the file): a server problem, never shown as the file's fault."""


def validate_pdf(filename: str, data: bytes, *, timeout: float = PROBE_TIMEOUT,
                 memory_bytes: int = PROBE_MEMORY) -> PdfInfo:
    """The document's page sizes if it can be faxed; :class:`PdfRejected` with the reason if not.

    Raises :class:`ValidationUnavailable` if the sandboxed probe cannot run at all.
    """
    check_envelope(filename, data)  # cheap, so done here before involving another process
    verdict = _run_probe(filename, data, timeout, memory_bytes)
    if not verdict["ok"]:
        raise PdfRejected(filename, verdict["code"], verdict.get("page"), **verdict.get("params", {}))
    pages = tuple(PageSize(float(w), float(h), kind) for w, h, kind in verdict["pages"])
    return PdfInfo(page_count=len(pages), pages=pages)


def _run_probe(filename: str, data: bytes, timeout: float, memory_bytes: int) -> dict:
    """The verdict from the sandbox; stopped by a limit = too complex (the file's fault)."""
    try:
        answer = probe_pool.ask(data, timeout, memory_bytes)
    except ProbeUnavailable as exc:
        log.error("PDF probe failed on %r: %s", filename, exc)
        raise ValidationUnavailable("the PDF check could not run") from None
    if "verdict" in answer:
        return answer["verdict"]
    if "timeout" in answer:
        log.warning("PDF probe timed out after %.1f s on %r", timeout, filename)
    elif "signal" in answer:
        log.warning("PDF probe killed by signal %s on %r", answer["signal"], filename)
    else:
        log.error("PDF probe crashed on %r: %s", filename, answer.get("crash"))
        raise ValidationUnavailable("the PDF check could not run")
    return {"ok": False, "code": "too_complex"}
