"""The email that carries a voicemail message (VM-3: "send voicemail messages to"), FR/EN.

Plain data in (no ORM object crosses into the sending greenlet), an EmailMessage out, with the
recording attached as audio/wav.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from .. import mail

TEXTS = {
    "fr": {"subject": "Nouveau message vocal de {caller} ({duration})",
           "body": "Boîte vocale {box}{name}\nDe : {caller}\nDate : {date}\nDurée : {duration}\n\n"
                   "Le message est joint à ce courriel.\n",
           "unknown": "numéro inconnu", "date": "%Y-%m-%d %H:%M"},
    "en": {"subject": "New voicemail from {caller} ({duration})",
           "body": "Mailbox {box}{name}\nFrom: {caller}\nDate: {date}\nDuration: {duration}\n\n"
                   "The message is attached to this email.\n",
           "unknown": "unknown number", "date": "%Y-%m-%d %I:%M %p"},
}


@dataclass(frozen=True)
class MessageMail:
    """Everything the email needs, read from the database before sending."""
    message_id: int
    to: str
    box: str
    box_name: str
    caller_number: str
    caller_name: str
    created_at: datetime
    seconds: int
    language: str
    timezone: str
    audio_path: str | None


def duration_text(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def caller_text(data: MessageMail, texts: dict) -> str:
    unique = list(dict.fromkeys(p for p in (data.caller_name, data.caller_number) if p))
    return " ".join(unique) if unique else texts["unknown"]


def build(sender: str, data: MessageMail, audio: bytes) -> EmailMessage:
    texts = TEXTS.get(data.language, TEXTS["fr"])
    when = mail.local_time(data.created_at, data.timezone)
    values = dict(caller=caller_text(data, texts), duration=duration_text(data.seconds), box=data.box,
                  name=f" ({data.box_name})" if data.box_name else "", date=when.strftime(texts["date"]))
    message = mail.build(sender, data.to, texts["subject"].format(**values), texts["body"].format(**values))
    message.add_attachment(audio, maintype="audio", subtype="wav",
                           filename=f"message-{data.box}-{when:%Y%m%d-%H%M%S}.wav")
    return message
