"""Calls that leave through the carrier: toll classes, access codes, caller ID (EXT-4)."""
from __future__ import annotations

import hmac
from dataclasses import dataclass

from .. import prompts
from . import stages
from .dialing import ALWAYS_ALLOWED, EMERGENCY, INTERNATIONAL, LONG_DISTANCE, Dialed, classify
from .model import AccountRouting, ExtensionSnapshot, Identity
from .recording import recording_path
from .steps import (OUTGOING_CALL_BARRED, RING_FOREVER, Answer, CollectDigits, Hangup, Plan, Play, Record, Ring, Set,
                    Step, Target, Transfer)

ACCESS_CODE_VARIABLE = "pbx_access_code"
NO_ROUTE = "NO_ROUTE_DESTINATION"


@dataclass(frozen=True)
class CarrierLeg:
    target: Target
    identity: Identity
    dialed: Dialed


def toll_mode(ext: ExtensionSnapshot, toll_class: str) -> str:
    """disabled | code | unlimited for this class of call from this extension."""
    if toll_class in ALWAYS_ALLOWED:
        return "unlimited"
    if toll_class == LONG_DISTANCE:
        return ext.long_distance
    if toll_class == INTERNATIONAL:
        return ext.international
    return "disabled"


def identity_for(ext: ExtensionSnapshot | None, routing: AccountRouting, emergency: bool = False) -> Identity:
    """The extension's outbound caller ID (name and number, both or none), else the account's;
    emergency calls always show the account's real number (it locates the caller)."""
    if emergency:
        return Identity(routing.default_identity.name, routing.default_identity.number, hidden=False)
    if ext is not None and ext.identity.name and ext.identity.number:
        return ext.identity
    hidden = bool(ext and ext.identity.hidden)
    return Identity(routing.default_identity.name, routing.default_identity.number, hidden=hidden)


def carrier_leg(number: str, ext: ExtensionSnapshot | None, routing: AccountRouting,
                purpose: str = "call") -> CarrierLeg | None:
    """A leg to ``number`` through the carrier, if the number is valid and, for forwards and
    follow-me (nobody can type an access code), the extension may call it without a code."""
    dialed = classify(number, routing.local_areas)
    if dialed is None or routing.gateway is None:
        return None
    if purpose != "call" and ext is not None and toll_mode(ext, dialed.toll_class) != "unlimited":
        return None
    target = Target("gateway", dialed.carrier_number, gateway=routing.gateway)
    return CarrierLeg(target, identity_for(ext, routing, dialed.toll_class == EMERGENCY), dialed)


def _ring(leg: CarrierLeg) -> Ring:
    return Ring((leg.target,), RING_FOREVER, caller_id_name=leg.identity.name,
                caller_id_number=leg.identity.number, privacy=leg.identity.hidden)


def _ask_code(destination: str, ext: ExtensionSnapshot, routing: AccountRouting) -> list[Step]:
    return [Answer(), CollectDigits(ACCESS_CODE_VARIABLE, prompts.path("enter-access-code"), 1, 12,
                                    tries=3, timeout_ms=8000),
            Set(stages.VARIABLE, stages.encode(stages.ACCESS_CODE, ext.id)),
            Transfer(destination, routing.domain)]


def code_matches(ext: ExtensionSnapshot, toll_class: str, typed: str) -> bool:
    expected = ext.long_distance_code if toll_class == LONG_DISTANCE else ext.international_code
    return bool(expected) and hmac.compare_digest(expected.encode(), typed.encode())


def _barred(steps: list[Step], reason: str) -> Plan:
    return Plan.of(*steps, Answer(), Play(prompts.path("call-not-allowed")), Hangup(OUTGOING_CALL_BARRED),
                   reason=reason)


def plan_outbound(destination: str, ext: ExtensionSnapshot, routing: AccountRouting, *,
                  typed_code: str | None = None, transferred: bool = False) -> Plan | None:
    """A call from ``ext`` to an external number; None when ``destination`` is not one.

    ``transferred``: the channel is not ``ext``'s phone but the party it blind-transferred
    (internal.py); it calls with ``ext``'s toll classes, caller ID and recording, but cannot be
    asked ``ext``'s access code (nobody left on the call knows it), so a "with code" class is
    barred like a disabled one."""
    leg = carrier_leg(destination, ext, routing)
    if leg is None:
        if classify(destination) is not None:  # a valid number but no carrier configured
            return Plan.of(Hangup(NO_ROUTE), reason="no carrier gateway for this account")
        return None
    steps: list[Step] = [Set("sound_prefix", f"$${{sound_prefix_{ext.language}}}")]
    if ext.recording in ("outbound", "all"):
        steps.append(Record(recording_path(routing.domain)))
    mode = toll_mode(ext, leg.dialed.toll_class)
    if mode == "disabled":
        return _barred(steps, f"{leg.dialed.toll_class} calls disabled")
    if mode == "code" and transferred:
        return _barred(steps, f"{leg.dialed.toll_class} calls need an access code: not for a transferred caller")
    if mode == "code" and typed_code is None:
        return Plan.of(*steps, *_ask_code(destination, ext, routing), reason="access code required")
    if mode == "code" and not code_matches(ext, leg.dialed.toll_class, typed_code):
        return Plan.of(*steps, Set(stages.VARIABLE, ""), Play(prompts.path("access-code-invalid")),
                       Hangup(OUTGOING_CALL_BARRED), reason="wrong access code")
    if typed_code is not None:
        steps += [Set(stages.VARIABLE, ""), Set(ACCESS_CODE_VARIABLE, "")]
    return Plan.of(*steps, _ring(leg), reason=f"{leg.dialed.toll_class} call")
