"""Ringing an extension with every one of its settings (EXT-3, FWD-1..3, FMFM-1).

Order of precedence, as the guide describes it: do-not-disturb, then the busy behaviour when
the person is already on a call, then forwarding, then find-me/follow-me (only when forwarding
is off), then voicemail. Ring durations are always > 0 (NOTES §7: 0 would mean 60 s).
"""
from __future__ import annotations

from dataclasses import replace

from .. import prompts
from ..caches import Cache
from ..calls import stages
from ..calls.model import AccountRouting, ExtensionSnapshot
from ..calls.outbound import carrier_leg
from ..calls.recording import recording_path
from ..calls.steps import (NO_ANSWER, RING_FOREVER, USER_BUSY, Answer, CollectDigits, Confirm, Hangup, MarkRinging,
                           Plan, Play, Record, RecordPrompt, Ring, Set, Step, Target, Transfer, Voicemail)

FOLLOW_ME_LEG_SECONDS = 30  # how long the follow-me number rings (a mobile's voicemail answers ~25 s)
FORWARD_CHOICE = "pbx_forward_choice"
SCREEN_FILE = "/tmp/pbx-screen-${uuid}.wav"
MAX_FORWARD_HOPS = 3


def language_steps(ext: ExtensionSnapshot) -> list[Step]:
    """Prompts the caller hears from now on are in the callee's language."""
    return [Set("default_language", ext.language), Set("sound_prefix", f"$${{sound_prefix_{ext.language}}}")]


def user_target(ext: ExtensionSnapshot, routing: AccountRouting) -> Target:
    return Target("user", f"{ext.number}@{routing.domain}")


def after_no_answer(ext: ExtensionSnapshot, routing: AccountRouting, skip_greeting: bool = False) -> list[Step]:
    if ext.voicemail_box:
        return [Voicemail(ext.voicemail_box, routing.domain, greeting="auto", skip_greeting=skip_greeting)]
    return [Hangup(NO_ANSWER)]


def ring_seconds(ext: ExtensionSnapshot, something_follows: bool) -> int:
    """The guide: 0 rings forever, and so does an extension with nothing after the ringing."""
    if ext.ring_seconds <= 0 or not something_follows:
        return RING_FOREVER
    return ext.ring_seconds


def forward_leg(ext: ExtensionSnapshot, routing: AccountRouting, hops: int) -> list[Step]:
    """The forwarded call: another extension (with its own settings) or an external number."""
    fwd = ext.forward
    if fwd.is_extension:
        if hops >= MAX_FORWARD_HOPS:  # A → B → A … would ring forever
            return []
        return [Set("pbx_forward_hops", str(hops + 1)), Transfer(fwd.destination, routing.domain)]
    leg = carrier_leg(fwd.destination, ext, routing, purpose="forward")
    return [Ring((leg.target,), RING_FOREVER if not ext.voicemail_box else FOLLOW_ME_LEG_SECONDS,
                 caller_id_name=leg.identity.name, caller_id_number=leg.identity.number,
                 privacy=leg.identity.hidden)] if leg else []


def plan_forward(ext: ExtensionSnapshot, routing: AccountRouting, hops: int) -> list[Step]:
    fwd = ext.forward
    ring = Ring((user_target(ext, routing),), ring_seconds(ext, True))
    if fwd.mode == "always":
        return forward_leg(ext, routing, hops) + after_no_answer(ext, routing)
    if fwd.mode == "no_answer":
        return [ring, *forward_leg(ext, routing, hops), *after_no_answer(ext, routing)]
    if fwd.mode == "simultaneous":
        extra = forward_leg(ext, routing, hops)
        targets = (user_target(ext, routing),)
        if fwd.is_extension:
            targets += (Target("user", f"{fwd.destination}@{routing.domain}"),)
        elif extra:  # the carrier leg keeps its own caller ID (the company's, not the caller's)
            leg = extra[0]
            targets += tuple(replace(t, caller_id_name=leg.caller_id_name, caller_id_number=leg.caller_id_number,
                                     privacy=leg.privacy) for t in leg.targets)
        return [Ring(targets, ring_seconds(ext, True)), *after_no_answer(ext, routing)]
    # confirm: after the ring time, the caller presses 1 to be forwarded (decided on re-entry)
    return [ring, Answer(), CollectDigits(FORWARD_CHOICE, prompts.path("press-1-to-forward"), 1, 1,
                                          tries=1, regex="1"),
            Set(stages.VARIABLE, stages.encode(stages.FORWARD_CONFIRM, ext.id)),
            Transfer(ext.number, routing.domain)]


