"""Why an attached PDF cannot be faxed (FAX-4): a stable reason code, its parameters, and the
sentence a person reads, in French or English.

The code and parameters are the contract (API clients and tests match on them); the sentence
is rendered late by :func:`describe` so the UI can speak the user's language while logs and the
API ``message`` stay in English.
"""
from __future__ import annotations

import math
from typing import Any

#: Every reason a document can be refused. ``page`` is set for the per-page ones.
REASONS = (
    "not_pdf", "too_large", "encrypted", "unreadable", "no_pages", "too_many_pages",
    "too_complex", "page_unreadable", "landscape", "wrong_size",
)

_EN = {
    "not_pdf": "{file}: this file is not a PDF document (its content is not PDF, whatever its name).",
    "too_large": "{file}: the file is {size} MB; the limit is {limit} MB per document.",
    "encrypted": "{file}: the PDF is encrypted or password-protected; save or print it as an "
                 "unprotected PDF, then attach it again.",
    "unreadable": "{file}: the PDF is damaged or unreadable.",
    "no_pages": "{file}: the PDF has no pages.",
    "too_many_pages": "{file}: the PDF has {count} pages; at most {limit} pages per document can be faxed.",
    "too_complex": "{file}: the PDF is too complex to be checked within the time and memory allowed.",
    "page_unreadable": "{file}, page {page}: the page cannot be read (its size is missing or invalid).",
    "landscape": "{file}, page {page}: the page is landscape ({width}×{height} pt); "
                 "only US Letter or A4 portrait pages can be faxed.",
    "wrong_size": "{file}, page {page}: the page is {width}×{height} pt ({width_mm}×{height_mm} mm); "
                  "only US Letter (612×792 pt) or A4 (595×842 pt) portrait pages can be faxed.",
}

# French typography wants a (no-break) space before ":" and ";".
_FR = {
    "not_pdf": "{file}\u00a0: ce fichier n'est pas un document PDF (son contenu n'est pas du PDF, "
               "quel que soit son nom).",
    "too_large": "{file}\u00a0: le fichier fait {size}\u00a0Mo\u00a0; la limite est de {limit}\u00a0Mo "
                 "par document.",
    "encrypted": "{file}\u00a0: le PDF est chiffré ou protégé par mot de passe\u00a0; enregistrez-le ou "
                 "imprimez-le en PDF sans protection, puis joignez-le de nouveau.",
    "unreadable": "{file}\u00a0: le PDF est endommagé ou illisible.",
    "no_pages": "{file}\u00a0: le PDF ne contient aucune page.",
    "too_many_pages": "{file}\u00a0: le PDF compte {count}\u00a0pages\u00a0; au plus {limit}\u00a0pages par "
                      "document peuvent être télécopiées.",
    "too_complex": "{file}\u00a0: le PDF est trop complexe pour être vérifié dans le temps et la mémoire "
                   "alloués.",
    "page_unreadable": "{file}, page {page}\u00a0: la page est illisible (format absent ou invalide).",
    "landscape": "{file}, page {page}\u00a0: la page est en paysage ({width}\u00d7{height}\u00a0pt)\u00a0; "
                 "seules les pages US Letter ou A4 en portrait peuvent être télécopiées.",
    "wrong_size": "{file}, page {page}\u00a0: la page mesure {width}\u00d7{height}\u00a0pt "
                  "({width_mm}\u00d7{height_mm}\u00a0mm)\u00a0; seules les pages US Letter (612\u00d7792\u00a0pt) "
                  "ou A4 (595\u00d7842\u00a0pt) en portrait peuvent être télécopiées.",
}

_TEMPLATES = {"en": _EN, "fr": _FR}
_MIB = 1024 * 1024
_MM_PER_PT = 25.4 / 72


class PdfRejected(ValueError):
    """A document refused before sending (the core turns these into one validation error).

    ``error_id`` is ``pdf_<code>`` so API clients can react without parsing the sentence.
    """

    def __init__(self, filename: str, code: str, page: int | None = None, **params: Any) -> None:
        if code not in REASONS:
            raise ValueError(f"unknown PDF rejection code {code!r}")
        self.filename = filename
        self.code = code
        self.page = page
        self.params = params
        self.error_id = f"pdf_{code}"
        self.reason = describe(self, "en")  # the English sentence: what logs and the API carry
        super().__init__(self.reason)

    def __reduce__(self):  # keep it picklable (kwargs are not restored by default)
        return (_rebuild, (self.filename, self.code, self.page, self.params))


def _rebuild(filename: str, code: str, page: int | None, params: dict) -> PdfRejected:
    return PdfRejected(filename, code, page, **params)


def describe(rejection: PdfRejected, lang: str = "en") -> str:
    """The sentence shown to a person, in ``lang`` ("fr", "en", "fr-CA"…; unknown languages get English)."""
    key = (lang or "en")[:2].lower()
    key = key if key in _TEMPLATES else "en"
    return _TEMPLATES[key][rejection.code].format(**_display_values(rejection, key))


def _display_values(rejection: PdfRejected, lang: str) -> dict[str, Any]:
    """Format numbers the way a reader of ``lang`` expects (decimal comma in French)."""
    p = rejection.params
    values: dict[str, Any] = {"file": rejection.filename or "?", "page": rejection.page}
    if "size_bytes" in p:
        # Rounded *up*: a file one byte over the limit must not read "1.5 MB; the limit is 1.5 MB".
        values["size"] = _number(math.ceil(p["size_bytes"] / _MIB * 100) / 100, lang)
        values["limit"] = _number(p["limit_bytes"] / _MIB, lang)
    elif "limit" in p:
        values["limit"] = p["limit"]
    if "count" in p:
        values["count"] = p["count"]
    if "width" in p:
        values["width"] = _number(round(p["width"], 1), lang)
        values["height"] = _number(round(p["height"], 1), lang)
        values["width_mm"] = _number(round(p["width"] * _MM_PER_PT), lang)
        values["height_mm"] = _number(round(p["height"] * _MM_PER_PT), lang)
    return values


def _number(value: float, lang: str) -> str:
    text = f"{value:g}" if abs(value) < 1e6 else f"{value:.0f}"
    return text.replace(".", ",") if lang == "fr" else text
