"""Sandboxed child that inspects one uploaded PDF: ``python -m fax._pdf_probe < file.pdf``.

It runs under :func:`fax.limits.limited` (memory and CPU caps) and a wall-clock timeout set by
:func:`fax.validation.validate_pdf`, so a hostile file can at worst kill this process. It prints
one JSON object on stdout and exits 0 for both verdicts; any other exit is a failure of the
probe itself, not a verdict on the file.
"""
from __future__ import annotations

import json
import logging
import sys
import warnings

from .pdf_inspect import PdfInfo, inspect_pdf
from .rejections import PdfRejected


def verdict(data: bytes) -> dict:
    """The JSON-ready verdict; the parent puts the real file name back into rejections."""
    try:
        info: PdfInfo = inspect_pdf("", data)
    except PdfRejected as rejected:
        return {"ok": False, "code": rejected.code, "page": rejected.page, "params": rejected.params}
    return {"ok": True, "pages": [[p.width, p.height, p.kind] for p in info.pages]}


def main() -> None:
    # pypdf narrates every repair it makes on a broken file; nobody reads the probe's stderr
    # unless it crashes, so keep it for real failures.
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")
    data = sys.stdin.buffer.read()
    sys.stdout.write(json.dumps(verdict(data)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
