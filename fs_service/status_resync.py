"""A node's full live state from ``show registrations as json`` / ``show channels as json``.

After every (re)connect the listener replaces the node's rows with this snapshot, so nothing
missed while disconnected stays stale. The rows are FreeSWITCH's core DB columns
(switch_core_sqldb.c), not event headers, hence a mapping of their own.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from .status_events import (ANSWERED, DIALING, RINGING, ChannelUp, RegistrationUp, StatusSnapshot,
                            _domain)

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
