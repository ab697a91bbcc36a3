"""The report emailed to the room's owner when an occurrence ends (CONF-2 "email a report to
the admin", CONF-7): the PDF of report.py attached, in the room's language. Queued by events.py
in the transaction that ends the occurrence; built by the mail queue's sender."""
from __future__ import annotations

from email.message import EmailMessage

from .. import mail, mail_queue
from ..db import db
from ..errors import NotFound
from ..models import Conference, ConferenceSession, MailDelivery, User
from . import history, rules
from .report import LABELS, report_lines, report_pdf

KIND = "conference_report"


def queue_report(session: ConferenceSession, room: Conference) -> None:
    """Owe the owner the report, when the room asks for it and someone joined."""
    owner = db.session.get(User, room.owner_user_id) if room.owner_user_id else None
    if room.email_report and owner is not None and owner.active:
        mail_queue.enqueue(KIND, owner.email, account_id=room.account_id, source_id=session.id)


def mail_kind(sender: str) -> mail_queue.MailKind:
    def build(delivery: MailDelivery) -> EmailMessage | None:
        try:
            found = history.occurrence(None, delivery.source_id)
        except NotFound:  # nobody joined after all, or the room was deleted
            return None
        room = db.session.get(Conference, found.room_id)
        zone = rules.zone(room.timezone) or rules.zone("UTC")
        lines = report_lines(found, zone, room.language)
        message = mail.build(sender, delivery.recipient, lines[0], "\n".join(lines) + "\n")
        message.add_attachment(report_pdf(found, zone, room.language), maintype="application", subtype="pdf",
                               filename=f"{LABELS[room.language]['title']} {found.id}.pdf")
        return message
    return mail_queue.MailKind(build)
