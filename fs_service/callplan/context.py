"""Loads the planner's snapshots of an account's phones from the database.

With public_context, the only modules of the call planner that touch the database: everything
else is pure. What an account's calls read (its routing, its extensions' settings, its
mailboxes) is kept per process in an :class:`AccountView` under the account's directory token,
which fs_service.directory_versions renews with every change of those rows, and is read with
the account in the request's first query: a saved setting is live on the very next call in
every process, and a call costs one small query instead of about seven. Whether a callee is
already on a call is live state (ESL-fed) and is never cached.
"""
from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from flask import current_app, has_app_context

from .. import fastread
from ..db import db
from ..models import ActiveChannel, Account, CallVersion, Extension, Gateway, Mailbox, PhoneNumber
from ..parking import DEFAULT_TIMEOUT_SECONDS, park_plan_parameters
from ..token_cache import TokenCache
from .dialing import local_areas
from .model import AccountRouting, ExtensionSnapshot, FollowMe, Forward, Identity
from .park import plan_park
from .steps import Plan


def _digits(e164: str | None) -> str | None:
    return e164.lstrip("+") if e164 else None


_ACCOUNT = (sa.select(Account.id, CallVersion.directory_token)
            .outerjoin(CallVersion, CallVersion.account_id == Account.id)
            .where(Account.sip_domain == sa.bindparam("domain"), Account.enabled.is_(True)))


def routing_for(account: Account) -> AccountRouting:
    gateway = None
    if account.gateway_id:
        gateway = db.session.scalar(sa.select(Gateway.name).where(Gateway.id == account.gateway_id,
                                                                  Gateway.enabled.is_(True)))
    if gateway is None:
        gateway = db.session.scalar(sa.select(Gateway.name).where(
            Gateway.account_id.is_(None), Gateway.enabled.is_(True)).order_by(Gateway.id).limit(1))
    numbers = _account_numbers(account.id)
    main = numbers[0] if numbers else None
    return AccountRouting(account.id, account.sip_domain, gateway,
                          Identity(account.name[:15], _digits(main)), local_areas(numbers))


def _account_numbers(account_id: int) -> list[str]:
    return list(db.session.scalars(sa.select(PhoneNumber.e164).where(PhoneNumber.account_id == account_id)
                                   .order_by(PhoneNumber.id)))


def account_local_areas(account_id: int) -> frozenset[str]:
    """The area codes local to the account, from its numbers (what its calls see as local)."""
    return local_areas(_account_numbers(account_id))


_ON_A_CALL = (sa.select(ActiveChannel.uuid)
              .where(ActiveChannel.sip_domain == sa.bindparam("domain"), ActiveChannel.sip_user == sa.bindparam("user"),
                     ActiveChannel.state != "ringing").limit(1))


_LEG_OWNER = (sa.select(ActiveChannel.sip_user)
              .where(ActiveChannel.uuid == sa.bindparam("uuid"), ActiveChannel.sip_domain == sa.bindparam("domain")))


def _busy(domain: str, number: str) -> bool:
    """Already on a call: an answered channel of this extension in the live state (ESL-fed)."""
    return fastread.fetch_one(_ON_A_CALL, {"domain": domain, "user": number}) is not None


def snapshot(ext: Extension) -> ExtensionSnapshot:
    """The extension's settings; ``busy`` is filled per call by :class:`DbDirectory`."""
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
        international_code=ext.international_code, identity=identity)


