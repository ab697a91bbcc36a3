"""Plain snapshots of what the planner needs, loaded once per request by context.py.

Planning functions take these (never ORM objects), so every rule is testable by building a
snapshot by hand.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Protocol

from .steps import Plan


@dataclass(frozen=True)
class Identity:
    """Caller ID shown on calls that leave through the carrier."""
    name: str | None
    number: str | None  # 11-digit NANP of one of the account's numbers
    hidden: bool = False


@dataclass(frozen=True)
class AccountRouting:
    account_id: int
    domain: str
    gateway: str | None  # carrier gateway name, None = no way out
    default_identity: Identity  # the account's main number
    local_areas: frozenset[str] = frozenset()  # area codes local to the account (dialing.local_areas)


@dataclass(frozen=True)
class Forward:
    mode: str  # always | no_answer | simultaneous | confirm
    destination: str  # extension number, or the dialed external number
    is_extension: bool


@dataclass(frozen=True)
class FollowMe:
    number: str
    ring_seconds: int
    music_on_hold: bool
    screening: bool
    skip_greeting: bool
    pass_caller_id: bool
    extra_attempts: int


@dataclass(frozen=True)
class ExtensionSnapshot:
    id: int
    number: str
    name: str
    language: str
    music_on_hold: str
    ring_seconds: int
    dnd: bool
    dnd_mode: str
    busy_behaviour: str
    voicemail_box: str | None  # None: voicemail off
    forward: Forward | None
    follow_me: FollowMe | None
    recording: str
    pickup_allowed: bool
    long_distance: str
    long_distance_code: str | None
    international: str
    international_code: str | None
    identity: Identity  # outbound caller ID for calls through the carrier
    busy: bool = False  # already on a call (live state)


@dataclass(frozen=True)
class CallRequest:
    """A dialplan request, as the core needs it (built by xml_curl from FreeSWITCH's POST)."""
    context: str
    destination: str
    caller_number: str
    caller_name: str
    uuid: str
    variables: Mapping[str, str] = field(default_factory=dict)

    def var(self, name: str, default: str = "") -> str:
        return self.variables.get(name, default)


class AccountDirectory(Protocol):
    """What the planner may ask about the account (loaded from the database, or a test double)."""

    def extension(self, number: str) -> ExtensionSnapshot | None: ...
    def extension_by_id(self, extension_id: int) -> ExtensionSnapshot | None: ...
    def standalone_mailbox(self, number: str) -> str | None: ...
    def park_plan(self, destination: str, caller: ExtensionSnapshot | None,
                  transferor: ExtensionSnapshot | None = None) -> Plan | None: ...
    def bridged_extension(self, leg_uuid: str) -> ExtensionSnapshot | None: ...
