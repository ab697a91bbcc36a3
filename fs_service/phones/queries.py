"""Reads of the phones, and who may open which one.

Admins manage every phone of their account. A user may open, order the display list of and
reboot only a phone carrying one of their own extensions (guide 7.5 is in the users' "Tools");
any other phone is *not found* for them, like another account's.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..access import is_admin_of
from ..db import db
from ..errors import NotFound
from ..models import Account, Device, DeviceLine, Extension, User
from .models import model_of
from .rules import get_phone


@dataclass(frozen=True)
class LineView:
    id: int
    line_key: int
    extension_id: int
    number: str


def list_phones(account: Account) -> list[Device]:
    return list(db.session.scalars(sa.select(Device).where(Device.account_id == account.id)
                                   .order_by(Device.name, Device.id)))


def _user_phone_ids(actor: User, account: Account) -> sa.Select:
    return (sa.select(DeviceLine.device_id).join(Extension, Extension.id == DeviceLine.extension_id)
            .where(Extension.account_id == account.id, Extension.user_id == actor.id))


def phones_for(actor: User, account: Account) -> list[Device]:
    """The phones ``actor`` may manage the display list of."""
    if is_admin_of(actor, account):
        return list_phones(account)
    return list(db.session.scalars(sa.select(Device).where(Device.id.in_(_user_phone_ids(actor, account)))
                                   .order_by(Device.name, Device.id)))


def phone_for(actor: User, account: Account, device_id: int) -> Device:
    device = get_phone(account, device_id)
    if not is_admin_of(actor, account) and device.id not in set(db.session.scalars(_user_phone_ids(actor, account))):
        raise NotFound("phone not found")
    return device


def line_views(device: Device) -> list[LineView]:
    rows = db.session.execute(sa.select(DeviceLine.id, DeviceLine.line_key, Extension.id, Extension.number)
                              .join(Extension, Extension.id == DeviceLine.extension_id)
                              .where(DeviceLine.device_id == device.id).order_by(DeviceLine.line_key))
    return [LineView(*row) for row in rows]


def free_keys(device: Device) -> list[int]:
    """The keys no SIP line uses, in order: where favourites (BLF) go."""
    model = model_of(device.model)
    used = {line.line_key for line in line_views(device)}
    return [key for key in range(1, (model.line_keys if model else 0) + 1) if key not in used]
