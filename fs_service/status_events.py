"""What a FreeSWITCH event means for live status, as plain data (STAT-1).

Pure functions: an event's headers (any ``Mapping[str, str]``: a dict in tests, the listener's
lazily decoded headers in production) in, a small frozen "change" out. The store
(status_store.py) applies batches of changes; nothing here touches the database, so each rule
is unit-tested on recorded events.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Mapping

from .db import utcnow

Headers = Mapping[str, str]

# A phone that refreshes a little late must not flicker to "disconnected": keep a registration
# this long past its Expires (FreeSWITCH itself keeps sofia registrations past the phone's value).
EXPIRY_GRACE = timedelta(seconds=60)

DIALING, RINGING, ANSWERED, BRIDGED = "dialing", "ringing", "answered", "bridged"
# A phone is busy once it placed a call (dialing) or picked one up; a phone merely being rung
# is still available.
BUSY_STATES = frozenset({DIALING, ANSWERED, BRIDGED})


@dataclass(frozen=True, slots=True)
class RegistrationUp:
    call_id: str
    sip_user: str
    sip_domain: str
    contact: str = ""
    user_agent: str = ""
    network_ip: str = ""
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RegistrationDown:
    call_id: str


@dataclass(frozen=True, slots=True)
class ChannelUp:
    uuid: str
    sip_user: str | None
    sip_domain: str | None
    state: str
    caller_number: str = ""
    destination: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ChannelState:
    uuid: str
    state: str


@dataclass(frozen=True, slots=True)
class ChannelDown:
    uuid: str


@dataclass(frozen=True)
class StatusSnapshot:
    """What one node reported after a (re)connect: replaces that node's registrations and/or
    channels (a part left None is not touched, so each part lands when its reply does)."""

    registrations: tuple[RegistrationUp, ...] | None = None
    channels: tuple[ChannelUp, ...] | None = None


def _domain(value: str | None) -> str | None:
    return value.strip().lower() if value else None


def registration_seen(event: Headers) -> RegistrationUp | None:
    """``sofia::register`` (also a refresh, flagged ``update-reg``): the phone is reachable.

    mod_sofia: ``from-user`` is the AOR user (what calls to the user reach), ``username`` the
    digest user; ``realm`` is the domain the directory matched, ``from-host`` may be an IP.
    """
    call_id = event.get("call-id")
    user = event.get("from-user") or event.get("username")
    domain = _domain(event.get("realm") or event.get("domain_name") or event.get("from-host"))
    if not (call_id and user and domain):
        return None
    try:
        expires = int(event.get("expires") or 0)
    except ValueError:
        expires = 0
    expires_at = utcnow() + timedelta(seconds=expires) + EXPIRY_GRACE if expires > 0 else None
    return RegistrationUp(call_id, user, domain, event.get("contact") or "",
                          (event.get("user-agent") or "")[:255], event.get("network-ip") or "",
                          expires_at)


def registration_gone(event: Headers) -> RegistrationDown | None:
    """``sofia::unregister`` / ``sofia::expire``: keyed by call-id, like the sofia reg table."""
    call_id = event.get("call-id")
    return RegistrationDown(call_id) if call_id else None


def channel_owner(event: Headers) -> tuple[str | None, str | None]:
    """(SIP user, domain) whose phone this leg is, per NOTES §6 "Mapping a channel to a user".

    A leg the phone placed (Call-Direction inbound) is trusted only when authenticated
    (``user_name``/``domain_name`` from the directory): its From/presence is spoofable, and a
    carrier leg later carries ``dialed_user`` of whoever it was bridged to. A leg ringing a
    phone (outbound) was made by ``user/``: ``dialed_user``/``dialed_domain``, then presence.
    """
    if event.get("Call-Direction") == "inbound":
        user, domain = event.get("variable_user_name"), _domain(event.get("variable_domain_name"))
        return (user, domain) if user and domain else (None, domain)
    user, domain = event.get("variable_dialed_user"), _domain(event.get("variable_dialed_domain"))
    if user and domain:
        return user, domain
    presence = event.get("Channel-Presence-ID") or event.get("variable_presence_id") or ""
    user, at, domain = presence.partition("@")
    if user and at and domain:
        return user, _domain(domain)
    return None, _domain(event.get("variable_domain_name"))


def _event_time(event: Headers) -> datetime:
    try:
        micros = int(event.get("Caller-Channel-Created-Time") or event.get("Event-Date-Timestamp") or 0)
    except ValueError:
        micros = 0
    return datetime.fromtimestamp(micros / 1e6, tz=timezone.utc) if micros > 0 else utcnow()


def channel_created(event: Headers) -> ChannelUp | None:
    """CHANNEL_CREATE: a leg exists. Every leg is kept (even unmapped carrier legs) so a
    parked call or a resync can always find its node."""
    uuid = event.get("Unique-ID")
    if not uuid:
        return None
    user, domain = channel_owner(event)
    inbound = event.get("Call-Direction") == "inbound"
    state = ANSWERED if event.get("Answer-State") == "answered" else (DIALING if inbound else RINGING)
    return ChannelUp(uuid, user, domain, state, (event.get("Caller-Caller-ID-Number") or "")[:40],
                     (event.get("Caller-Destination-Number") or "")[:40], _event_time(event))


def channel_answered(event: Headers) -> ChannelState | None:
    uuid = event.get("Unique-ID")
    return ChannelState(uuid, ANSWERED) if uuid else None


def channel_bridged(event: Headers) -> ChannelState | None:
    """CHANNEL_BRIDGE names the A leg (``Unique-ID``); the B leg was already answered."""
    uuid = event.get("Unique-ID")
    return ChannelState(uuid, BRIDGED) if uuid else None


def channel_hungup(event: Headers) -> ChannelDown | None:
    uuid = event.get("Unique-ID")
    return ChannelDown(uuid) if uuid else None