def plan_forward_confirmed(ext: ExtensionSnapshot, routing: AccountRouting, choice: str, hops: int) -> list[Step]:
    forward = forward_leg(ext, routing, hops) if choice == "1" and ext.forward else []
    return [Set(stages.VARIABLE, ""), *forward, *after_no_answer(ext, routing)]


def plan_follow_me(ext: ExtensionSnapshot, routing: AccountRouting, caller_name: str,
                   caller_number: str) -> list[Step]:
    fm = ext.follow_me
    steps: list[Step] = [Ring((user_target(ext, routing),), max(fm.ring_seconds, 1))]
    leg = carrier_leg(fm.number, ext, routing, purpose="follow_me")
    if leg is None:
        return steps + after_no_answer(ext, routing, fm.skip_greeting)
    confirm = None
    if fm.screening:  # the caller records their name; the person reached hears it, presses 1
        steps += [Answer(), Play(prompts.path("say-your-name")), RecordPrompt(SCREEN_FILE)]
        confirm = Confirm("1", (prompts.path("call-from"), SCREEN_FILE, prompts.path("press-1-to-accept")))
    name, number = (caller_name, caller_number) if fm.pass_caller_id else (leg.identity.name, leg.identity.number)
    ringback = f"local_stream://{ext.music_on_hold}" if fm.music_on_hold else None
    steps.append(Ring((leg.target,) * (fm.extra_attempts + 1), FOLLOW_ME_LEG_SECONDS * (fm.extra_attempts + 1),
                      sequential=True, ringback=ringback, confirm=confirm, caller_id_name=name,
                      caller_id_number=number, privacy=leg.identity.hidden and not fm.pass_caller_id))
    return steps + after_no_answer(ext, routing, fm.skip_greeting)


# Memo of plan_extension, a pure function of its inputs, keyed by their values: the routing
# (which names the account), the extension's settings and the few call facts that matter. Any
# change of a setting is a different snapshot value, so a different key (the account view that
# holds the snapshots is itself renewed with the account's directory token): an extension called
# a hundred times is planned once per settings change. Hashing the frozen snapshot costs ~1 µs.
_PLANS: Cache[tuple, Plan] = Cache("callplan.extension_plans", 20000)


def _caller_matters(ext: ExtensionSnapshot) -> bool:
    """Only follow-me with "pass the caller's number" puts the caller's ID in the plan."""
    return ext.forward is None and ext.follow_me is not None and ext.follow_me.pass_caller_id


def plan_extension(ext: ExtensionSnapshot, routing: AccountRouting, *, caller_name: str = "",
                   caller_number: str = "", record: bool = False, hops: int = 0) -> Plan:
    """Everything that happens when someone calls this extension."""
    if ext.busy:  # live state: a fresh snapshot each call, nothing to share
        return _plan_extension(ext, routing, caller_name, caller_number, record, hops)
    caller = (caller_name, caller_number) if _caller_matters(ext) else None
    key = ("extension", routing, ext, caller, record, hops)
    found = _PLANS.lookup(key)
    if found is not None:
        return found
    plan = _plan_extension(ext, routing, caller_name, caller_number, record, hops)
    return _PLANS.put(key, Plan(plan.steps, plan.reason, shared=True, key=key))


def _plan_extension(ext: ExtensionSnapshot, routing: AccountRouting, caller_name: str, caller_number: str,
                    record: bool, hops: int) -> Plan:
    steps: list[Step] = language_steps(ext)
    if record or ext.recording in ("inbound", "all"):
        steps.append(Record(recording_path(routing.domain)))
    if ext.dnd:
        if ext.dnd_mode == "voicemail" and ext.voicemail_box:
            return Plan(tuple(steps + after_no_answer(ext, routing)), "do not disturb: voicemail")
        return Plan(tuple(steps + [Hangup(USER_BUSY)]), "do not disturb: busy")
    if ext.busy and ext.busy_behaviour == "message":
        return Plan(tuple(steps + [Answer(), Play(prompts.path("user-busy")), Hangup(USER_BUSY)]),
                    "already on a call: message")
    if ext.busy and ext.busy_behaviour == "voicemail" and ext.voicemail_box:
        return Plan(tuple(steps + [Voicemail(ext.voicemail_box, routing.domain, greeting="busy")]),
                    "already on a call: voicemail")
    steps.append(MarkRinging(routing.domain, ext.number))
    if ext.forward:
        return Plan(tuple(steps + plan_forward(ext, routing, hops)), f"forward {ext.forward.mode}")
    if ext.follow_me:
        return Plan(tuple(steps + plan_follow_me(ext, routing, caller_name, caller_number)), "follow-me")
    ring = Ring((user_target(ext, routing),), ring_seconds(ext, bool(ext.voicemail_box)))
    return Plan(tuple(steps + [ring] + after_no_answer(ext, routing)), "ring")
