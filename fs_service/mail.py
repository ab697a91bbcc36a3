"""Sending email over real SMTP (reset links, welcome messages, voicemail and fax).

The message is built by the caller (text already translated); this module only delivers it,
with a timeout, so a dead mail server costs a bounded wait and a logged error, and says
whether the server's answer is final (5xx) or worth another try. Every email that waits for
SMTP goes through one queue, :mod:`fs_service.mail_queue` (voicemail, fax, invitations,
password resets), with the retry rhythm of :func:`backoff` and the claim lease :data:`LEASE`.
"""
from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger("pbx.mail")


MAX_BACKOFF = timedelta(hours=1)
LEASE = timedelta(minutes=5)  # a claimed row is tried again after this if its sender died


class MailError(RuntimeError):
    """The SMTP server did not take the message. ``permanent``: it answered 5xx (bad address,
    refused content) -- trying again cannot help; otherwise (4xx, refused connection, timeout)
    the message waits and is tried again."""

    def __init__(self, answer: str, permanent: bool = False) -> None:
        super().__init__(answer)
        self.permanent = permanent


def _answer(exc: Exception) -> tuple[str, bool]:
    """The server's answer as one line, and whether it is final (5xx)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):  # {address: (code, text)} for every recipient
        codes = [code for code, _ in exc.recipients.values()]
        text = "; ".join(f"{addr}: {code} {_text(raw)}" for addr, (code, raw) in exc.recipients.items())
        return text, bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}", exc.smtp_code >= 500
    return str(exc) or type(exc).__name__, False


def _text(raw) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def backoff(attempts: int) -> timedelta:
    """Wait before the next try of a queued email after ``attempts`` failures: 1, 2, 4… minutes,
    capped at an hour, so a mail server down for a day costs a few tries an hour, not thousands."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def build(sender: str, to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def send(settings, message: EmailMessage) -> None:
    """Deliver one message through the configured SMTP server or raise MailError."""
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        answer, permanent = _answer(exc)
        log.error("mail not sent to=%s subject=%r permanent=%s answer=%s", message["To"], message["Subject"],
                  permanent, answer)
        raise MailError(" ".join(answer.split())[:255], permanent) from exc
    log.info("mail sent to=%s subject=%r", message["To"], message["Subject"])


def local_time(moment: datetime, zone: str) -> datetime:
    """``moment`` (naive = UTC, as stored) in the reader's time zone; unchanged if the zone is unknown."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    try:
        return moment.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return moment
