"""The fax emails, built as data (FR/EN), like fs_service/voicemail/email_content.py:

- **confirmation** (FAX-6) of a sent or failed fax, to the user who sent it, only when the
  sender number has the option on: result, pages, duration, remote station id, with the cover
  page attached;
- **alert** when spandsp refused our own document (bad TIFF): always sent, whatever the
  option, because the user must know the fax will not go and why;
- **received fax** (FAX-7), to the number's recipients, with the PDF attached.
Plain data in (no ORM object crosses into the sending greenlet), an EmailMessage out.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from .. import mail
from ..mail import local_time

# the mail queue's kinds (fs_service.mail_queue, built by .mailer): owed by .jobs and .inbound
JOB_KIND = "fax_confirmation"  # the confirmation or the alert, to the user who sent the fax
RECEIVED_KIND = "fax_received"  # the received fax, to the number's inbound addresses

TEXTS = {
    "fr": {
        "sent": "Télécopie envoyée au {destination} ({pages})",
        "failed": "Échec de la télécopie au {destination}",
        "alert": "Télécopie impossible au {destination} : document refusé",
        "received": "Télécopie reçue de {caller} ({pages})",
        "result_sent": "Résultat : envoyée", "result_failed": "Résultat : échec — {reason}",
        "lines": "Destinataire : {recipient}\nSujet : {subject}\nDate : {date}\nPages envoyées : {pages_sent} / "
                 "{pages_total}\nDurée : {duration}\nIdentifiant du télécopieur distant : {station}\n",
        "alert_note": "\nLe document n'a pas pu être transmis tel quel ; une nouvelle tentative ne changerait "
                      "rien. Notre équipe technique a été avertie.\n",
        "cover_note": "\nLa page couverture est jointe à ce courriel.\n",
        "received_lines": "Numéro de fax : {number}\nDe : {caller}\nIdentifiant du télécopieur : {station}\n"
                          "Date : {date}\nPages : {pages}\n\nLa télécopie est jointe à ce courriel (PDF).\n",
        "unknown": "inconnu", "date": "%Y-%m-%d %H:%M",
    },
    "en": {
        "sent": "Fax sent to {destination} ({pages})",
        "failed": "Fax to {destination} failed",
        "alert": "Fax to {destination} impossible: document refused",
        "received": "Fax received from {caller} ({pages})",
        "result_sent": "Result: sent", "result_failed": "Result: failed — {reason}",
        "lines": "Recipient: {recipient}\nSubject: {subject}\nDate: {date}\nPages sent: {pages_sent} / "
                 "{pages_total}\nDuration: {duration}\nRemote station ID: {station}\n",
        "alert_note": "\nThe document could not be transmitted as it is; another try would not change "
                      "that. Our technical team has been notified.\n",
        "cover_note": "\nThe cover page is attached to this email.\n",
        "received_lines": "Fax number: {number}\nFrom: {caller}\nRemote station ID: {station}\n"
                          "Date: {date}\nPages: {pages}\n\nThe fax is attached to this email (PDF).\n",
        "unknown": "unknown", "date": "%Y-%m-%d %I:%M %p",
    },
}


@dataclass(frozen=True)
class JobMail:
    job_id: int
    to: str
    language: str
    timezone: str
    state: str  # sent | failed
    alert: bool
    destination: str
    recipient: str
    subject: str
    pages_sent: int
    pages_total: int
    duration_seconds: int | None
    remote_station_id: str
    result_text: str
    finished_at: datetime


@dataclass(frozen=True)
class ReceivedMail:
    received_id: int
    to: tuple[str, ...]
    language: str
    timezone: str
    number: str
    caller: str
    remote_station_id: str
    pages: int
    received_at: datetime


# A try that never reached the fax stage stores FreeSWITCH's hang-up cause as its reason
# (fs_service/fax/jobs.py); the email says it plainly, the cause kept in brackets for support.
CAUSES = {
    "fr": {"NO_ANSWER": "personne n'a répondu", "NO_USER_RESPONSE": "personne n'a répondu",
           "USER_BUSY": "la ligne était occupée", "CALL_REJECTED": "l'appel a été refusé",
           "UNALLOCATED_NUMBER": "ce numéro n'existe pas", "NO_ROUTE_DESTINATION": "ce numéro est injoignable",
           "INVALID_NUMBER_FORMAT": "ce numéro n'est pas valide"},
    "en": {"NO_ANSWER": "nobody answered", "NO_USER_RESPONSE": "nobody answered",
           "USER_BUSY": "the line was busy", "CALL_REJECTED": "the call was refused",
           "UNALLOCATED_NUMBER": "this number does not exist", "NO_ROUTE_DESTINATION": "this number cannot be reached",
           "INVALID_NUMBER_FORMAT": "this number is not valid"},
}


def reason_text(result_text: str, language: str) -> str:
    """Why a fax failed, for a person: a known hang-up cause in words, anything else as stored
    (spandsp's own sentence, e.g. "Timed out waiting for initial communication")."""
    plain = CAUSES.get(language, CAUSES["fr"]).get(result_text.strip().upper())
    return f"{plain} ({result_text.strip()})" if plain else (result_text or "?")


def _texts(language: str) -> dict:
    return TEXTS.get(language, TEXTS["fr"])


def pages_text(count: int) -> str:
    """"1 page", "2 pages": the same word in French and English (0 and 1 are singular in French)."""
    return f"{count} page" + ("s" if count > 1 else "")


def duration_text(seconds: int | None) -> str:
    return "—" if seconds is None else f"{seconds // 60}:{seconds % 60:02d}"


def job_message(sender: str, data: JobMail, cover_pdf: bytes | None) -> EmailMessage:
    t = _texts(data.language)
    kind = "alert" if data.alert else data.state
    subject = t[kind].format(destination=data.destination, pages=pages_text(data.pages_sent))
    result = t["result_sent"] if data.state == "sent" else t["result_failed"].format(
        reason=reason_text(data.result_text, data.language))
    when = local_time(data.finished_at, data.timezone)
    body = result + "\n\n" + t["lines"].format(
        recipient=data.recipient or data.destination, subject=data.subject, date=when.strftime(t["date"]),
        pages_sent=data.pages_sent, pages_total=data.pages_total, duration=duration_text(data.duration_seconds),
        station=data.remote_station_id or t["unknown"])
    if data.alert:
        body += t["alert_note"]
    if cover_pdf:
        body += t["cover_note"]
    message = mail.build(sender, data.to, subject, body)
    if cover_pdf:
        message.add_attachment(cover_pdf, maintype="application", subtype="pdf",
                               filename=f"fax-{data.job_id}-cover.pdf")
    return message


def received_message(sender: str, data: ReceivedMail, pdf: bytes) -> EmailMessage:
    t = _texts(data.language)
    when = local_time(data.received_at, data.timezone)
    caller = data.caller or data.remote_station_id or t["unknown"]
    body = t["received_lines"].format(number=data.number, caller=caller, station=data.remote_station_id or t["unknown"],
                                      date=when.strftime(t["date"]), pages=data.pages)
    subject = t["received"].format(caller=caller, pages=pages_text(data.pages))
    message = mail.build(sender, ", ".join(data.to), subject, body)
    message.add_attachment(pdf, maintype="application", subtype="pdf",
                           filename=f"fax-{when:%Y%m%d-%H%M%S}-{data.received_id}.pdf")
    return message
