"""The PDF report of one ended conference (CONF-7, ReportLab): the facts of the history page —
title, room, start, end, duration, each participant with their join and leave times — in the
room's language and time zone, so the admin reads the times they planned in."""
from __future__ import annotations

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

from .history import Occurrence

LABELS = {
    "fr": {"title": "Rapport de conférence", "room": "Salle", "start": "Début", "end": "Fin",
           "duration": "Durée", "people": "Participants", "admin": "administrateur", "participant": "participant",
           "joined": "arrivée", "left": "départ", "minutes": "min"},
    "en": {"title": "Conference report", "room": "Room", "start": "Start", "end": "End",
           "duration": "Duration", "people": "Participants", "admin": "admin", "participant": "participant",
           "joined": "joined", "left": "left", "minutes": "min"},
}
_LINE = 16


def _at(value: datetime | None, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S") if value is not None else "—"


def report_lines(occurrence: Occurrence, zone: ZoneInfo, language: str) -> list[str]:
    """The report as lines of text (the PDF draws exactly these)."""
    words = LABELS[language]
    minutes = occurrence.duration_seconds // 60
    lines = [f"{words['title']}: {occurrence.title}", f"{words['room']}: {occurrence.room_number}",
             f"{words['start']}: {_at(occurrence.started_at, zone)} ({zone.key})",
             f"{words['end']}: {_at(occurrence.ended_at, zone)}",
             f"{words['duration']}: {minutes} {words['minutes']} {occurrence.duration_seconds % 60:02d} s",
             "", f"{words['people']} ({len(occurrence.attendees)}):"]
    for person in occurrence.attendees:
        lines.append(f"- {person.name} ({words[person.role]}): {words['joined']} {_at(person.joined_at, zone)}, "
                     f"{words['left']} {_at(person.left_at, zone)}")
    return lines


def report_pdf(occurrence: Occurrence, zone: ZoneInfo, language: str) -> bytes:
    out = BytesIO()
    canvas = Canvas(out, pagesize=LETTER)
    canvas.setTitle(f"{LABELS[language]['title']}: {occurrence.title}")
    top = LETTER[1] - inch
    y = top
    for index, line in enumerate(report_lines(occurrence, zone, language)):
        if y < inch:
            canvas.showPage()
            y = top
        canvas.setFont("Helvetica-Bold" if index == 0 else "Helvetica", 14 if index == 0 else 11)
        canvas.drawString(inch, y, line)
        y -= _LINE
    canvas.showPage()
    canvas.save()
    return out.getvalue()
