"""Fax numbers and who may fax (FAX-1), with the per-number email settings (FAX-6, FAX-7).

Who decides what, as the guide has it (6.1, 6.4 "Attention!", the NB):
- the **operator** makes a number of the account a fax number (it changes how calls to it are
  answered) and turns its "send email confirmation" on (the guide: "notre équipe technique a
  activé l'option");
- the **account admin** grants or withdraws the fax right of each user (admins included: the
  right is explicit for everyone) and lists who receives the faxes arriving on each number.
Objects of another account are "not found", as everywhere (fs_service.access).

:func:`update_fax_number` is the **one** rule for the three fax fields of a number, whichever
door is used: the fax settings (web/ui/fax_admin.py, ``PATCH …/fax/numbers/<id>``) and the
numbers API (``PATCH …/numbers/<id>``, through fs_service.numbers.rules.update_number) both call
it, so an admin is refused ``is_fax`` / ``fax_confirmation_email`` the same way (403 naming
the field) and the recipients are checked the same way everywhere.
"""
from __future__ import annotations

import re

import sqlalchemy as sa

from ..access import is_admin_of, is_operator, owned
from ..db import db
from ..errors import Forbidden, NotFound, ValidationFailed
from ..models import Account, PhoneNumber, User

MAX_RECIPIENTS = 10
_EMAIL = re.compile(r"[^@\s,;]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?\.[A-Za-z]{2,63}")
_SEPARATORS = re.compile(r"[\s,;]+")
OPERATOR_FIELDS = ("is_fax", "fax_confirmation_email")
ADMIN_FIELDS = ("fax_inbound_emails",)
FIELDS = OPERATOR_FIELDS + ADMIN_FIELDS


def fax_numbers(account: Account) -> list[PhoneNumber]:
    return list(db.session.scalars(sa.select(PhoneNumber).where(
        PhoneNumber.account_id == account.id, PhoneNumber.is_fax.is_(True)).order_by(PhoneNumber.e164)))


def account_numbers(account: Account) -> list[PhoneNumber]:
    return list(db.session.scalars(sa.select(PhoneNumber).where(PhoneNumber.account_id == account.id)
                                   .order_by(PhoneNumber.e164)))


def can_send(user: User, account: Account) -> bool:
    return bool(user.can_fax) and user.account_id == account.id


def require_sender(user: User, account: Account) -> None:
    if not can_send(user, account):
        raise Forbidden("you do not have the right to send faxes; ask your account administrator",
                        error_id="fax_not_allowed")


def can_read_all(user: User, account: Account) -> bool:
    """Admins see every fax of the account; a user sees the faxes they sent."""
    return is_admin_of(user, account)


def sender_number(account: Account, number_id: int | None) -> PhoneNumber:
    """The "sender fax" (FAX-3): one of the account's fax numbers."""
    number = db.session.get(PhoneNumber, number_id) if number_id else None
    if number is None or number.account_id != account.id or not number.is_fax:
        raise ValidationFailed.field("sender_number_id", "choose one of the account's fax numbers")
    return number


def phone_number(account: Account, number_id: int | None) -> PhoneNumber:
    """The "sender phone" (FAX-3): any number of the account."""
    number = db.session.get(PhoneNumber, number_id) if number_id else None
    if number is None or number.account_id != account.id:
        raise ValidationFailed.field("sender_phone_id", "choose one of the account's numbers")
    return number


def set_fax_right(actor: User, account: Account, user_id: int, allowed: bool) -> User:
    """The admin grants or withdraws a user's fax right."""
    if not is_admin_of(actor, account):
        raise Forbidden("this action is reserved to the account administrators")
    user = owned(account, User, user_id, "user not found")
    user.can_fax = bool(allowed)
    return user


def parse_recipients(text: str | None) -> list[str]:
    """Emails separated by commas, semicolons, spaces or lines; each checked, duplicates dropped."""
    found = [item for item in _SEPARATORS.split(text or "") if item]
    bad = [item for item in found if not _EMAIL.fullmatch(item)]
    if bad:
        raise ValidationFailed.field("fax_inbound_emails", f"not a valid email address: {bad[0]}")
    unique = list(dict.fromkeys(item.lower() for item in found))
    if len(unique) > MAX_RECIPIENTS:
        raise ValidationFailed.field("fax_inbound_emails", f"at most {MAX_RECIPIENTS} addresses")
    return unique


def update_fax_number(actor: User | None, account: Account, number: PhoneNumber, changes: dict) -> PhoneNumber:
    """Operator: ``is_fax``, ``fax_confirmation_email``; admins: ``fax_inbound_emails``.

    Every key is checked before anything changes; a refusal names the field (403
    ``fax_setting_reserved`` for the operator's fields). No actor (a caller that did not say
    who acts) is nobody: refused."""
    if number.account_id != account.id:
        raise NotFound("number not found")
    for key in changes:
        _check_may_change(actor, account, key)
    for key, value in changes.items():
        if key == "fax_inbound_emails":
            value = ", ".join(parse_recipients(value))
        setattr(number, key, value)  # is_fax is read live by every inbound call: no cache to renew
    return number


def _check_may_change(actor: User | None, account: Account, key: str) -> None:
    if key not in FIELDS:
        raise ValidationFailed.field(key, "this field cannot be changed")
    if key in OPERATOR_FIELDS and (actor is None or not is_operator(actor)):
        raise Forbidden(f"{key}: this setting is reserved to the operator", {key: ["reserved to the operator"]},
                        error_id="fax_setting_reserved")
    if key in ADMIN_FIELDS and (actor is None or not is_admin_of(actor, account)):
        raise Forbidden(f"{key}: this action is reserved to the account administrators",
                        {key: ["reserved to the account administrators"]})
