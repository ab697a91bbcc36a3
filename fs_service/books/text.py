"""Normalisation shared by the rules, the search and the CSV import.

Phone numbers are stored as digits only and *refused* otherwise (guide 7.4: "sans espace,
tiret"): a phone's dial string must be exactly what was typed, and a silent rewrite of
"+1 (514) 555-0100" would hide a mistake. Search text is folded (lowercase, no accents) into
one column so "helene" finds "Hélène" the same way on SQLite and PostgreSQL.
"""
from __future__ import annotations

import re
import unicodedata

PHONE = re.compile(r"^[0-9]{2,20}$")
PHONE_ERROR = "digits only (2 to 20), without spaces, dashes or +: e.g. 5149073400"
_SEPARATORS = re.compile(r"[\s().+-]")
# Names reach the phones' XML and configuration files: no control characters.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def fold(text: str) -> str:
    """Lowercase without accents: the form the search column holds and the query is put in."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip()


def search_text(phone: str, first_name: str, last_name: str, email: str | None) -> str:
    """Every searchable field of a contact in one folded string (``|`` never matches a query)."""
    return "|".join(fold(part) for part in (phone, first_name, last_name, email or ""))


def query_forms(text: str) -> list[str]:
    """What a search box entry is looked up as: the folded text, plus its digits when it reads
    as a phone number typed with separators ("514 907-3400" finds 5149073400)."""
    folded = fold(text)
    forms = [folded] if folded else []
    digits = _SEPARATORS.sub("", folded)
    if digits.isdigit() and digits != folded:
        forms.append(digits)
    return forms
