"""Renders a call plan (core data) to FreeSWITCH dialplan XML — every quirk lives here.

NOTES §7: ``call_timeout`` ≤ 0 means 60 s (plans never ask for 0), ``continue_on_fail=true``
lets the plan go on after any failed ring (busy, no answer, refused), and variables inside an
originate ``{}``/``[]`` list containing spaces must be single-quoted (§9.4).

Hidden caller ID through a carrier: the From is anonymous but the carrier still gets the real
number (billing, 911 call-back) in ``P-Asserted-Identity`` with ``Privacy: id`` (RFC 3325/3323).
mod_sofia (sofia_glue.c, sofia_glue_do_invite) writes that header itself from the leg's caller
ID when ``sip_cid_type=pid`` and the caller profile has the ``screen`` flag (without it the header
is P-Preferred-Identity), and ``Privacy: id`` when it has ``hide_number``; but it keeps the number
in the From, so the From is replaced by ``sip_invite_from_uri`` + ``sip_from_display`` (which leave
the PAI host alone, unlike ``sip_from_uri``). Seen on 1.11.1: ``From: "Anonymous"
<sip:anonymous@anonymous.invalid>``, ``Privacy: id``, ``P-Asserted-Identity: "Acme"
<sip:15145550100@<gateway host>>``. Phones never get that header (it would show them the number):
a leg to a phone, or a mix of phones and carriers, stays plainly anonymous.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import singledispatch

from fs_service import prompts
from fs_service.caches import Cache
from fs_service.calls import steps as s

from .documents import ATTRIBUTE_ESCAPES, fs_safe

# FreeSWITCH splits {}/[] lists with switch_separate_string (src/switch_utils.c): ',' ends a
# value, quotes group, and a backslash escapes the next character — so a value ending in a backslash
# would swallow the comma and glue the next variable into it. All of them go.
_UNSAFE_IN_LIST = re.compile(r"[,'{}\[\]^|\\]")


@dataclass(frozen=True)
class RenderOptions:
    voicemail_socket: str


_LIST_HAZARD = re.compile(r"[,'{}\[\]^|\\\r\n ]|\$\{")  # anything _var_value would change


def _var_value(value: str) -> str:
    """A value inside ``{}``/``[]``: list delimiters removed, quoted when it holds a space."""
    if type(value) is str and _LIST_HAZARD.search(value) is None:  # the usual value: as is
        return value
    clean = _UNSAFE_IN_LIST.sub("", fs_safe(value))
    return f"'{clean}'" if " " in clean else clean


def _var_list(items: dict[str, str], brackets: str) -> str:
    if not items:
        return ""
    body = ",".join(f"{k}={_var_value(v)}" for k, v in items.items())
    return f"{brackets[0]}{body}{brackets[1]}"


ANONYMOUS = {"origination_caller_id_name": "Anonymous", "origination_caller_id_number": "anonymous",
             "origination_privacy": "hide_name+hide_number", "sip_cid_type": "pid"}
ANONYMOUS_FROM = {"sip_invite_from_uri": "sip:anonymous@anonymous.invalid", "sip_from_display": "Anonymous"}


def _hidden_to_carrier(name: str | None, number: str) -> dict[str, str]:
    """The real caller ID, asserted to the carrier only (see the module docstring)."""
    return {"origination_caller_id_name": name or number, "origination_caller_id_number": number,
            "origination_privacy": "screen+hide_name+hide_number", "sip_cid_type": "pid", **ANONYMOUS_FROM}


def _caller_id(name: str | None, number: str | None, privacy: bool, carrier: bool) -> dict[str, str]:
    if privacy and carrier and number:
        return _hidden_to_carrier(name, number)
    if privacy:  # NOTES §7: privacy flags alone leave the number in From; show anonymous too
        return dict(ANONYMOUS)
    found = {}
    if name:
        found["origination_caller_id_name"] = name
    if number:
        found["origination_caller_id_number"] = number
    return found


def _endpoint(target: s.Target, extra: dict[str, str]) -> str:
    address = f"user/{target.address}" if target.kind == "user" else f"sofia/gateway/{target.gateway}/{target.address}"
    own_id = _caller_id(target.caller_id_name, target.caller_id_number, target.privacy, target.kind == "gateway")
    return _var_list({**target.variables, **own_id, **extra}, "[]") + address


def _ring_actions(ring: s.Ring) -> list[tuple[str, str]]:
    actions = [("set", f"call_timeout={ring.timeout}"), ("set", "continue_on_fail=true"),
               ("set", "hangup_after_bridge=true")]
    if ring.ringback:
        actions += [("set", f"ringback={ring.ringback}"), ("set", f"transfer_ringback={ring.ringback}")]
    if ring.confirm:
        files = "!".join(ring.confirm.prompts)
        actions += [("set", f"group_confirm_key={ring.confirm.key}"),
                    ("set", f"group_confirm_file=file_string://{files}"), ("set", "ignore_early_media=true")]
    per_leg = {"leg_timeout": str(max(ring.timeout // len(ring.targets), 1))} if ring.sequential else {}
    joiner = "|" if ring.sequential else ","
    carrier = all(t.kind == "gateway" for t in ring.targets)
    ring_id = _caller_id(ring.caller_id_name, ring.caller_id_number, ring.privacy, carrier)
    dial = _var_list(ring_id, "{}") + joiner.join(_endpoint(t, per_leg) for t in ring.targets)
    actions.append(("bridge", dial))
    if ring.confirm:  # the next ring of the plan must not ask for a key
        actions += [("set", "group_confirm_key="), ("set", "group_confirm_file="), ("set", "ignore_early_media=")]
    return actions


@singledispatch
def actions_for(step, options: RenderOptions) -> list[tuple[str, str]]:
    raise TypeError(f"no renderer for {type(step).__name__}")


@actions_for.register
def _(step: s.Set, options):
    return [("export" if step.export else "set", f"{step.name}={step.value}")]


@actions_for.register
def _(step: s.Answer, options):
    return [("answer", "")]


@actions_for.register
def _(step: s.Play, options):
    return [("playback", step.file)]


@actions_for.register
def _(step: s.Sleep, options):
    return [("sleep", str(step.milliseconds))]


@actions_for.register
def _(step: s.Ring, options):
    return _ring_actions(step)


@actions_for.register
def _(step: s.Record, options):
    return [("set", "RECORD_BRIDGE_REQ=true"), ("record_session", step.path)]


@actions_for.register
def _(step: s.RecordPrompt, options):
    return [("record", f"{step.path} {step.max_seconds} 200 2")]


# The voicemail service down (NOTES §6): ``socket`` fails to connect, logs and returns, and the
# dialplan goes on -- so the switch itself says so instead of leaving the caller in silence.
# Seen on 1.11.1: when the service goes away mid-call, the running application (a ``record``)
# completes and the dialplan also goes on after ``socket``; a deposit sets pbx_vm_fallback to
# "your message was sent" before recording (the file is filed when the service is back:
# fs_service/voicemail/recovery.py). A call the service ends itself is hung up before this.
VOICEMAIL_FALLBACK = "pbx_vm_fallback"
SERVICE_UNAVAILABLE = prompts.path("vm-service-unavailable")


def _voicemail_socket(options) -> list[tuple[str, str]]:
    return [("set", f"{VOICEMAIL_FALLBACK}={SERVICE_UNAVAILABLE}"),
            ("socket", f"{options.voicemail_socket} async full"),
            ("answer", ""), ("playback", f"${{{VOICEMAIL_FALLBACK}}}"), ("hangup", "NORMAL_CLEARING")]


@actions_for.register
def _(step: s.Voicemail, options):
    return [("set", "pbx_vm_action=deposit"), ("set", f"pbx_vm_box={step.box}"),
            ("set", f"pbx_vm_domain={step.domain}"), ("set", f"pbx_vm_greeting={step.greeting}"),
            ("set", f"pbx_vm_skip_greeting={'true' if step.skip_greeting else 'false'}"),
            *_voicemail_socket(options)]


@actions_for.register
def _(step: s.VoicemailLogin, options):
    return [("set", "pbx_vm_action=login"), ("set", f"pbx_vm_box={step.box or ''}"),
            ("set", f"pbx_vm_domain={step.domain}"), *_voicemail_socket(options)]


@actions_for.register
def _(step: s.CollectDigits, options):
    invalid = step.invalid_prompt or "silence_stream://250"
    return [("play_and_get_digits", f"{step.min_digits} {step.max_digits} {step.tries} {step.timeout_ms} # "
                                    f"{step.prompt} {invalid} {step.variable} {step.regex}")]


@actions_for.register
def _(step: s.Transfer, options):
    return [("transfer", f"{step.destination} XML {step.context}")]


@actions_for.register
def _(step: s.Intercept, options):
    return [("intercept", step.uuid)]


@actions_for.register
def _(step: s.MarkRinging, options):
    key = f"{step.domain}-ringing/{step.extension}"
    return [("hash", f"insert/{key}/${{uuid}}"), ("set", f"api_on_answer=hash delete/{key}")]


@actions_for.register
def _(step: s.Hangup, options):
    return [("hangup", step.cause)]


@actions_for.register
def _(step: s.Ivr, options):
    return [("ivr", step.menu)]


@actions_for.register
def _(step: s.RecordClosure, options):
    number = "" if step.number_id is None else str(step.number_id)
    return [("set", "pbx_vm_action=closure-record"), ("set", f"pbx_closure_number_id={number}"),
            ("set", f"pbx_vm_domain={step.domain}"), *_voicemail_socket(options)]


# Call park (mod_valet_parking.c, NOTES §3). The parked channel's valet_parking_timeout /
# _orbit_exten / _orbit_dialplan / _orbit_context decide the ring back (the module copies them
# into the inline transfer of a bridged partner or of an attended transfer's caller). A value
# left by an earlier park would apply again, so every park sets all four; empty = unset.
RETRIEVE_GUARD_SECONDS = 3


@actions_for.register
def _(step: s.Park, options):
    back = bool(step.return_to and step.return_context and step.timeout > 0)
    actions = [("set", f"valet_parking_timeout={step.timeout if back else ''}"),
               ("set", f"valet_parking_orbit_exten={step.return_to if back else ''}"),
               ("set", f"valet_parking_orbit_dialplan={'XML' if back else ''}"),
               ("set", f"valet_parking_orbit_context={step.return_context if back else ''}")]
    if step.music:  # else a transferred caller (no hold_music variable) would hear silence
        actions.append(("set", f"valet_hold_music=local_stream://{step.music}"))
    return actions + [("valet_park", f"{step.lot} auto in {step.slot_min} {step.slot_max}")]


@actions_for.register
def _(step: s.RetrieveParked, options):
    # ``valet_park <lot> <slot>`` parks the caller itself in an empty slot; ``auto out`` on a
    # one-slot range takes the call there, or plays valet_lot_empty and returns. A slot left
    # less than 5 s ago can still be taken for occupied (the module purges every 5 s) and park
    # the caller: the short timeout, with no orbit, ends that wait and the plan goes on.
    return [("set", "valet_parking_orbit_exten="), ("set", f"valet_parking_timeout={RETRIEVE_GUARD_SECONDS}"),
            ("valet_park", f"{step.lot} auto out {step.slot} {step.slot}")]


@actions_for.register
def _(step: s.ReceiveFax, options):
    # NOTES §5: the SDP layer refuses the far end's T.38 re-INVITE unless fax_enable_t38 is
    # true on the channel; with _request we also re-INVITE ourselves (as a receiving gateway
    # conventionally does), falling back to audio when refused. rxfax answers by itself; the
    # explicit answer keeps the order obvious. ${uuid} in the path is expanded by FreeSWITCH.
    return [("set", f"pbx_fax_number_id={int(step.number_id)}"), ("set", "fax_enable_t38=true"),
            ("set", "fax_enable_t38_request=true"), ("answer", ""), ("rxfax", step.path)]


@actions_for.register
def _(step: s.JoinConference, options):
    # ``name@profile+flags{…}`` (NOTES §4): wait-mod applies only when this join creates the room.
    flags = "+flags{moderator}" if step.moderator else ""
    return [("set", "conference_flags=wait-mod"), ("conference", f"{step.name}@{step.profile}{flags}")]


# The document around the actions, exactly as lxml pretty-prints it (golden files); built as
# text because a tree costs more than the whole cached plan (bench.dialplan).
_HEAD = ('<document type="freeswitch/xml">\n  <section name="dialplan">\n    <context name="{context}">\n'
         '      <extension name="pbx">\n        <condition field="destination_number" expression="^.*$"')
_TAIL = "      </extension>\n    </context>\n  </section>\n</document>\n"
# XML attribute escaping as lxml does it; characters XML 1.0 cannot carry are dropped (lxml
# would refuse the whole document, and FreeSWITCH with it).
_ATTRIBUTE = str.maketrans({**ATTRIBUTE_ESCAPES, "\ufffe": None, "\uffff": None,
                            **{chr(c): None for c in range(32) if chr(c) not in "\t\n\r"}})


_NEEDS_ESCAPING = re.compile("[&<>\"\x00-\x1f\ufffe\uffff]")


def _attribute(value: str) -> str:
    return value.translate(_ATTRIBUTE) if _NEEDS_ESCAPING.search(value) else value


# Documents of memoised plans, under the plan's own memo key (steps.Plan.key: the planner's
# explicit key) and the rendering's inputs; a plan made for one call is rendered and forgotten.
_SHARED: Cache[tuple, bytes] = Cache("dialplan.documents", 20000)


def render(plan: s.Plan, context: str, options: RenderOptions) -> bytes:
    """One context, one extension, one always-true condition holding the plan's actions.

    Values come from validated data or from our own templates; anything typed by a user passed
    through the schema rules and is made inert by fs_safe in ``{}``/``[]`` lists.
    """
    if plan.key is None:
        return _render(plan, context, options)
    return _SHARED.get_or_build((plan.key, context, options.voicemail_socket),
                                lambda: _render(plan, context, options))


def _render(plan: s.Plan, context: str, options: RenderOptions) -> bytes:
    actions = [action for step in plan.steps for action in actions_for(step, options)]
    # One scan of every value decides whether any needs escaping (they rarely do).
    escape = _NEEDS_ESCAPING.search("".join(data for _, data in actions)) is not None
    lines = [_HEAD.format(context=_attribute(context))]
    for app, data in actions:
        if data:
            lines.append(f'          <action application="{app}" data="{_attribute(data) if escape else data}"/>\n')
        else:
            lines.append(f'          <action application="{app}"/>\n')
    lines[0] += ">\n" if len(lines) > 1 else "/>\n"
    if len(lines) > 1:
        lines.append("        </condition>\n")
    lines.append(_TAIL)
    return "".join(lines).encode()
