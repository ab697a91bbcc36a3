"""Sending email over real SMTP (reset links, welcome messages, voicemail and fax).

The message is built by the caller (text already translated); this module only delivers it,
with a timeout, so a dead mail server costs a bounded wait and a logged error. The queues of
emails that wait for SMTP (voicemail, fax, password reset) share their retry rhythm
(:func:`backoff`) and, for rows queued by an ``email_due_at`` column, their claim
(:func:`claim_due`).
"""
from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage

import sqlalchemy as sa

from .db import db, utcnow

log = logging.getLogger("pbx.mail")


MAX_BACKOFF = timedelta(hours=1)
LEASE = timedelta(minutes=5)  # a claimed row is tried again after this if its sender died


class MailError(RuntimeError):
    pass


def backoff(attempts: int) -> timedelta:
    """Wait before the next try of a queued email after ``attempts`` failures: 1, 2, 4… minutes,
    capped at an hour, so a mail server down for a day costs a few tries an hour, not thousands."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def claim_due(model, row_id: int) -> bool:
    """Take a due queued email (``model.email_due_at`` set and past) for this process: a
    conditional UPDATE pushes ``email_due_at`` forward by :data:`LEASE`, so several senders
    never send the same email (the same on SQLite and PostgreSQL). Commits."""
    now = utcnow()
    claimed = db.session.execute(sa.update(model).where(
        model.id == row_id, model.email_due_at.is_not(None), model.email_due_at <= now)
        .values(email_due_at=now + LEASE).execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return claimed


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
