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

from .. import fastread, settings
from ..caches import TokenCache
from ..db import db
from ..models import Account, ActiveChannel, CallVersion, Extension, Gateway, Mailbox, PhoneNumber, User
from ..park.lot import park_plan_parameters
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


# An extension's settings with the little it borrows from other rows (its mailbox's number, its
# person's name, its outbound caller ID's number) in one read through fastread: a callee nobody
# called since the last change costs one small query, not an ORM object and its lazy loads
# (issue 15: bench.dialplan's cold figure).
_SNAPSHOT = (sa.select(Extension.id, Extension.number, Extension.caller_id_name, Extension.voicemail_enabled,
                       Extension.language, Extension.music_on_hold, Extension.ring_seconds, Extension.dnd,
                       Extension.dnd_mode, Extension.busy_behaviour, Extension.forward_mode,
                       Extension.forward_destination, Extension.fmfm_enabled, Extension.fmfm_number,
                       Extension.fmfm_ring_seconds, Extension.fmfm_music_on_hold, Extension.fmfm_screening,
                       Extension.fmfm_skip_greeting, Extension.fmfm_pass_caller_id, Extension.fmfm_extra_attempts,
                       Extension.recording, Extension.pickup_allowed, Extension.long_distance,
                       Extension.long_distance_code, Extension.international, Extension.international_code,
                       Extension.outbound_caller_id_name, Extension.hide_caller_id,
                       Mailbox.number.label("mailbox_number"), User.id.label("person_id"), User.first_name,
                       User.last_name, User.email, PhoneNumber.e164.label("outbound_e164"))
             .outerjoin(Mailbox, Mailbox.extension_id == Extension.id)
             .outerjoin(User, User.id == Extension.user_id)
             .outerjoin(PhoneNumber, PhoneNumber.id == Extension.outbound_caller_id_number_id)
             .where(Extension.account_id == sa.bindparam("account_id")))
_SNAPSHOT_BY = {"n": _SNAPSHOT.where(Extension.number == sa.bindparam("value")),
                "i": _SNAPSHOT.where(Extension.id == sa.bindparam("value"))}


def _person_name(row) -> str:
    """models.User.full_name, from the joined columns."""
    return f"{row.first_name} {row.last_name}".strip() or row.email


def snapshot(row) -> ExtensionSnapshot:
    """The extension's settings (a ``_SNAPSHOT`` row); ``busy`` is filled per call by :class:`DbDirectory`."""
    box = row.mailbox_number if row.voicemail_enabled else None
    forward = None
    if row.forward_mode != "off" and row.forward_destination:
        forward = Forward(row.forward_mode, row.forward_destination, row.forward_destination.isdigit()
                          and len(row.forward_destination) <= 5)
    follow = None
    if row.fmfm_enabled and row.fmfm_number and forward is None:  # FWD-3: forwarding wins
        follow = FollowMe(row.fmfm_number, row.fmfm_ring_seconds, row.fmfm_music_on_hold, row.fmfm_screening,
                          row.fmfm_skip_greeting, row.fmfm_pass_caller_id, row.fmfm_extra_attempts)
    number = row.outbound_e164
    both = bool(row.outbound_caller_id_name and number)
    identity = Identity(row.outbound_caller_id_name if both else None, _digits(number) if both else None,
                        row.hide_caller_id)
    name = row.caller_id_name or (_person_name(row) if row.person_id is not None else row.number)
    return ExtensionSnapshot(
        id=row.id, number=row.number, name=name, language=row.language, music_on_hold=row.music_on_hold,
        ring_seconds=row.ring_seconds, dnd=row.dnd, dnd_mode=row.dnd_mode, busy_behaviour=row.busy_behaviour,
        voicemail_box=box, forward=forward, follow_me=follow, recording=row.recording,
        pickup_allowed=row.pickup_allowed, long_distance=row.long_distance,
        long_distance_code=row.long_distance_code, international=row.international,
        international_code=row.international_code, identity=identity)


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
        """By ``("n", number)`` or ``("i", id)``."""
        try:
            return self._extensions[key]
        except KeyError:
            kind, value = key
            row = fastread.fetch_one(_SNAPSHOT_BY[kind], {"account_id": self.account_id, "value": value})
            found = self._extensions[key] = snapshot(row) if row is not None else None
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


_views: TokenCache[int, AccountView] = TokenCache("callplan.account_views", AccountView, 20000)  # account id + token


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
    return settings.current().park_timeout_seconds
