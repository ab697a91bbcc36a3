"""Calling an added participant into a running room (CONF-6 "add participant, optionally dial
them out").

The call leaves from the node hosting the room (the room lives there) through the account's
carrier gateway, like every external call of the account (callplan.outbound): the number is
classified by the account's dialing rules and the toll rules of the admin asking apply — local,
toll-free and service numbers always, long distance and international only when the admin's
own extension may call them without a code (nobody could type the code on this call), never
an emergency number. The callee sees the account's main number (the company is inviting).

The channel's uuid is chosen here and the attendance written before the call (queries.expect,
as the phone entry does), so the ``add-member`` event that follows finds the participant's name
and role: an admin joins as moderator.
"""
from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass

from ..calls.context import DbDirectory, account_view_by_domain
from ..calls.dialing import ALWAYS_ALLOWED, EMERGENCY, classify
from ..calls.outbound import toll_mode
from ..errors import Conflict, ValidationFailed
from ..models import Conference, ConferenceParticipant, Extension
from . import live
from .entry_model import Admission
from .queries import expect

RING_SECONDS = 45


@dataclass(frozen=True)
class DialOut:
    """One call to place on ``node``: ``number`` through ``gateway``, answered into ``room``."""
    node: str
    domain: str
    room: str  # mod_conference room name
    profile: str  # the room's language (its conference profile)
    moderator: bool
    uuid: str
    gateway: str
    number: str  # what the gateway dials
    caller_id_name: str
    caller_id_number: str
    ring_seconds: int = RING_SECONDS


def _refused(message: str, error_id: str) -> ValidationFailed:
    return ValidationFailed(message, {"phone": [message]}, error_id=error_id)


def dial_out(room: Conference, participant: ConferenceParticipant, phone: str,
             actor: Extension | None) -> DialOut:
    """Check and describe the call; the attendance is added to the session (the caller commits
    before placing the call). Errors: the room not running (409 room_not_running), no carrier
    (409 no_route), a number that cannot be dialled or that the admin may not call (400)."""
    where = live.running(room)
    if where is None:
        raise Conflict("the conference is not running: a participant can only be called into a running room",
                       {"call_now": ["the room is not running"]}, error_id="room_not_running")
    view = account_view_by_domain(where.domain)
    routing = view.routing if view is not None else None
    if routing is None or routing.gateway is None:
        raise Conflict("this account has no way to call out", {"phone": ["no carrier route"]}, error_id="no_route")
    dialed = classify(str(phone or ""), routing.local_areas)
    if dialed is None:
        raise _refused("not a phone number that can be dialled", "bad_number")
    if dialed.toll_class == EMERGENCY:
        raise _refused("an emergency number cannot be called into a conference", "toll_barred")
    ext = DbDirectory(view).extension(actor.number) if actor is not None and actor.account_id == room.account_id \
        else None
    if dialed.toll_class not in ALWAYS_ALLOWED and (ext is None or toll_mode(ext, dialed.toll_class) != "unlimited"):
        raise _refused("your extension may not call this number without an access code", "toll_barred")
    identity = routing.default_identity
    channel = str(uuidlib.uuid4())
    expect(room.id, channel, Admission(participant.role, participant.id, participant.name), dialed.carrier_number)
    return DialOut(where.node, where.domain, where.name, room.language, participant.role == "admin", channel,
                   routing.gateway, dialed.carrier_number, identity.name or identity.number or "",
                   identity.number or "")
