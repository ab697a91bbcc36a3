"""Extensions and softphones: creation rules, SIP credentials, deletion (EXT-1, EXT-2, DEV-2).

Every change that alters what FreeSWITCH may have cached for a SIP user queues exactly that
user's flush in the outbox; it is sent after the commit.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from .. import outbox
from ..access import owned
from ..accounts.rules import create_user, get_user
from ..db import db
from ..errors import NotFound, ValidationFailed
from ..models import Account, Extension, Mailbox, Softphone, User
from ..numbering import extension_number_problem, suggest

ASSIGN_NEW_USER = "new_user"
ASSIGN_EXISTING_USER = "existing_user"
ASSIGN_ADMIN = "admin"


def new_sip_password() -> str:
    """24 URL-safe characters (~144 bits): strong, and typeable into a phone's web page."""
    return secrets.token_urlsafe(18)


def _new_pin() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def used_numbers(account: Account) -> set[str]:
    ext = db.session.scalars(sa.select(Extension.number).where(Extension.account_id == account.id))
    boxes = db.session.scalars(sa.select(Mailbox.number).where(Mailbox.account_id == account.id))
    return set(ext) | set(boxes)


def suggest_numbers(account: Account, count: int = 5) -> list[str]:
    return suggest(used_numbers(account), count)


@dataclass
class Assignment:
    mode: str = ASSIGN_ADMIN
    user_id: int | None = None
    first_name: str = ""
    last_name: str = ""
    email: str = ""


def _assignee(account: Account, assignment: Assignment, language: str) -> tuple[User | None, bool]:
    if assignment.mode == ASSIGN_NEW_USER:
        user = create_user(account, email=assignment.email, first_name=assignment.first_name,
                           last_name=assignment.last_name, role="user", language=language)
        return user, True
    if assignment.mode == ASSIGN_EXISTING_USER:
        if assignment.user_id is None:
            raise ValidationFailed.field("user_id", "choose the user to assign")
        try:
            return get_user(account, assignment.user_id), False
        except NotFound:
            raise ValidationFailed.field("user_id", "no such user in this account") from None
    return None, False


def create_extension(account: Account, *, number: str | None, voicemail_enabled: bool = True,
                     listed_in_directory: bool = True, caller_id_name: str = "",
                     voicemail_email: str | None = None, language: str | None = None,
                     assignment: Assignment | None = None) -> tuple[Extension, User | None]:
    """Create an extension (and its mailbox, and maybe its user). Returns the new user, if any,
    so the caller can send the welcome email after the commit."""
    number = number or suggest_numbers(account, 1)[0]
    problem = extension_number_problem(number)
    if problem:
        raise ValidationFailed.field("number", problem, error_id="invalid_extension")
    if number in used_numbers(account):
        raise ValidationFailed.field("number", f"invalid extension: {number} is already used",
                                     error_id="invalid_extension")
    language = language or account.language
    user, created = _assignee(account, assignment or Assignment(), language)
    if not caller_id_name and user is not None:
        caller_id_name = user.full_name if user.full_name != user.email else ""
    ext = Extension(account_id=account.id, number=number, user_id=user.id if user else None,
                    sip_password=new_sip_password(), caller_id_name=caller_id_name,
                    voicemail_enabled=voicemail_enabled, listed_in_directory=listed_in_directory,
                    voicemail_email=voicemail_email or (user.email if user else None), language=language)
    db.session.add(ext)
    db.session.flush()
    db.session.add(Mailbox(account_id=account.id, extension_id=ext.id, number=number,
                           name=caller_id_name, pin=_new_pin(), email=ext.voicemail_email))
    # A number that existed before (deleted then re-created) may still be cached by FreeSWITCH.
    outbox.queue(db.session, outbox.FlushDirectoryUser(number, account.sip_domain))
    return ext, (user if created else None)


def list_extensions(account: Account, user: User | None = None) -> list[Extension]:
    query = sa.select(Extension).where(Extension.account_id == account.id)
    if user is not None:
        query = query.where(Extension.user_id == user.id)
    return sorted(db.session.scalars(query), key=lambda e: (len(e.number), e.number))


def get_extension(account: Account, extension_id: int) -> Extension:
    return owned(account, Extension, extension_id, "extension not found")


def _flush_all_sip_users(account: Account, ext: Extension) -> None:
    for name in [ext.number, *(sp.sip_username for sp in ext.softphones)]:
        outbox.queue(db.session, outbox.FlushDirectoryUser(name, account.sip_domain))


def update_extension(account: Account, ext: Extension, changes: dict) -> Extension:
    """Apply validated changes; the directory entry is flushed because its variables may change."""
    for key, value in changes.items():
        if not hasattr(Extension, key) or key in ("id", "account_id", "number", "sip_password"):
            raise ValidationFailed.field(key, "this field cannot be changed")
        setattr(ext, key, value)
    _flush_all_sip_users(account, ext)
    return ext


def regenerate_sip_password(account: Account, ext: Extension) -> str:
    ext.sip_password = new_sip_password()
    outbox.queue(db.session, outbox.FlushDirectoryUser(ext.number, account.sip_domain))
    return ext.sip_password


def delete_extension(account: Account, ext: Extension) -> None:
    _flush_all_sip_users(account, ext)
    db.session.delete(ext)


def create_softphone(account: Account, ext: Extension, label: str = "") -> Softphone:
    """A separate SIP account ``<extension>-<n>``; the dash keeps it out of the digit-only
    extension namespace, so it can never collide with an extension number."""
    taken = set(db.session.scalars(sa.select(Softphone.sip_username).where(
        Softphone.account_id == account.id)))
    n = 1
    while f"{ext.number}-{n}" in taken:
        n += 1
    phone = Softphone(account_id=account.id, extension_id=ext.id, sip_username=f"{ext.number}-{n}",
                      sip_password=new_sip_password(), label=label)
    db.session.add(phone)
    db.session.flush()
    outbox.queue(db.session, outbox.FlushDirectoryUser(phone.sip_username, account.sip_domain))
    return phone


def get_softphone(account: Account, ext: Extension, softphone_id: int) -> Softphone:
    phone = db.session.get(Softphone, softphone_id)
    if phone is None or phone.account_id != account.id or phone.extension_id != ext.id:
        raise NotFound("softphone not found")
    return phone


def regenerate_softphone_password(account: Account, phone: Softphone) -> str:
    phone.sip_password = new_sip_password()
    outbox.queue(db.session, outbox.FlushDirectoryUser(phone.sip_username, account.sip_domain))
    return phone.sip_password


def update_softphone(account: Account, phone: Softphone, label: str) -> Softphone:
    phone.label = label
    return phone


def delete_softphone(account: Account, phone: Softphone) -> None:
    outbox.queue(db.session, outbox.FlushDirectoryUser(phone.sip_username, account.sip_domain))
    db.session.delete(phone)
