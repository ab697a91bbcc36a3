"""Click-to-call (STAT-3): ring the user's own phone first, then place the call.

The core decides and returns the call as data (an OriginateRequest); the ESL facade turns it
into ``bgapi originate {vars}user/100@acme.test 101 XML acme.test``. Once the user answers,
the leg is sent into the account's dialplan context with the target number, exactly as if the
user had dialled it, so the callee's settings (forwarding, DND, voicemail...) apply.

Caller ID: while the user's phone rings it shows the *target* (``origination_caller_id_*``),
so the user knows which click is calling back; the target sees the *user*
(``effective_caller_id_*``, copied onto the legs the dialplan creates). The dialplan therefore
sees the target's number as Caller-ID of this leg; ``click_to_call_from`` tells it who really
calls (for the call-plan engine).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..db import db, utcnow
from ..errors import Conflict, NotFound, ValidationFailed
from ..models import Account, Extension, Registration, Softphone, User

DEFAULT_RING_SECONDS = 30


@dataclass(frozen=True)
class OriginateRequest:
    node: str  # where the user's phone is registered: the originate must run there
    domain: str
    ring_users: tuple[str, ...]  # the user's registered SIP users, rung together
    destination: str  # the target's number, routed by the account's dialplan
    context: str  # the account's dialplan context (its SIP domain)
    display_name: str  # shown on the user's phone while it rings: the target
    display_number: str
    caller_name: str  # shown to the target: the user
    caller_number: str
    from_extension: str
    ring_seconds: int = DEFAULT_RING_SECONDS


def _display_name(ext: Extension) -> str:
    if ext.caller_id_name:
        return ext.caller_id_name
    user = db.session.get(User, ext.user_id) if ext.user_id else None
    return (user.full_name if user and user.full_name != user.email else "") or ext.number


def _live_registrations(account: Account, ext: Extension, now: datetime) -> list[tuple[str, str]]:
    """(SIP user, node) of the extension's phones and softphones registered right now."""
    users = [ext.number, *db.session.scalars(
        sa.select(Softphone.sip_username).where(Softphone.extension_id == ext.id))]
    rows = db.session.execute(
        sa.select(Registration.sip_user, Registration.node)
        .where(Registration.sip_domain == account.sip_domain, Registration.sip_user.in_(users),
               sa.or_(Registration.expires_at.is_(None), Registration.expires_at > now))
        .order_by(Registration.expires_at.desc())).all()
    return [(row.sip_user, row.node) for row in rows]


def _target(account: Account, number: str) -> Extension:
    target = db.session.scalar(sa.select(Extension).where(Extension.account_id == account.id,
                                                          Extension.number == str(number or "")))
    if target is None:
        raise NotFound(f"extension {number} does not exist in this account",
                       {"target": ["no such extension in this account"]}, error_id="target_not_found")
    return target


def click_to_call(account: Account, actor: Extension | None, target_number: str,
                  now: datetime | None = None, ring_seconds: int = DEFAULT_RING_SECONDS) -> OriginateRequest:
    """Check and describe a click-to-call from ``actor`` (the user's extension) to a number.

    Errors: no extension (400 no_extension), target not an extension of the account
    (404 target_not_found), calling oneself (400 same_extension), the user's phone not
    registered (409 phone_not_registered). ``ring_seconds``: how long the user's own phone
    rings (settings click_to_call_ring_seconds).
    """
    if actor is None or actor.account_id != account.id:
        raise ValidationFailed("you have no extension to call from", {"extension": [
            "no extension is assigned to you"]}, error_id="no_extension")
    target = _target(account, target_number)
    if target.id == actor.id:
        raise ValidationFailed("you cannot call your own extension", {"target": [
            "this is your own extension"]}, error_id="same_extension")
    registered = _live_registrations(account, actor, now or utcnow())
    if not registered:
        raise Conflict(f"your phone (extension {actor.number}) is not registered: it cannot be rung",
                       {"extension": ["phone not registered"]}, error_id="phone_not_registered")
    node = registered[0][1]
    users = tuple(sorted({u for u, n in registered if n == node}, key=lambda u: (u != actor.number, u)))
    return OriginateRequest(node=node, domain=account.sip_domain, ring_users=users,
                            destination=target.number, context=account.sip_domain,
                            display_name=_display_name(target), display_number=target.number,
                            caller_name=_display_name(actor), caller_number=actor.number,
                            from_extension=actor.number, ring_seconds=ring_seconds)
