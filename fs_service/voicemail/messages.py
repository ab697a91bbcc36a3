"""Voicemail messages (VM-1, VM-4, VM-5): deposit, listing, save/delete, and their files.

A message row points at the file FreeSWITCH recorded (its own path, see storage.py). Every
change queues the box's lamp (mwi.py); a deleted message's file goes only after the commit.
"""
from __future__ import annotations

import sqlalchemy as sa

from ..audio_storage import discard_after_commit
from ..db import db
from ..errors import NotFound, ValidationFailed
from ..models import Account, Mailbox, VoicemailMessage
from ..models.voicemail import FOLDERS
from . import mailer, mwi

MIN_MESSAGE_SECONDS = 2  # shorter = a caller who hung up at the beep (mod_voicemail uses 3)


def _box_query(mailbox_id: int):
    return mwi.stored(sa.select(VoicemailMessage).where(VoicemailMessage.mailbox_id == mailbox_id))


def stored_count(box: Mailbox) -> int:
    """Messages in the box, the number VM-4 compares with ``max_messages``."""
    return db.session.scalar(mwi.stored(sa.select(sa.func.count()).select_from(VoicemailMessage)
                                        .where(VoicemailMessage.mailbox_id == box.id))) or 0


def is_full(box: Mailbox) -> bool:
    """VM-4: at the limit, callers cannot leave a message. An email-only box keeps nothing."""
    return not box.email_only and stored_count(box) >= box.max_messages


def list_messages(box: Mailbox, folder: str | None = None) -> list[VoicemailMessage]:
    """Oldest first, as they are played by phone."""
    query = _box_query(box.id)
    if folder is not None:
        query = query.where(VoicemailMessage.folder == folder)
    return list(db.session.scalars(query.order_by(VoicemailMessage.created_at, VoicemailMessage.id)))


def get_message(account: Account, message_id: int) -> VoicemailMessage:
    """A message of ``account`` (another tenant's message is "not found")."""
    message = db.session.get(VoicemailMessage, message_id)
    box = db.session.get(Mailbox, message.mailbox_id) if message is not None else None
    if box is None or box.account_id != account.id or message.delete_after_email:
        raise NotFound("message not found")
    return message


def _domain(box: Mailbox) -> str:
    return db.session.scalar(sa.select(Account.sip_domain).where(Account.id == box.account_id))


def record_message(box: Mailbox, fs_path: str, seconds: float, caller_number: str = "",
                   caller_name: str = "") -> VoicemailMessage:
    """Store a deposited message; queue its email (when the box has an address) and the lamp."""
    email_only = bool(box.email_only and box.email)
    message = VoicemailMessage(
        mailbox_id=box.id, folder="new", caller_number=caller_number[:40], caller_name=caller_name[:80],
        duration_seconds=max(int(round(seconds)), 1), audio_path=fs_path, email_to=box.email or None,
        delete_after_email=email_only)
    db.session.add(message)
    db.session.flush()
    if message.email_to:
        mailer.queue_email(message, box.account_id)
    if not email_only:
        mwi.queue(db.session, box, _domain(box))
    return message


def move_message(box: Mailbox, message: VoicemailMessage, folder: str) -> None:
    if folder not in FOLDERS:
        raise ValidationFailed.field("folder", f"must be one of: {', '.join(FOLDERS)}")
    _check_owner(box, message)
    message.folder = folder
    mwi.queue(db.session, box, _domain(box))


def delete_message(box: Mailbox, message: VoicemailMessage) -> None:
    _check_owner(box, message)
    discard_after_commit(db.session, message.audio_path)
    db.session.delete(message)
    mwi.queue(db.session, box, _domain(box))


def delete_all_messages(box: Mailbox, include_in_transit: bool = False) -> int:
    """Every message of the box; returns how many. Messages of an email-only box still waiting
    for SMTP stay (their email still goes out) unless ``include_in_transit`` (box deletion)."""
    query = sa.select(VoicemailMessage).where(VoicemailMessage.mailbox_id == box.id)
    messages = list(db.session.scalars(query if include_in_transit else mwi.stored(query)))
    for message in messages:
        discard_after_commit(db.session, message.audio_path)
        db.session.delete(message)
    mwi.queue(db.session, box, _domain(box))
    return len(messages)


def _check_owner(box: Mailbox, message: VoicemailMessage) -> None:
    if message.mailbox_id != box.id:
        raise NotFound("message not found")
