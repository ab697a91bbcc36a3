"""Sending email over real SMTP (reset links, welcome messages, later voicemail and fax).

The message is built by the caller (text already translated); this module only delivers it,
with a timeout, so a dead mail server costs a bounded wait and a logged error.
"""
from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage

log = logging.getLogger("pbx.mail")


MAX_BACKOFF = timedelta(hours=1)


class MailError(RuntimeError):
    pass


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
        log.error("mail not sent to=%s subject=%r error=%s", message["To"], message["Subject"], exc)
        raise MailError(str(exc)) from exc
    log.info("mail sent to=%s subject=%r", message["To"], message["Subject"])
