"""Live extension status (STAT-1, STAT-2): Available / In call / Disconnected.

Computed on read from the rows the ESL listener keeps (registrations, channels), so every web
worker sees the same answer. Event mapping is in status_events.py, batched writes and node
up/down in status_store.py, resync snapshots in status_resync.py; this module is what the
web asks.

A SIP user maps to an extension by number, or through the softphones table (softphone SIP
users are "<ext>-<n>", DEV-2). A registration counts until its ``expires_at``, so a phone that
vanished without unregistering turns disconnected by itself.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from .db import db, utcnow
from .errors import ValidationFailed
from .models import Account, ActiveChannel, Extension, Registration, Softphone, User
from .models._columns import as_utc
from .status_events import BUSY_STATES

AVAILABLE, IN_CALL, DISCONNECTED = "available", "in_call", "disconnected"
STATES = (AVAILABLE, IN_CALL, DISCONNECTED)
SORTS = ("number", "name")


@dataclass(frozen=True)
class ExtensionState:
    extension_id: int
    number: str
    name: str
    state: str
    registrations: int
    active_calls: int


def _sip_users(account: Account) -> dict[str, str]:
    """SIP user name -> extension number, for the extension's own user and its softphones."""
    numbers = dict(db.session.execute(sa.select(Extension.id, Extension.number)
                                      .where(Extension.account_id == account.id)).all())
    owners = {number: number for number in numbers.values()}
    for username, ext_id in db.session.execute(
            sa.select(Softphone.sip_username, Softphone.extension_id)
            .where(Softphone.account_id == account.id)):
        if ext_id in numbers:
            owners[username] = numbers[ext_id]
    return owners


def _per_extension(rows, owners: dict[str, str]) -> Counter:
    counts: Counter = Counter()
    for sip_user, count in rows:
        if sip_user in owners:
            counts[owners[sip_user]] += count
    return counts


def registered_users(account: Account, now: datetime | None = None) -> Counter:
    """Live registrations per SIP user of the account (expired ones excluded)."""
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(Registration.sip_user, sa.func.count(Registration.id))
        .where(Registration.sip_domain == account.sip_domain,
               sa.or_(Registration.expires_at.is_(None), Registration.expires_at > now))
        .group_by(Registration.sip_user))
    return Counter(dict(rows.all()))


def next_expiry(account: Account, now: datetime | None = None) -> datetime | None:
    """When the first of the account's live registrations expires (its phone then shows
    disconnected with no event at all), or None."""
    now = now or utcnow()
    return as_utc(db.session.scalar(sa.select(sa.func.min(Registration.expires_at))
                                    .where(Registration.sip_domain == account.sip_domain,
                                           Registration.expires_at > now)))


def _busy_channels(account: Account):
    return db.session.execute(
        sa.select(ActiveChannel.sip_user, sa.func.count(ActiveChannel.uuid))
        .where(ActiveChannel.sip_domain == account.sip_domain,
               ActiveChannel.state.in_(sorted(BUSY_STATES)))
        .group_by(ActiveChannel.sip_user)).all()


def _state_of(registrations: int, calls: int) -> str:
    if calls:
        return IN_CALL
    return AVAILABLE if registrations else DISCONNECTED


def _sort_key(sort: str):
    by_number = lambda s: (len(s.number), s.number)  # noqa: E731 - "99" before "100"
    if sort == "name":
        return lambda s: (s.name.casefold() or "\uffff", *by_number(s))
    return by_number


def extension_states(account: Account, *, state: str | None = None, search: str = "",
                     sort: str = "number", now: datetime | None = None) -> list[ExtensionState]:
    """Every extension of the account with its live state, filtered, searched and sorted.

    ``search`` matches the number or the name, case-insensitively; ``state`` is one of STATES.
    """
    if state is not None and state not in STATES:
        raise ValidationFailed.field("state", f"must be one of {', '.join(STATES)}")
    if sort not in SORTS:
        raise ValidationFailed.field("sort", f"must be one of {', '.join(SORTS)}")
    owners = _sip_users(account)
    regs = _per_extension(registered_users(account, now).items(), owners)
    calls = _per_extension(_busy_channels(account), owners)
    rows = db.session.execute(
        sa.select(Extension.id, Extension.number, Extension.caller_id_name, User.first_name,
                  User.last_name)
        .outerjoin(User, User.id == Extension.user_id).where(Extension.account_id == account.id))
    needle = search.strip().casefold()
    result = []
    for ext_id, number, cid_name, first, last in rows:
        name = cid_name or f"{first or ''} {last or ''}".strip()
        item = ExtensionState(ext_id, number, name, _state_of(regs[number], calls[number]),
                              regs[number], calls[number])
        if state and item.state != state:
            continue
        if needle and needle not in number.casefold() and needle not in name.casefold():
            continue
        result.append(item)
    return sorted(result, key=_sort_key(sort))
