"""What a fax cover page says (FAX-3) and which choices hide what (FAX-2).

Kept apart from the layout so the "every field is required" rule can be checked by the schema
and the core without importing ReportLab.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

#: Every field the guide (6.3) requires, in the order they appear on the page.
REQUIRED_FIELDS = (
    "subject", "date", "time", "page_count",
    "to_name", "to_company", "to_fax", "to_phone",
    "from_name", "from_company", "from_fax", "from_phone",
    "comments",
)


@dataclass(frozen=True)
class CoverData:
    """The cover page fields. ``page_count`` includes the cover itself.

    The hide flags remove a number *and its label* from the page; the number is still required
    (the guide asks for every field, and the sender numbers are also used to place the call).
    """
    subject: str
    date: dt.date | str
    time: dt.time | str
    page_count: int
    to_name: str
    to_company: str
    to_fax: str
    to_phone: str
    from_name: str
    from_company: str
    from_fax: str
    from_phone: str
    comments: str
    hide_recipient_phone: bool = False
    hide_sender_phone: bool = False
    hide_sender_fax: bool = False


def missing_fields(data: CoverData) -> list[str]:
    """Names of required fields that are empty (blank text, or a page count below 1)."""
    missing = []
    for name in REQUIRED_FIELDS:
        value = getattr(data, name)
        if name == "page_count":
            empty = not isinstance(value, int) or isinstance(value, bool) or value < 1
        elif isinstance(value, (dt.date, dt.time)):
            empty = False
        else:
            empty = value is None or not str(value).strip()
        if empty:
            missing.append(name)
    return missing


def total_pages(document_page_counts: list[int]) -> int:
    """The page count printed on the cover: the documents plus the cover itself."""
    return 1 + sum(document_page_counts)


def field_names() -> tuple[str, ...]:
    """All CoverData fields (required ones and the hide flags), for schemas to mirror."""
    return tuple(f.name for f in fields(CoverData))