class AccountView:
    """One account as its calls see it, as of one directory token; extensions and mailboxes
    are read on first use (an account of thousands costs only what its calls touch)."""

    def __init__(self, account_id: int) -> None:
        account = db.session.get(Account, account_id)
        self.account_id, self.domain = account_id, account.sip_domain
        self.routing = routing_for(account)
        self._extensions: dict[object, ExtensionSnapshot | None] = {}
        self._mailboxes: dict[object, str | None] = {}

    def extension(self, key: tuple[str, object]) -> ExtensionSnapshot | None:
        """By ``("n", number)`` or ``("i", id)``; the condition is built only on a miss (building
        SQL expressions costs more than the rest of a cached call)."""
        try:
            return self._extensions[key]
        except KeyError:
            kind, value = key
            condition = Extension.number == value if kind == "n" else Extension.id == value
            ext = db.session.scalar(sa.select(Extension).where(Extension.account_id == self.account_id, condition))
            found = self._extensions[key] = snapshot(ext) if ext is not None else None
            return found

    def mailbox(self, key: tuple[str, object]) -> str | None:
        """A mailbox's number: by ``("i", id)`` (any box of the account), or by ``("n", number)``
        (standalone boxes only: an extension's box is reached through its extension)."""
        try:
            return self._mailboxes[key]
        except KeyError:
            kind, value = key
            condition = Mailbox.id == value if kind == "i" else sa.and_(Mailbox.number == value,
                                                                       Mailbox.extension_id.is_(None))
            found = self._mailboxes[key] = db.session.scalar(sa.select(Mailbox.number).where(
                Mailbox.account_id == self.account_id, condition))
            return found


_views: TokenCache[int, AccountView] = TokenCache(AccountView)


def account_view(account_id: int, directory_token: str | None) -> AccountView:
    return _views.get(account_id, directory_token)


def account_view_by_domain(domain: str) -> AccountView | None:
    """The enabled account whose SIP domain (a call's context) this is, or None."""
    row = fastread.fetch_one(_ACCOUNT, {"domain": domain.lower()})
    return account_view(row.id, row.directory_token) if row is not None else None


class DbDirectory:
    """The account's extensions and mailboxes, for one call: cached settings + live busy state."""

    def __init__(self, view: AccountView, park_timeout_seconds: int | None = None) -> None:
        self.view = view
        self.park_timeout_seconds = park_timeout_seconds  # None: the app's settings

    def _live(self, ext: ExtensionSnapshot | None) -> ExtensionSnapshot | None:
        if ext is None or ext.busy_behaviour == "ring" or not _busy(self.view.domain, ext.number):
            return ext
        return replace(ext, busy=True)

    def extension(self, number: str) -> ExtensionSnapshot | None:
        if not number.isdigit():
            return None
        return self._live(self.view.extension(("n", number)))

    def extension_by_id(self, extension_id: int) -> ExtensionSnapshot | None:
        return self._live(self.view.extension(("i", extension_id)))

    def standalone_mailbox(self, number: str) -> str | None:
        return self.view.mailbox(("n", number))

    def mailbox_number(self, mailbox_id: int) -> str | None:
        return self.view.mailbox(("i", mailbox_id))

    def bridged_extension(self, leg_uuid: str) -> ExtensionSnapshot | None:
        """The extension whose phone is on the live leg ``leg_uuid`` of this account (ESL-fed
        channel table; a softphone "101-2" is extension 101), or None."""
        row = fastread.fetch_one(_LEG_OWNER, {"uuid": leg_uuid, "domain": self.view.domain})
        return self.extension(row.sip_user.split("-", 1)[0]) if row is not None and row.sip_user else None

    def park_plan(self, destination: str, caller: ExtensionSnapshot | None,
                  transferor: ExtensionSnapshot | None = None) -> Plan | None:
        """700 / 701-709 in the account's own lot (its SIP domain: lots are never shared)."""
        lot = park_plan_parameters(self.view.domain, self.park_timeout_seconds or _park_timeout())
        return plan_park(destination, lot, self.view.domain, caller, transferor)


def _park_timeout() -> int:
    """From the settings of the app serving this request (the planner always runs in one)."""
    settings = current_app.config.get("PBX") if has_app_context() else None
    return settings.park_timeout_seconds if settings is not None else DEFAULT_TIMEOUT_SECONDS
