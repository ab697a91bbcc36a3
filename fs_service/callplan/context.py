"""Loads the planner's snapshots from the database for one dialplan request.

The only module of the call planner that touches the database: everything else is pure.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, has_app_context

from ..db import db
from ..models import ActiveChannel, Account, Extension, Gateway, Mailbox, PhoneNumber
from ..parking import DEFAULT_TIMEOUT_SECONDS, park_plan_parameters
from .model import AccountRouting, ExtensionSnapshot, FollowMe, Forward, Identity
from .park import plan_park
from .steps import Plan


def _digits(e164: str | None) -> str | None:
    return e164.lstrip("+") if e164 else None


def account_by_domain(domain: str) -> Account | None:
    return db.session.scalar(sa.select(Account).where(Account.sip_domain == domain.lower(),
                                                      Account.enabled.is_(True)))


def routing_for(account: Account) -> AccountRouting:
    gateway = None
    if account.gateway_id:
        gateway = db.session.scalar(sa.select(Gateway.name).where(Gateway.id == account.gateway_id,
                                                                  Gateway.enabled.is_(True)))
    if gateway is None:
        gateway = db.session.scalar(sa.select(Gateway.name).where(
            Gateway.account_id.is_(None), Gateway.enabled.is_(True)).order_by(Gateway.id).limit(1))
    main = db.session.scalar(sa.select(PhoneNumber.e164).where(PhoneNumber.account_id == account.id)
                             .order_by(PhoneNumber.id).limit(1))
    return AccountRouting(account.id, account.sip_domain, gateway,
                          Identity(account.name[:15], _digits(main)))


def _busy(domain: str, number: str) -> bool:
    """Already on a call: an answered channel of this extension in the live state (ESL-fed)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(ActiveChannel).where(
        ActiveChannel.sip_domain == domain, ActiveChannel.sip_user == number,
        ActiveChannel.state != "ringing")) > 0


def snapshot(ext: Extension, domain: str) -> ExtensionSnapshot:
    box = ext.mailbox.number if ext.voicemail_enabled and ext.mailbox is not None else None
    forward = None
    if ext.forward_mode != "off" and ext.forward_destination:
        forward = Forward(ext.forward_mode, ext.forward_destination, ext.forward_destination.isdigit()
                          and len(ext.forward_destination) <= 5)
    follow = None
    if ext.fmfm_enabled and ext.fmfm_number and forward is None:  # FWD-3: forwarding wins
        follow = FollowMe(ext.fmfm_number, ext.fmfm_ring_seconds, ext.fmfm_music_on_hold, ext.fmfm_screening,
                          ext.fmfm_skip_greeting, ext.fmfm_pass_caller_id, ext.fmfm_extra_attempts)
    number = ext.outbound_caller_id_number.e164 if ext.outbound_caller_id_number else None
    both = bool(ext.outbound_caller_id_name and number)
    identity = Identity(ext.outbound_caller_id_name if both else None, _digits(number) if both else None,
                        ext.hide_caller_id)
    name = ext.caller_id_name or (ext.user.full_name if ext.user else ext.number)
    return ExtensionSnapshot(
        id=ext.id, number=ext.number, name=name, language=ext.language, music_on_hold=ext.music_on_hold,
        ring_seconds=ext.ring_seconds, dnd=ext.dnd, dnd_mode=ext.dnd_mode, busy_behaviour=ext.busy_behaviour,
        voicemail_box=box, forward=forward, follow_me=follow, recording=ext.recording,
        pickup_allowed=ext.pickup_allowed, long_distance=ext.long_distance,
        long_distance_code=ext.long_distance_code, international=ext.international,
        international_code=ext.international_code, identity=identity,
        busy=ext.busy_behaviour != "ring" and _busy(domain, ext.number))


class DbDirectory:
    """The account's extensions and mailboxes, looked up lazily and once per request."""

    def __init__(self, account: Account, park_timeout_seconds: int | None = None) -> None:
        self.account = account
        self.park_timeout_seconds = park_timeout_seconds  # None: the app's settings
        self._cache: dict[object, ExtensionSnapshot | None] = {}

    def _load(self, key: object, condition) -> ExtensionSnapshot | None:
        if key not in self._cache:
            ext = db.session.scalar(sa.select(Extension).where(Extension.account_id == self.account.id, condition))
            self._cache[key] = snapshot(ext, self.account.sip_domain) if ext else None
        return self._cache[key]

    def extension(self, number: str) -> ExtensionSnapshot | None:
        if not number.isdigit():
            return None
        return self._load(("n", number), Extension.number == number)

    def extension_by_id(self, extension_id: int) -> ExtensionSnapshot | None:
        return self._load(("i", extension_id), Extension.id == extension_id)

    def standalone_mailbox(self, number: str) -> str | None:
        return db.session.scalar(sa.select(Mailbox.number).where(
            Mailbox.account_id == self.account.id, Mailbox.number == number, Mailbox.extension_id.is_(None)))

    def park_plan(self, destination: str, caller: ExtensionSnapshot | None,
                  transferor: ExtensionSnapshot | None = None) -> Plan | None:
        """700 / 701-709 in the account's own lot (its SIP domain: lots are never shared)."""
        lot = park_plan_parameters(self.account, self.park_timeout_seconds or _park_timeout())
        return plan_park(destination, lot, self.account.sip_domain, caller, transferor)


def _park_timeout() -> int:
    """From the settings of the app serving this request (the planner always runs in one)."""
    settings = current_app.config.get("PBX") if has_app_context() else None
    return settings.park_timeout_seconds if settings is not None else DEFAULT_TIMEOUT_SECONDS
