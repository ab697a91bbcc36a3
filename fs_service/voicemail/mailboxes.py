"""Mailboxes (VM-3, VM-4, VM-5): attached to an extension or standalone ("general mailbox 3000").

Standalone boxes share the extensions' number namespace (numbering.py rules, used_numbers),
so a box number is never also an extension or a feature code. Rules that need the database
live here; the schema (schema/voicemail.py) checks shapes. Every change that affects a phone
lamp queues the MWI state; every deleted file goes only after the commit.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..access import owned
from ..audio_storage import discard_after_commit
from ..db import db
from ..errors import NotFound, ValidationFailed
from ..extensions import rules as ext_core
from ..models import Account, Extension, Greeting, Mailbox, Treatment, VoicemailMessage
from ..numbering import extension_number_problem
from . import greetings, messages, mwi

DEFAULT_MAX_SECONDS = 180
DEFAULT_MAX_MESSAGES = 100
MAX_MESSAGES_LIMIT = 100  # the guide: "La limite de stockage est de 100 messages par boîte vocale"
MAX_SECONDS_LIMIT = 600
EDITABLE = ("name", "pin", "max_message_seconds", "max_messages", "email", "email_only",
            "key0_treatment_id", "star_treatment_id")


@dataclass(frozen=True)
class MailboxUsage:
    """What the list shows: "N messages / max" (VM-4)."""
    mailbox: Mailbox
    messages: int
    new: int

    @property
    def full(self) -> bool:
        return not self.mailbox.email_only and self.messages >= self.mailbox.max_messages


def new_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def list_mailboxes(account: Account) -> list[MailboxUsage]:
    boxes = db.session.scalars(sa.select(Mailbox).where(Mailbox.account_id == account.id))
    usage = []
    for box in sorted(boxes, key=lambda b: (len(b.number), b.number)):
        counts = mwi.counts_for(box.id)
        usage.append(MailboxUsage(box, counts.new + counts.saved, counts.new))
    return usage


def get_mailbox(account: Account, mailbox_id: int) -> Mailbox:
    return owned(account, Mailbox, mailbox_id, "mailbox not found")


def find_mailbox(account: Account, number: str) -> Mailbox | None:
    return db.session.scalar(sa.select(Mailbox).where(Mailbox.account_id == account.id,
                                                      Mailbox.number == number))


def mailbox_of_extension(extension: Extension) -> Mailbox | None:
    return db.session.scalar(sa.select(Mailbox).where(Mailbox.extension_id == extension.id))


def _check_number(account: Account, number: str, extension: Extension | None) -> None:
    if extension is not None:
        if extension.account_id != account.id:
            raise ValidationFailed.field("extension_id", "no such extension in this account")
        if number != extension.number:
            raise ValidationFailed.field("number", "a mailbox attached to an extension has its number")
        if mailbox_of_extension(extension) is not None:
            raise ValidationFailed.field("extension_id", "this extension already has a mailbox")
        return
    problem = extension_number_problem(number)
    if problem:
        raise ValidationFailed.field("number", problem.replace("extension", "mailbox number"),
                                     error_id="invalid_mailbox")
    if number in ext_core.used_numbers(account):
        raise ValidationFailed.field("number", f"{number} is already used", error_id="invalid_mailbox")


def _check_rules(account: Account, values: dict) -> None:
    if values.get("email_only") and not values.get("email"):
        raise ValidationFailed.field("email_only", "an email address is required to keep messages "
                                     "off the server", error_id="email_required")
    if not 1 <= values["max_messages"] <= MAX_MESSAGES_LIMIT:
        raise ValidationFailed.field("max_messages", f"must be between 1 and {MAX_MESSAGES_LIMIT}")
    if not 10 <= values["max_message_seconds"] <= MAX_SECONDS_LIMIT:
        raise ValidationFailed.field("max_message_seconds", f"must be between 10 and {MAX_SECONDS_LIMIT}")
    pin = values.get("pin") or ""
    if not (pin.isdigit() and 4 <= len(pin) <= 10):
        raise ValidationFailed.field("pin", "use 4 to 10 digits")
    for key in ("key0_treatment_id", "star_treatment_id"):
        treatment_id = values.get(key)
        if treatment_id is not None:
            treatment = db.session.get(Treatment, treatment_id)
            if treatment is None or treatment.account_id != account.id:
                raise ValidationFailed.field(key, "no such call treatment in this account")


def create_mailbox(account: Account, *, number: str, name: str = "", pin: str | None = None,
                   max_message_seconds: int = DEFAULT_MAX_SECONDS, max_messages: int = DEFAULT_MAX_MESSAGES,
                   email: str | None = None, email_only: bool = False, key0_treatment_id: int | None = None,
                   star_treatment_id: int | None = None, extension_id: int | None = None) -> Mailbox:
    """A standalone box, or the box of an extension that has none (``extension_id``).
    Treatments left empty mean the defaults: key 0 → the account's reception, * → login."""
    extension = db.session.get(Extension, extension_id) if extension_id is not None else None
    if extension_id is not None and extension is None:
        raise ValidationFailed.field("extension_id", "no such extension in this account")
    _check_number(account, number, extension)
    values = dict(name=name, pin=pin or new_pin(), max_message_seconds=max_message_seconds,
                  max_messages=max_messages, email=email or None, email_only=email_only,
                  key0_treatment_id=key0_treatment_id, star_treatment_id=star_treatment_id)
    _check_rules(account, values)
    box = Mailbox(account_id=account.id, number=number, extension_id=extension_id, **values)
    db.session.add(box)
    db.session.flush()
    return box


