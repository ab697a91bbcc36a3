"""Cover page + documents → one multi-page TIFF that mod_spandsp ``txfax`` can send (DESIGN flow 5).

Ghostscript choices (checked on gs 10.00 by rendering samples, see tests/integration/test_fax_render.py):
- ``tiffg4 -r204x196``: 1-bit CCITT G4 at fine resolution, the X/YResolution + ResolutionUnit
  tags spandsp requires (NOTES §5).
- ``-dAdjustWidth=1`` (the fax devices' default, made explicit): Letter (1734 px at 204 dpi) is
  cropped and A4 (1687 px) padded to exactly 1728 px, never scaled (NOTES §9.9).
- ``-dUseCropBox``: render what the page shows, the box :mod:`fax.validation` measured.
- ``-dBlackText``: grey or coloured text comes out solid black instead of a halftone dot
  pattern that a fax makes unreadable; white text stays white; fills and photos keep the
  default halftone (thresholding them would turn photos into blobs and light table stripes
  into black bars). Text/GraphicsAlphaBits are not used: anti-aliasing does not apply to a
  1-bit device (the output is byte-identical with or without them).
- Several input files on one command line come out as consecutive pages, in argument order.
- No ``-dPDFSTOPONERROR``: gs repairs many slightly broken PDFs that print fine; a page it truly
  cannot draw is skipped, which the page count check below catches.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
import uuid
from io import BytesIO
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Sequence

from .limits import limited
from .tiff import TiffInfo, read_tiff_pages, sendable_problems

log = logging.getLogger("pbx.fax")

RENDER_TIMEOUT = 120.0
# Ghostscript runs at once per process: 50 uploads at once used to start 50, and the web
# process, sharing the cores with them, answered FreeSWITCH in seconds (tests/load). The
# others wait their turn (cooperatively under gevent's monkey-patching).
GS_AT_ONCE = threading.BoundedSemaphore(max(2, os.cpu_count() or 2))
GS_MEMORY = 1024 * 1024 * 1024  # address space; gs needs ~150 MB for a fax page
GS_OPTIONS = ("-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sstdout=%stderr",
              "-sDEVICE=tiffg4", "-r204x196", "-dAdjustWidth=1", "-dUseCropBox", "-dBlackText")


class RenderError(RuntimeError):
    """The documents could not be turned into a sendable fax TIFF."""


def render_fax_tiff(pdfs: Sequence[bytes | Path], out: Path, *, timeout: float = RENDER_TIMEOUT,
                    expected_pages: int | None = None, gs: str = "gs") -> TiffInfo:
    """Render ``pdfs`` in order into the fax TIFF ``out`` and check every page is sendable.

    ``expected_pages`` is the total page count (known from validation); when omitted it is
    counted with pypdf. ``out`` is replaced atomically: it never holds a partial TIFF.
    """
    if not pdfs:
        raise RenderError("nothing to render")
    out = Path(out)
    partial = out.with_name(f".{out.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        with TemporaryDirectory(prefix="pbx-fax-") as tmp:
            inputs = _as_files(pdfs, Path(tmp))
            expected = expected_pages if expected_pages is not None else _count_pages(inputs)
            pages = _render_checked(inputs, partial, expected, timeout, gs)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return TiffInfo(path=out, page_count=len(pages), pages=pages)


def _render_checked(inputs: list[Path], tiff: Path, expected: int, timeout: float, gs: str) -> tuple:
    done = run_ghostscript([*GS_OPTIONS, f"-sOutputFile={tiff}", "-f", *map(str, inputs)],
                           timeout=timeout, gs=gs, what=f"rendering {len(inputs)} document(s)")
    pages = _read_output(tiff, done.stderr)
    problems = sendable_problems(pages, expected)
    if problems:
        log.error("fax TIFF not sendable: %s; Ghostscript said: %s", "; ".join(problems), _tail(done.stderr))
        raise RenderError("the fax image is not sendable: " + "; ".join(problems))
    if done.stderr.strip():  # gs repaired something, yet every page came out right
        log.warning("Ghostscript warnings while rendering a fax: %s", _tail(done.stderr))
    return pages


def run_ghostscript(args: Sequence[str], *, timeout: float, gs: str = "gs",
                    what: str = "") -> subprocess.CompletedProcess:
    """Run gs under memory/CPU limits (DESIGN conv. 10): check=True, a timeout, stderr logged and
    :class:`RenderError` raised on failure. gs exits 0 after skipping a page it cannot draw,
    so callers must still check what it produced (its stderr is in the returned result).
    """
    binary = shutil.which(gs)
    if binary is None:
        raise RenderError(f"Ghostscript ({gs}) is not installed")
    argv = limited([binary, *args], memory_bytes=GS_MEMORY, cpu_seconds=timeout)
    try:
        with GS_AT_ONCE:
            done = subprocess.run(argv, capture_output=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired as exc:
        log.error("Ghostscript timed out after %.0f s %s: %s", timeout, what, _tail(exc.stderr))
        raise RenderError(f"Ghostscript timed out after {timeout:.0f} s {what}".strip()) from None
    except subprocess.CalledProcessError as exc:
        log.error("Ghostscript failed (exit %s) %s: %s", exc.returncode, what, _tail(exc.stderr))
        raise RenderError(f"Ghostscript failed (exit {exc.returncode}) {what}: "
                          f"{_tail(exc.stderr, 300)}".strip()) from None
    return done


def _read_output(path: Path, stderr: bytes):
    """gs exits 0 even when it drew nothing (no file, or an empty one): that is a failure too."""
    try:
        return read_tiff_pages(path)
    except Exception as exc:
        log.error("Ghostscript produced no readable TIFF (%s): %s", exc, _tail(stderr))
        raise RenderError("Ghostscript produced no readable fax image") from None


def _as_files(pdfs: Sequence[bytes | Path], tmp: Path) -> list[Path]:
    """Bytes go to numbered temp files; paths are made absolute (a name starting with "-"
    would otherwise read as a gs option)."""
    files = []
    for index, pdf in enumerate(pdfs):
        if isinstance(pdf, (bytes, bytearray)):
            path = tmp / f"doc-{index:03d}.pdf"
            path.write_bytes(pdf)
        else:
            path = Path(pdf).resolve()
        files.append(path)
    return files


def _count_pages(inputs: list[Path]) -> int:
    from pypdf import PdfReader

    try:
        return sum(len(PdfReader(BytesIO(path.read_bytes())).pages) for path in inputs)
    except Exception as exc:  # validated input should always open; say which step failed
        raise RenderError(f"cannot count the pages to render: {exc}") from None


def _tail(stderr: bytes | None, limit: int = 4000) -> str:
    text = (stderr or b"").decode("utf-8", "replace").strip()
    return text[-limit:]
