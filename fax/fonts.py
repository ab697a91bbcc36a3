"""The font of the cover page, and making any user text safe to draw with it.

Why Bitstream Vera from ReportLab's own ``fonts`` folder: it ships inside the ``reportlab``
wheel we already depend on (so the project stands alone, no Debian font package), it is a
TrueType font ReportLab embeds (subset) in the PDF — so Ghostscript renders exactly what we
laid out, with no font substitution — and it covers all of French including Œ œ « » ’ € and
the no-break space. Its one gap that French typing produces, the narrow no-break space
(U+202F, inserted by some keyboards before « : ; »), is mapped to a normal no-break space;
any other character the font lacks becomes "?" rather than an invisible box.
Licence: reportlab/fonts/bitstream-vera-license.txt (free to embed and redistribute).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "FaxSans"
BOLD = "FaxSans-Bold"
_FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
_FILES = {REGULAR: "Vera.ttf", BOLD: "VeraBd.ttf"}
_SUBSTITUTES = {"\u202f": "\u00a0", "\u2007": "\u00a0", "\u2009": " ", "\t": " "}


@lru_cache(maxsize=1)
def register() -> frozenset[int]:
    """Register the cover fonts once; return the code points the regular face can draw."""
    for name, file in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(_FONT_DIR / file)))
    # So <b> inside a Paragraph picks the bold face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    regular = pdfmetrics.getFont(REGULAR).face.charToGlyph
    bold = pdfmetrics.getFont(BOLD).face.charToGlyph
    return frozenset(regular.keys() & bold.keys())


def drawable(text: str) -> str:
    """``text`` with only characters the cover font can draw; line breaks are kept.

    Text is NFC-normalised first so "e" + combining accent (as macOS pastes it) becomes "é".
    """
    covered = register()
    out = []
    for char in unicodedata.normalize("NFC", text):
        char = _SUBSTITUTES.get(char, char)
        if char == "\n" or ord(char) in covered:
            out.append(char)
        elif unicodedata.category(char).startswith("C"):  # controls, private use: drop
            continue
        else:
            out.append("?")
    return "".join(out)
