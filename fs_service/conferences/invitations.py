"""Invitation emails (CONF-3, CONF-6): in the participant's language, with how to dial in, the
room number and *their own* code, the date and time in the room's time zone, and an .ics
attachment for a single-use room. Queued through the mail queue (sent by ``pbx run``), so a
mail server that is down delays them instead of losing them; resending queues another.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.message import EmailMessage

from .. import mail, mail_queue
from ..db import db, utcnow
from ..models import Conference, ConferenceParticipant, MailDelivery
from ..models._columns import as_utc
from ..numbering import CONFERENCE_ACCESS
from . import rules

KIND = "conference_invitation"
TEXT = {
    "fr": {"subject": "Invitation : {title}",
           "body": "Bonjour {name},\n\nVous êtes invité(e) à la conférence « {title} » ({role}).\n{when}"
                   "Pour la rejoindre :\n- composez le {dial} depuis un téléphone de l'entreprise ;\n"
                   "- entrez le numéro de salle {room} suivi du # ;\n"
                   "- entrez votre code d'accès {code} suivi du #.\n",
           "when": "Date : {start} ({zone}), durée {minutes} min. Vous pourrez la joindre 10 minutes avant.\n\n",
           "admin": "administrateur", "participant": "participant"},
    "en": {"subject": "Invitation: {title}",
           "body": "Hello {name},\n\nYou are invited to the conference \"{title}\" ({role}).\n{when}"
                   "To join:\n- dial {dial} from a company phone;\n"
                   "- enter room number {room} followed by #;\n- enter your access code {code} followed by #.\n",
           "when": "Date: {start} ({zone}), {minutes} min. You may join 10 minutes before.\n\n",
           "admin": "admin", "participant": "participant"},
}


def invite(participant: ConferenceParticipant) -> MailDelivery:
    """Owe this person their invitation (in the caller's transaction); marks when it was asked."""
    participant.invited_at = utcnow()
    return mail_queue.enqueue(KIND, participant.email, source_id=participant.id,
                              account_id=db.session.get(Conference, participant.conference_id).account_id)


def _ics(room: Conference, person: ConferenceParticipant) -> str:
    start = as_utc(room.starts_at)
    stamp = "%Y%m%dT%H%M%SZ"
    end = start + timedelta(minutes=room.duration_minutes)
    return "\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//pbx control plane//conferences//EN", "METHOD:REQUEST",
        "BEGIN:VEVENT", f"UID:conference-{room.id}-{person.id}@pbx", f"DTSTAMP:{datetime.now(timezone.utc):{stamp}}",
        f"DTSTART:{start:{stamp}}", f"DTEND:{end:{stamp}}", f"SUMMARY:{_ics_text(room.title)}",
        f"DESCRIPTION:{_ics_text(f'{CONFERENCE_ACCESS} / {room.room_number}# / {person.code}#')}",
        "END:VEVENT", "END:VCALENDAR", ""])


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT escaping: backslash, semicolon, comma, newline."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def message(sender: str, person: ConferenceParticipant, room: Conference) -> EmailMessage:
    words = TEXT[person.language]
    when = ""
    if room.kind == "single_use" and room.starts_at is not None:
        zone = rules.zone(room.timezone)
        when = words["when"].format(start=f"{as_utc(room.starts_at).astimezone(zone):%Y-%m-%d %H:%M}",
                                    zone=room.timezone, minutes=room.duration_minutes)
    body = words["body"].format(name=person.name, title=room.title, role=words[person.role], when=when,
                                dial=CONFERENCE_ACCESS, room=room.room_number, code=person.code)
    email = mail.build(sender, person.email, words["subject"].format(title=room.title), body)
    if when:
        email.add_attachment(_ics(room, person).encode(), maintype="text", subtype="calendar",
                             filename="invitation.ics", params={"method": "REQUEST"})
    return email


def mail_kind(sender: str) -> mail_queue.MailKind:
    """The queue's builder for this kind (registered with the sender loop's kinds)."""
    def build(delivery: MailDelivery) -> EmailMessage | None:
        person = db.session.get(ConferenceParticipant, delivery.source_id)
        if person is None:  # removed before the email left
            return None
        return message(sender, person, db.session.get(Conference, person.conference_id))
    return mail_queue.MailKind(build)
