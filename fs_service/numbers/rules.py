"""Company numbers (DIDs): assignment by the operator, settings, closure message (HRS-4).

Numbers are North American (NANP) and stored in E.164: ``+1NXXNXXXXXX``. The carrier may
send the dialed number as 10 digits, 11 digits or E.164; :func:`fs_service.numbering.nanp_e164` reads all three.

Closure message (HRS-4): each number gets an access code (unique in its account) and a
password. Calling 8400 from a phone of the account, or typing 8400 during the number's
welcome menu, hands the call to the recording service, which checks them
(:func:`check_closure_credentials`) and stores the recording with
:func:`record_closure_message`: less than :data:`MIN_SPEECH_SECONDS` of speech ("a short
silence", guide 5) disables the message. The UI can also upload, replace or delete it.
"""
from __future__ import annotations

import hmac
import secrets
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from .. import outbox
from ..access import owned
from ..db import db
from ..errors import NotFound, ValidationFailed
from ..fax import rights as fax_rights
from ..models import Account, Extension, PhoneNumber, Softphone, User
from ..models.numbers import new_token
from ..numbering import nanp_e164
from ..sound_files import sound_problem
from . import sound_uploads
from .treatments import owned_treatment_id

MIN_SPEECH_SECONDS = 1.0
EDITABLE = ("label", "timezone", "open_treatment_id", "closed_treatment_id")


def timezone_problem(name: str | None) -> str | None:
    try:
        ZoneInfo(name or "")
        return None
    except (ValueError, KeyError, OSError):
        return "unknown time zone: use an IANA name such as America/Toronto"


def _unique_code(account: Account) -> str:
    taken = set(db.session.scalars(sa.select(PhoneNumber.closure_code).where(PhoneNumber.account_id == account.id)))
    while (code := f"{secrets.randbelow(10**6):06d}") in taken:
        pass
    return code


def create_number(account: Account, e164: str, *, label: str = "", timezone: str | None = None,
                  is_fax: bool = False) -> PhoneNumber:
    """The operator assigns a number to an account (it must be free everywhere)."""
    normalised = nanp_e164(e164)
    if normalised is None:
        raise ValidationFailed.field("e164", "not a North American number: +1 then 10 digits (e.g. +15145550100)")
    if db.session.scalar(sa.select(PhoneNumber.id).where(PhoneNumber.e164 == normalised)) is not None:
        raise ValidationFailed.field("e164", f"{normalised} is already assigned", error_id="number_taken")
    timezone = timezone or account.timezone
    if problem := timezone_problem(timezone):
        raise ValidationFailed.field("timezone", problem)
    number = PhoneNumber(account_id=account.id, e164=normalised, label=label, timezone=timezone, is_fax=is_fax,
                         closure_code=_unique_code(account), closure_password=f"{secrets.randbelow(10**6):06d}")
    db.session.add(number)
    db.session.flush()
    return number


def list_numbers(account: Account) -> list[PhoneNumber]:
    return list(db.session.scalars(sa.select(PhoneNumber).where(PhoneNumber.account_id == account.id)
                                   .order_by(PhoneNumber.e164)))


def get_number(account: Account, number_id: int) -> PhoneNumber:
    return owned(account, PhoneNumber, number_id, "number not found")


def find_number(text: str) -> PhoneNumber | None:
    """Any account's number, for the operator (and the inbound call's lookup)."""
    e164 = nanp_e164(text)
    return db.session.scalar(sa.select(PhoneNumber).where(PhoneNumber.e164 == e164)) if e164 else None


def bump_rules(number: PhoneNumber) -> None:
    """Every process recompiles this number's rules on its next call (saved = live)."""
    number.rules_token = new_token()


def update_number(account: Account, number: PhoneNumber, changes: dict, actor: User | None = None) -> PhoneNumber:
    """The fax fields (is_fax, fax_confirmation_email, fax_inbound_emails) go through the fax
    rule (fs_service.fax.rights.update_fax_number: who acts decides), the others are the admin's."""
    fax_changes = {key: changes[key] for key in fax_rights.FIELDS if key in changes}
    if fax_changes:
        fax_rights.update_fax_number(actor, account, number, fax_changes)
    for key, value in changes.items():
        if key in fax_changes:
            continue
        if key not in EDITABLE:
            raise ValidationFailed.field(key, "this field cannot be changed")
        if key == "timezone" and (problem := timezone_problem(value)):
            raise ValidationFailed.field("timezone", problem)
        if key.endswith("_treatment_id"):
            value = owned_treatment_id(account, value, key)
        setattr(number, key, value)
    bump_rules(number)
    return number


def delete_number(account: Account, number: PhoneNumber) -> None:
    """Its schedule and exceptions go with it; extensions showing it as caller ID stop doing so
    (the database clears the reference; their cached directory entries are flushed)."""
    users = db.session.execute(sa.select(Extension.number, Softphone.sip_username).outerjoin(
        Softphone, Softphone.extension_id == Extension.id).where(Extension.outbound_caller_id_number_id == number.id))
    for name in {n for row in users for n in row if n}:
        outbox.queue(db.session, outbox.FlushDirectoryUser(name, account.sip_domain))
    sound_uploads.release(account, sound_uploads.number_owner(number), number.closure_message_path)
    db.session.delete(number)


def regenerate_closure_credentials(account: Account, number: PhoneNumber) -> tuple[str, str]:
    number.closure_code = _unique_code(account)
    number.closure_password = f"{secrets.randbelow(10**6):06d}"
    return number.closure_code, number.closure_password


def set_closure_message(account: Account, number: PhoneNumber, path: str | None) -> PhoneNumber:
    """Upload or replace (a path) or delete (None) the exceptional closure message."""
    if path is not None and (problem := sound_problem(account.sip_domain, path)):
        raise ValidationFailed.field("closure_message_path", problem)
    owner = sound_uploads.number_owner(number)
    sound_uploads.release(account, owner, number.closure_message_path, path)  # our old file, after the commit
    number.closure_message_path = path
    return number


def clear_closure_message(account: Account, number: PhoneNumber) -> PhoneNumber:
    return set_closure_message(account, number, None)


def record_closure_message(account: Account, number: PhoneNumber, path: str, speech_seconds: float) -> bool:
    """Called by the recording service after a by-phone recording; True when the message is
    now active, False when it was "a short silence" and the message is disabled."""
    if number.account_id != account.id:
        raise NotFound("number not found")
    if speech_seconds < MIN_SPEECH_SECONDS:
        set_closure_message(account, number, None)
        return False
    set_closure_message(account, number, path)
    return True


def check_closure_credentials(account: Account, code: str, password: str,
                              number_id: int | None = None) -> PhoneNumber | None:
    """The number whose closure message this code + password unlock (within ``account``; and
    exactly ``number_id`` when the caller came through that number's menu)."""
    query = sa.select(PhoneNumber).where(PhoneNumber.account_id == account.id, PhoneNumber.closure_code == code)
    number = db.session.scalar(query) if code else None
    if number is None or (number_id is not None and number.id != number_id) or not number.closure_password:
        return None
    if not hmac.compare_digest(number.closure_password.encode(), (password or "").encode()):
        return None
    return number


def upload_closure_message(account: Account, number: PhoneNumber, data: bytes,
                           field: str = "file") -> PhoneNumber:
    """Store the uploaded WAV as the number's closure message (it plays from the next call)."""
    if number.account_id != account.id:
        raise NotFound("number not found")
    path = sound_uploads.store_upload(account, sound_uploads.number_owner(number), "closure", data, field)
    return set_closure_message(account, number, path)
