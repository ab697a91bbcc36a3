"""Voicemail email delivery: the message rows are the queue, so nothing is lost while SMTP is down.

A deposit sets ``email_to`` and ``email_next_at=now``; :func:`send_now` tries at once (in
the background), :func:`run_email_retry_loop` (one per server process) retries what failed,
with a backoff capped at an hour, until SMTP accepts it. Each attempt first *claims* the row
by pushing ``email_next_at`` forward with a conditional UPDATE, so several processes (or the
immediate try and the loop) never send the same message twice -- this works the same on
SQLite and PostgreSQL. Email-only boxes keep nothing once the email is accepted: the row and
the file go then, and only then.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

import gevent
import sqlalchemy as sa
from flask import Flask

from .. import mail
from ..db import db
from ..models import Account, Extension, Mailbox, VoicemailMessage
from . import email_content
from .email_content import MessageMail
from .storage import Storage, discard_after_commit

log = logging.getLogger("pbx.voicemail.mail")
LEASE = mail.LEASE  # a claimed row is retried after this if its sender died
RETRY_INTERVAL_SECONDS = 30


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _claim(message_id: int) -> bool:
    now = _now()
    claimed = db.session.execute(sa.update(VoicemailMessage).where(
        VoicemailMessage.id == message_id, VoicemailMessage.emailed_at.is_(None),
        VoicemailMessage.email_to.is_not(None), VoicemailMessage.email_next_at <= now,
    ).values(email_next_at=now + LEASE)).rowcount == 1
    db.session.commit()
    return claimed


def _mail_data(message_id: int) -> MessageMail | None:
    row = db.session.execute(
        sa.select(VoicemailMessage, Mailbox.number, Mailbox.name, Account.language, Account.timezone,
                  Extension.language.label("ext_language"))
        .join(Mailbox, Mailbox.id == VoicemailMessage.mailbox_id).join(Account, Account.id == Mailbox.account_id)
        .outerjoin(Extension, Extension.id == Mailbox.extension_id).where(VoicemailMessage.id == message_id)).first()
    if row is None:
        return None
    msg = row[0]
    return MessageMail(msg.id, msg.email_to, row.number, row.name, msg.caller_number, msg.caller_name,
                       msg.created_at, msg.duration_seconds, row.ext_language or row.language, row.timezone,
                       msg.audio_path)


def _deliver(settings, storage: Storage, data: MessageMail) -> str | None:
    """Send; the error text, or None when SMTP accepted the message."""
    audio = storage.read(data.audio_path)
    if audio is None:  # shared folder not mounted yet? keep the row and retry
        return f"audio file not readable: {data.audio_path}"
    try:
        mail.send(settings, email_content.build(settings.mail_from, data, audio))
    except mail.MailError as exc:
        return str(exc)[:255] or "SMTP error"
    return None


def _record_outcome(message_id: int, error: str | None, storage: Storage) -> None:
    message = db.session.get(VoicemailMessage, message_id)
    if message is None:  # deleted meanwhile (box emptied): nothing to record
        return
    if error is None:
        message.emailed_at, message.email_next_at, message.email_error = _now(), None, None
        if message.delete_after_email:
            discard_after_commit(db.session, message.audio_path, storage)
            db.session.delete(message)
    else:
        message.email_attempts += 1
        message.email_error = error
        message.email_next_at = _now() + mail.backoff(message.email_attempts)
        log.warning("voicemail email failed message=%s attempts=%d error=%s", message_id,
                    message.email_attempts, error)
    db.session.commit()


def send_one(app: Flask, message_id: int) -> bool:
    """Try to email one message now if it is due and not being sent elsewhere; True when sent."""
    settings = app.config["PBX"]
    storage = Storage.from_settings(settings)
    with app.app_context():
        if not _claim(message_id):
            return False
        data = _mail_data(message_id)
    if data is None:
        return False
    error = _deliver(settings, storage, data)
    with app.app_context():
        _record_outcome(message_id, error, storage)
    if error is None:
        log.info("voicemail emailed message=%s box=%s", message_id, data.box)
    return error is None


def send_due(app: Flask, limit: int = 50) -> int:
    """One pass over due emails; returns how many were sent."""
    with app.app_context():
        ids = list(db.session.scalars(sa.select(VoicemailMessage.id).where(
            VoicemailMessage.emailed_at.is_(None), VoicemailMessage.email_to.is_not(None),
            VoicemailMessage.email_next_at <= _now()).order_by(VoicemailMessage.email_next_at).limit(limit)))
    return sum(send_one(app, message_id) for message_id in ids)


def send_now(app: Flask, message_id: int) -> gevent.Greenlet:
    """Email a just-deposited message in the background (the caller is still on the line)."""
    greenlet = gevent.spawn(send_one, app, message_id)
    greenlet.link_exception(lambda g: log.error("voicemail email task died error=%r", g.exception))
    return greenlet


def run_email_retry_loop(app: Flask, interval: float = RETRY_INTERVAL_SECONDS) -> None:
    """Forever: send what is due. Run one per server process (see esl_handlers.outbound)."""
    while True:
        try:
            send_due(app)
        except Exception:
            log.exception("voicemail email pass failed")
        gevent.sleep(interval)
