"""Reboot a phone (guide 7.5): the switch sends a ``check-sync`` NOTIFY to the phone's
registrations, and the phone fetches its configuration again and restarts.

The command goes through the outbox (``sofia profile internal check_sync <user>@<domain>``
for each extension on the phone, built by the ESL door), after the commit. If one of those
extensions is in a call, nothing is sent: the phone is marked ``reboot_pending`` and the
status batch that ends the last of its calls sends it (:func:`release_after_calls`, called
by fs_service.status.store). A phone in a call is never cut off.
"""
from __future__ import annotations

import logging
from typing import Iterable

import sqlalchemy as sa

from .. import outbox
from ..db import db
from ..models import Account, ActiveChannel, Device, DeviceLine, Extension

log = logging.getLogger("pbx.phones.reboot")
_ANY_WAITING = sa.select(Device.__table__.c.id).where(Device.__table__.c.reboot_pending.is_(True)).limit(1)


def _users(device_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    """(extension number, SIP domain) of each phone's lines, by phone id."""
    rows = db.session.execute(sa.select(DeviceLine.device_id, Extension.number, Account.sip_domain)
                              .join(Extension, Extension.id == DeviceLine.extension_id)
                              .join(Account, Account.id == Extension.account_id)
                              .where(DeviceLine.device_id.in_(list(device_ids)))
                              .order_by(DeviceLine.line_key))
    found: dict[int, list[tuple[str, str]]] = {}
    for device_id, number, domain in rows:
        found.setdefault(device_id, []).append((number, domain))
    return found


def _in_call(users: list[tuple[str, str]]) -> bool:
    if not users:
        return False
    match = sa.or_(*(sa.and_(ActiveChannel.sip_user == user, ActiveChannel.sip_domain == domain)
                     for user, domain in users))
    return db.session.scalar(sa.select(ActiveChannel.uuid).where(match).limit(1)) is not None


def _send(device: Device, users: list[tuple[str, str]]) -> None:
    for user, domain in users:
        outbox.queue(db.session, outbox.CheckSync(user, domain))
    device.reboot_pending = False
    log.info("phone reboot sent device=%d lines=%d", device.id, len(users))


def request_reboot(device: Device) -> bool:
    """Reboot now (True) or after the current call (False). A phone on no extension has no
    registration to notify: nothing is sent (True)."""
    users = _users([device.id]).get(device.id, [])
    if _in_call(users):
        device.reboot_pending = True
        log.info("phone reboot waits for the call to end device=%d", device.id)
        return False
    _send(device, users)
    return True


def release_after_calls(domains: Iterable[str | None]) -> int:
    """Send the reboots that waited, for phones of these SIP domains now out of every call.
    Called in the status batch's transaction: the commands leave after its commit."""
    wanted = sorted({d for d in domains if d})
    # Nearly every batch finds no phone waiting: one index probe says so before any join.
    if not wanted or db.session.execute(_ANY_WAITING).first() is None:
        return 0
    waiting = list(db.session.scalars(
        sa.select(Device).join(Account, Account.id == Device.account_id)
        .where(Device.reboot_pending.is_(True), Account.sip_domain.in_(wanted))))
    users, sent = _users(d.id for d in waiting) if waiting else {}, 0
    for device in waiting:
        if not _in_call(users.get(device.id, [])):
            _send(device, users.get(device.id, []))
            sent += 1
    return sent