def update_mailbox(account: Account, box: Mailbox, changes: dict) -> Mailbox:
    """Apply validated changes (number and extension are fixed: files and phones refer to them)."""
    unknown = [key for key in changes if key not in EDITABLE]
    if unknown:
        raise ValidationFailed.field(unknown[0], "this field cannot be changed")
    values = {key: getattr(box, key) for key in EDITABLE}
    values.update(changes)
    if "email" in changes:
        values["email"] = changes["email"] or None
    _check_rules(account, values)
    for key, value in values.items():
        setattr(box, key, value)
    if "pin" in changes:
        box.failed_logins, box.locked_until = 0, None
    if "email" in changes and box.extension is not None:
        # The extension pages show Extension.voicemail_email; keep both in step (see extension_settings).
        box.extension.voicemail_email = box.email
    return box


def empty_mailbox(account: Account, box: Mailbox, delete_greetings: bool = False) -> int:
    """VM-5: delete every message (and, when asked, every custom greeting); the lamp goes off."""
    if box.account_id != account.id:
        raise NotFound("mailbox not found")
    removed = messages.delete_all_messages(box)
    if delete_greetings:
        greetings.remove_all_greetings(box)
    return removed


def delete_mailbox(account: Account, box: Mailbox) -> None:
    """VM-5: the box, its messages (even those waiting for their email), greetings and files.
    An extension whose box is deleted simply has no voicemail until a box is created again."""
    if box.account_id != account.id:
        raise NotFound("mailbox not found")
    db.session.delete(box)  # rows go by ON DELETE CASCADE; files and lamp: _forget_deleted_boxes


@event.listens_for(Session, "before_flush")
def _forget_deleted_boxes(session: Session, flush_context, instances) -> None:
    """However a box goes (delete_mailbox, or its extension deleted), its files are removed after
    the commit and its lamp turned off: the rows themselves go by ON DELETE CASCADE."""
    boxes = {obj.id: obj for obj in session.deleted if isinstance(obj, Mailbox)}
    gone_extensions = [obj.id for obj in session.deleted if isinstance(obj, Extension)]
    if gone_extensions:  # their box goes by ON DELETE CASCADE, unseen by the ORM
        boxes.update({b.id: b for b in session.scalars(sa.select(Mailbox).where(
            Mailbox.extension_id.in_(gone_extensions)))})
    for box in boxes.values():
        paths = [*session.scalars(sa.select(VoicemailMessage.audio_path).where(VoicemailMessage.mailbox_id == box.id)),
                 *session.scalars(sa.select(Greeting.audio_path).where(Greeting.mailbox_id == box.id))]
        for path in paths:
            discard_after_commit(session, path)
        domain = session.scalar(sa.select(Account.sip_domain).where(Account.id == box.account_id))
        if domain:
            mwi.queue(session, box, domain)
