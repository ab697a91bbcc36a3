"""French/English plumbing for the UI: compiled catalogs and the language switch.

The ``.po`` catalogs are the source of truth; ``.mo`` files are build products, compiled here at
start-up when missing or stale so a fresh checkout (or a test run) never serves untranslated
pages because someone forgot ``pybabel compile``.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Blueprint, redirect, request, session
from flask_babel import refresh

from .common import safe_next

#: The UI's languages (web.select_locale picks among them).
LANGUAGES = ("fr", "en")
log = logging.getLogger("pbx.web.i18n")
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"

bp = Blueprint("i18n", __name__)


def _is_stale(po: Path, mo: Path) -> bool:
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def _compile(po: Path, mo: Path) -> None:
    with po.open("rb") as source:
        catalog = read_po(source, locale=po.parent.parent.name)
    # Write then rename: a second worker starting at the same time never reads half a file.
    tmp = mo.with_name(f"{mo.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as target:
        write_mo(target, catalog)
    os.replace(tmp, mo)


def ensure_catalogs_compiled(directory: Path = TRANSLATIONS) -> list[Path]:
    """Compile every ``.po`` whose ``.mo`` is missing or older; return the files written."""
    written = []
    for po in sorted(directory.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not _is_stale(po, mo):
            continue
        try:
            _compile(po, mo)
        except OSError as exc:  # read-only install: serve what exists rather than not start
            log.warning("catalog not compiled po=%s error=%s", po, exc)
            continue
        written.append(mo)
    return written


@bp.get("/lang/<code>")
def set_language(code: str):
    """Remember the visitor's choice for this session and go back to the page they were on."""
    if code in LANGUAGES:
        session["lang"] = code
        refresh()
    return redirect(safe_next(request.args.get("next")))
