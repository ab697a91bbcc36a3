"""Voicemail email delivery through the common queue (fs_service/mail_queue.py).

A deposit to a box with an address owes one ``voicemail`` delivery, written in the same
transaction as the message row (messages.record_message), so nothing is lost while SMTP is
down. At each try the email is built from the message as it is then: the recording is read
from the shared folder (not readable yet, e.g. the folder not mounted: tried again later) and
the text is in the box's language and time zone. Email-only boxes keep nothing once the email
is accepted: the row and the file go then, and only then. A message deleted meanwhile (box
emptied) drops its email.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

import sqlalchemy as sa

from .. import mail, mail_queue
from ..audio_storage import Storage, discard_after_commit
from ..db import AppScope, db
from ..models import Account, Extension, Mailbox, MailDelivery, VoicemailMessage
from ..settings import current as current_settings
from . import email_content
from .email_content import MessageMail

log = logging.getLogger("pbx.voicemail.mail")
KIND = "voicemail"


def queue_email(message: VoicemailMessage, account_id: int) -> None:
    """Owe the deposit's email (in the deposit's transaction)."""
    mail_queue.enqueue(KIND, message.email_to, account_id=account_id, source_id=message.id)


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


def mail_kind(app: AppScope) -> mail_queue.MailKind:
    """The ``voicemail`` kind for the sender loop of ``app``."""
    with app.app_context():
        settings = current_settings()
    storage = Storage.from_settings(settings)

    def build(delivery: MailDelivery):
        data = _mail_data(delivery.source_id)
        if data is None:  # deleted meanwhile: nothing to send
            return None
        audio = storage.read(data.audio_path)
        if audio is None:  # shared folder not mounted yet? keep the email and retry
            raise mail.MailError(f"audio file not readable: {data.audio_path}")
        return email_content.build(settings.mail_from, data, audio)

    def sent(delivery: MailDelivery) -> None:
        message = db.session.get(VoicemailMessage, delivery.source_id)
        if message is None:
            return
        message.emailed_at = datetime.now(timezone.utc)
        if message.delete_after_email:
            discard_after_commit(db.session, message.audio_path, storage)
            db.session.delete(message)
        log.info("voicemail emailed message=%s delivery=%s", message.id, delivery.id)

    return mail_queue.MailKind(build, sent)
