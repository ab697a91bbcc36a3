"""What a FreeSWITCH event means for live status, as plain data (STAT-1).

Pure functions: an event's headers (any ``Mapping[str, str]``: a dict in tests, the listener's
lazily decoded headers in production) in, a small frozen "change" out. The store
(store.py) applies batches of changes; nothing here touches the database, so each rule
is unit-tested on recorded events.

A node's full live state comes from ``show registrations as json`` / ``show channels as json``
(:func:`registrations_snapshot`, :func:`channels_snapshot`): after every (re)connect the
listener replaces the node's rows with this snapshot, so nothing missed while disconnected
stays stale. The rows are FreeSWITCH's core DB columns
(switch_core_sqldb.c), not event headers, hence a mapping of their own.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Iterable, Mapping, NamedTuple

from ..event_headers import Headers, fields

# A phone that refreshes a little late must not flicker to "disconnected": keep a registration
# this long past its Expires (FreeSWITCH itself keeps sofia registrations past the phone's value).
EXPIRY_GRACE_SECONDS = 60

DIALING, RINGING, ANSWERED, BRIDGED = "dialing", "ringing", "answered", "bridged"
# A phone is busy once it placed a call (dialing) or picked one up; a phone merely being rung
# is still available.
BUSY_STATES = frozenset({DIALING, ANSWERED, BRIDGED})


# Changes are NamedTuples: immutable plain data like a frozen dataclass, but ~4x cheaper to
# build, which counts at tens of thousands of events per second. Times are epoch seconds; the
# store converts the few rows it writes.


class RegistrationUp(NamedTuple):
    call_id: str
    sip_user: str
    sip_domain: str
    contact: str = ""
    user_agent: str = ""
    network_ip: str = ""
    expires: float | None = None  # epoch seconds; None = no expiry known


class RegistrationDown(NamedTuple):
    call_id: str


class ChannelUp(NamedTuple):
    uuid: str
    sip_user: str | None
    sip_domain: str | None
    state: str
    caller_number: str = ""
    destination: str = ""
    created: float | None = None  # epoch seconds


class ChannelState(NamedTuple):
    uuid: str
    state: str


class ChannelDown(NamedTuple):
    uuid: str


@dataclass(frozen=True)
class StatusSnapshot:
    """What one node reported after a (re)connect: replaces that node's registrations and/or
    channels (a part left None is not touched, so each part lands when its reply does)."""

    registrations: tuple[RegistrationUp, ...] | None = None
    channels: tuple[ChannelUp, ...] | None = None


def _domain(value: str | None) -> str | None:
    return value.strip().lower() if value else None


_REGISTER = ("from-user", "contact", "call-id", "expires", "network-ip", "username", "realm",
             "user-agent", "domain_name")


def registration_seen(event: Headers) -> RegistrationUp | None:
    """``sofia::register`` (also a refresh, flagged ``update-reg``): the phone is reachable.

    mod_sofia: ``from-user`` is the AOR user (what calls to the user reach), ``username`` the
    digest user; ``realm`` is the domain the directory matched, ``from-host`` may be an IP.
    """
    user, contact, call_id, expires, network_ip, username, realm, agent, domain = fields(event, _REGISTER)
    user = user or username
    domain = _domain(realm or domain or event.get("from-host"))
    if not (call_id and user and domain):
        return None
    seconds = int(expires) if expires and expires.isdigit() else 0
    until = time.time() + seconds + EXPIRY_GRACE_SECONDS if seconds else None
    return RegistrationUp(call_id, user, domain, contact or "", (agent or "")[:255], network_ip or "", until)


def registration_gone(event: Headers) -> RegistrationDown | None:
    """``sofia::unregister`` / ``sofia::expire``: keyed by call-id, like the sofia reg table."""
    call_id = event.get("call-id")
    return RegistrationDown(call_id) if call_id else None


def channel_owner(event: Headers, direction: str | None = None,
                  presence: str | None = None) -> tuple[str | None, str | None]:
    """(SIP user, domain) whose phone this leg is, per NOTES §6 "Mapping a channel to a user".

    A leg the phone placed (Call-Direction inbound) is trusted only when authenticated
    (``user_name``/``domain_name`` from the directory): its From/presence is spoofable, and a
    carrier leg later carries ``dialed_user`` of whoever it was bridged to. A leg ringing a
    phone (outbound) was made by ``user/``: ``dialed_user``/``dialed_domain``, then presence.
    """
    direction = direction or event.get("Call-Direction")
    if direction == "inbound":
        user, domain = fields(event, ("variable_user_name", "variable_domain_name"))
        return (user, _domain(domain)) if user and domain else (None, _domain(domain))
    user, domain = fields(event, ("variable_dialed_user", "variable_dialed_domain"))
    if user and domain:
        return user, _domain(domain)
    presence = presence or event.get("Channel-Presence-ID") or event.get("variable_presence_id") or ""
    user, at, domain = presence.partition("@")
    if user and at and domain:
        return user, _domain(domain)
    return None, _domain(event.get("variable_domain_name"))


_CREATE = ("Unique-ID", "Call-Direction", "Channel-Presence-ID", "Answer-State", "Caller-Caller-ID-Number",
           "Caller-Destination-Number")


def channel_created(event: Headers) -> ChannelUp | None:
    """CHANNEL_CREATE: a leg exists. Every leg is kept (even unmapped carrier legs) so a
    parked call or a resync can always find its node."""
    uuid, direction, presence, answer, number, destination = fields(event, _CREATE)
    if not uuid:
        return None
    user, domain = channel_owner(event, direction or "", presence)
    state = ANSWERED if answer == "answered" else (DIALING if direction == "inbound" else RINGING)
    return ChannelUp(uuid, user, domain, state, (number or "")[:40], (destination or "")[:40], time.time())


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


Row = Mapping[str, str]
# callstate values before answer (switch_channel_callstate2str); anything else is up.
_UNANSWERED = frozenset({"", "DOWN", "DIALING", "RINGING", "EARLY"})


def _epoch(value: str | None) -> float | None:
    """FreeSWITCH writes absolute epochs (clocks assumed NTP-synced with ours)."""
    return float(value) if value and value.isdigit() and value != "0" else None


def registration_from_row(row: Row) -> RegistrationUp | None:
    """``reg_user``/``realm`` are the AOR and domain; ``token`` is the SIP Call-ID; ``url`` the
    contact. The recorded 1.11 rows carry no user agent."""
    call_id, user, domain = row.get("token"), row.get("reg_user"), _domain(row.get("realm"))
    if not (call_id and user and domain):
        return None
    return RegistrationUp(call_id, user, domain, row.get("url") or "", row.get("agent") or "",
                          row.get("network_ip") or "", _epoch(row.get("expires")))


def channel_from_row(row: Row) -> ChannelUp | None:
    """``show channels`` lacks ``user_name``/``dialed_user``: the owner comes from
    ``presence_id`` (dialed user@domain on ``user/`` legs, From user@host on phone legs)."""
    uuid = row.get("uuid")
    if not uuid:
        return None
    user, at, domain = (row.get("presence_id") or "").partition("@")
    inbound = row.get("direction") == "inbound"
    callstate = (row.get("callstate") or "").upper()
    state = (DIALING if inbound else RINGING) if callstate in _UNANSWERED else ANSWERED
    return ChannelUp(uuid, user if at and user else None, _domain(domain) if at else None, state,
                     (row.get("cid_num") or "")[:40], (row.get("dest") or "")[:40],
                     _epoch(row.get("created_epoch")))


def registrations_snapshot(rows: Iterable[Row]) -> StatusSnapshot:
    """Replaces the node's registrations with ``show registrations as json`` rows."""
    return StatusSnapshot(registrations=tuple(r for r in map(registration_from_row, rows) if r))


def channels_snapshot(rows: Iterable[Row]) -> StatusSnapshot:
    """Replaces the node's channels with ``show channels as json`` rows."""
    return StatusSnapshot(channels=tuple(c for c in map(channel_from_row, rows) if c))
