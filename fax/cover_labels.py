"""The words printed on the cover page, in French and English (FAX-2: the sender picks one).

Kept as plain data rather than gettext: the cover language is chosen per fax, not per user
interface session, and a fax must never come out half-translated.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Labels:
    title: str
    subject: str
    date: str
    time: str
    pages: str
    pages_value: str
    to: str
    from_: str
    name: str
    company: str
    fax: str
    phone: str
    comments: str
    truncated: str


# French typography: a no-break space before ":".
LABELS: dict[str, Labels] = {
    "fr": Labels(
        title="Facsimilé de {company}",
        subject="Sujet\u00a0:", date="Date\u00a0:", time="Heure\u00a0:",
        pages="Pages\u00a0:", pages_value="{n} (incluant la page couverture)",
        to="À", from_="De",
        name="Nom\u00a0:", company="Compagnie\u00a0:", fax="Fax\u00a0:", phone="Téléphone\u00a0:",
        comments="Commentaires\u00a0:",
        truncated="[Commentaire abrégé\u00a0: {n}\u00a0caractères ne tenaient pas sur la page.]",
    ),
    "en": Labels(
        title="Facsimile from {company}",
        subject="Subject:", date="Date:", time="Time:",
        pages="Pages:", pages_value="{n} (including this cover page)",
        to="To", from_="From",
        name="Name:", company="Company:", fax="Fax:", phone="Phone:",
        comments="Comments:",
        truncated="[Comment shortened: {n} characters did not fit on the page.]",
    ),
}
