"""The fax cover page (FAX-3, FAX-2): one US Letter page, laid out to survive a fax line.

Why it looks like this: a fax is 1-bit at ~200 dpi, so the page uses black on white only (no
grey fills, which would be dithered into noise), 13 pt text with bold labels, solid rules, and
an embedded font (:mod:`fax.fonts`) so what is drawn here is exactly what Ghostscript renders.
It is always exactly one page: single-line fields are capped at :data:`FIELD_MAX_CHARS`, and
the comments get whatever height is left, cut at a word with "…" and a note saying how much
was left out.
"""
from __future__ import annotations

import datetime as dt
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib.colors import black
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, HRFlowable, Paragraph, Spacer, Table, TableStyle

from . import fonts
from .cover_data import CoverData, missing_fields
from .cover_labels import LABELS, Labels

FIELD_MAX_CHARS = 100
TITLE_COMPANY_MAX_CHARS = 60  # the title is 22 pt: two lines at most
COMMENTS_MAX_CHARS = 10_000  # bounds the layout work; far more than one page can hold
MARGIN = 54.0                # 0.75 in: clear of the fax header line and of printer margins
LABEL_WIDTH = 120.0
_WIDTH = letter[0] - 2 * MARGIN
_HEIGHT = letter[1] - 2 * MARGIN


class CoverIncomplete(ValueError):
    """A required field of the cover page is empty (``missing``: their names, in form order)."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"cover page: missing {', '.join(missing)}")


def build_cover(data: CoverData, lang: str = "fr") -> bytes:
    """The cover page as a one-page Letter PDF, in French or English."""
    missing = missing_fields(data)
    if missing:
        raise CoverIncomplete(missing)
    fonts.register()
    labels = LABELS["en" if lang.lower().startswith("en") else "fr"]
    story = _header(data, labels)
    canvas = Canvas(BytesIO(), pagesize=letter)  # scratch, only to measure
    used = sum(f.wrapOn(canvas, _WIDTH, _HEIGHT)[1] for f in story)
    story += _comments(data.comments, labels, _HEIGHT - used - 1)
    return _draw(story, subject=data.subject)


def _draw(story: list[Flowable], subject: str) -> bytes:
    out = BytesIO()
    canvas = Canvas(out, pagesize=letter, invariant=True)  # invariant: same input, same bytes
    canvas.setTitle(fonts.drawable(subject))
    frame = Frame(MARGIN, MARGIN, _WIDTH, _HEIGHT, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, showBoundary=0)
    frame.addFromList(story, canvas)
    if story:  # cannot happen with the caps above; never emit a cut page silently
        raise RuntimeError("cover page layout overflowed")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _header(data: CoverData, labels: Labels) -> list[Flowable]:
    """Everything above the comments: title, the fax's facts, recipient, sender."""
    s = _styles()
    title = labels.title.format(company=_short(data.from_company, TITLE_COMPANY_MAX_CHARS))
    facts = [(labels.subject, data.subject), (labels.date, _date(data.date)), (labels.time, _time(data.time)),
             (labels.pages, labels.pages_value.format(n=data.page_count))]
    to = _party(labels, data.to_name, data.to_company, data.to_fax, data.to_phone,
                hide_fax=False, hide_phone=data.hide_recipient_phone)
    sender = _party(labels, data.from_name, data.from_company, data.from_fax, data.from_phone,
                    hide_fax=data.hide_sender_fax, hide_phone=data.hide_sender_phone)
    return [
        Paragraph(_text(title), s["title"]), *_separator(2.5),
        _table(facts), *_separator(1.5),
        Paragraph(_text(labels.to), s["section"]), _table(to), *_separator(1.5),
        Paragraph(_text(labels.from_), s["section"]), _table(sender), *_separator(1.5),
        Paragraph(_text(labels.comments), s["section"]), Spacer(0, 4),
    ]


def _separator(thickness: float) -> list[Flowable]:
    """A solid black rule with air around it (no grey: a fax would dither it)."""
    return [Spacer(0, 6), _rule(thickness), Spacer(0, 8)]


def _party(labels: Labels, name: str, company: str, fax: str, phone: str, *,
           hide_fax: bool, hide_phone: bool) -> list[tuple[str, str]]:
    """A recipient or sender block; a hidden number loses its row, label included."""
    rows = [(labels.name, name), (labels.company, company)]
    if not hide_fax:
        rows.append((labels.fax, fax))
    if not hide_phone:
        rows.append((labels.phone, phone))
    return rows


def _comments(comments: str, labels: Labels, height: float) -> list[Flowable]:
    """The comments paragraph, shortened to fit ``height`` if it must, with a note."""
    style = _styles()["body"]
    full = fonts.drawable(comments.strip())
    text = full[:COMMENTS_MAX_CHARS]
    whole = _paragraph(text, style)
    if len(text) == len(full) and whole.wrap(_WIDTH, height)[1] <= height:
        return [whole]
    longest_note = Paragraph(_text(labels.truncated.format(n=len(full))), _styles()["note"])
    note_height = longest_note.wrap(_WIDTH, height)[1]
    kept = _longest_prefix_that_fits(text, style, height - note_height - 4)
    note = labels.truncated.format(n=len(full) - len(kept))
    return [_paragraph(kept + "…", style), Spacer(0, 4), Paragraph(_text(note), _styles()["note"])]


def _longest_prefix_that_fits(text: str, style: ParagraphStyle, height: float) -> str:
    """Binary search on length (a wrap is cheap), then back off to the last word boundary."""
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if _paragraph(text[:mid] + "…", style).wrap(_WIDTH, height)[1] <= height:
            low = mid
        else:
            high = mid - 1
    kept = text[:low]
    cut = max(kept.rfind(" "), kept.rfind("\n"))
    return kept[:cut].rstrip() if cut > low - 40 and cut > 0 else kept


def _paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_text(text).replace("\n", "<br/>"), style)


def _table(rows: list[tuple[str, str]]) -> Table:
    s = _styles()
    cells = [[Paragraph(_text(label), s["label"]), Paragraph(_text(_short(value)), s["value"])]
             for label, value in rows]
    table = Table(cells, colWidths=[LABEL_WIDTH, _WIDTH - LABEL_WIDTH], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _rule(thickness: float) -> HRFlowable:
    return HRFlowable(width="100%", thickness=thickness, color=black, spaceBefore=0, spaceAfter=0)


def _short(value: object, limit: int = FIELD_MAX_CHARS) -> str:
    """One line of user text, whitespace collapsed, capped with an ellipsis."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _text(value: str) -> str:
    """User text as Paragraph markup: drawable characters, XML-escaped."""
    return escape(fonts.drawable(value))


def _date(value: dt.date | str) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _time(value: dt.time | str) -> str:
    return value.strftime("%H:%M") if isinstance(value, dt.time) else str(value)


def _styles() -> dict[str, ParagraphStyle]:
    base = dict(fontName=fonts.REGULAR, textColor=black, splitLongWords=1)
    return {
        "title": ParagraphStyle("title", fontName=fonts.BOLD, fontSize=22, leading=27, textColor=black),
        "section": ParagraphStyle("section", fontName=fonts.BOLD, fontSize=16, leading=21, textColor=black),
        "label": ParagraphStyle("label", **{**base, "fontName": fonts.BOLD}, fontSize=13, leading=16.5),
        "value": ParagraphStyle("value", **base, fontSize=13, leading=16.5),
        "body": ParagraphStyle("body", **base, fontSize=13, leading=17),
        "note": ParagraphStyle("note", **{**base, "fontName": fonts.BOLD}, fontSize=11, leading=14),
    }
