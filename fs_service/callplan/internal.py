"""Calls placed by a phone of the account (context = the account's SIP domain).

Guests. Only FreeSWITCH puts a channel in this context: a phone authenticated in the domain
(its ``user_context``), or a transfer -- our own dialplan's, or a phone's blind transfer of the
other party (e.g. the customer a phone called through the carrier). A transferred channel that
is not an authenticated phone of the account is a *guest*: it reaches extensions, park,
mailboxes and voicemail login, never pickup.

A guest dialing an external number (a phone forwarding a customer to a mobile) calls with the
rights of the phone that transferred it -- its toll classes, outbound caller ID and recording
(:func:`.outbound.plan_outbound`) -- and only when that phone is known for sure: the leg the
guest was last bridged to (``last_bridge_to``, set by FreeSWITCH's core) must be a live channel
of an extension of *this* account (:func:`.park.transferor`); otherwise "transferred caller may
not call out". The REFER's Referred-By header is written by the phone and never believed.
Emergency numbers are always allowed with it; a class the transferor may call only "with code"
is barred (``call-not-allowed``, OUTGOING_CALL_BARRED): nobody left on the call knows the code.

Treatments. Voicemail keys 0 / * send an internal caller to a treatment with no number of its
own (welcome menu, message…) as ``pbx-treatment`` with ``pbx_stage=treatment:<id>``; the menu's
keys and timeout re-enter here with ``menu:<id>`` / ``menu-timeout:<id>``. They are planned by
the public side's treatment planner (:mod:`.internal_treatment`), ids checked against this
account.
"""
from __future__ import annotations

from ..calls import stages
from ..calls.dialing import classify
from ..calls.model import AccountDirectory, AccountRouting, CallRequest, ExtensionSnapshot
from ..calls.outbound import ACCESS_CODE_VARIABLE, plan_outbound
from ..calls.park import REFER_TO, transferor
from ..calls.steps import CALL_REJECTED, UNALLOCATED_NUMBER, Hangup, Intercept, Plan, Voicemail, VoicemailLogin
from ..conferences.dialin import plan_conference_stage, plan_conference_start
from ..numbering import CONFERENCE_ACCESS, PARK, PARK_SLOTS, VOICEMAIL_ACCESS
from ..park.lot import blind_transferred_to
from .extension_call import plan_extension, plan_forward_confirmed
from .internal_treatment import plan_treatment_stage

TREATMENT_STAGES = (stages.TREATMENT, stages.MENU, stages.MENU_TIMEOUT)

PICKUP_PREFIX = "**"


def caller_extension_number(req: CallRequest) -> str:
    """The authenticated SIP user; a softphone "101-2" calls as extension 101."""
    return req.var("user_name").split("-", 1)[0]


def _stage_plan(req: CallRequest, routing: AccountRouting, caller: ExtensionSnapshot | None,
                directory: AccountDirectory, world) -> Plan | None:
    stage = stages.decode(req.var(stages.VARIABLE))
    if stage is None:
        return None
    kind, ident = stage
    if kind in TREATMENT_STAGES and ident.isdigit():
        return plan_treatment_stage(req, routing, caller, directory, world, kind, int(ident))
    if kind == stages.FORWARD_CONFIRM and ident.isdigit():
        callee = directory.extension_by_id(int(ident))
        if callee is not None:
            hops = int(req.var("pbx_forward_hops", "0") or 0)
            return Plan(tuple(plan_forward_confirmed(callee, routing, req.var("pbx_forward_choice"), hops)),
                        "forward confirmed" if req.var("pbx_forward_choice") == "1" else "forward declined")
    if kind in (stages.CONFERENCE_ROOM, stages.CONFERENCE_CODE):
        return plan_conference_stage(req, routing, kind, ident)
    if kind == stages.ACCESS_CODE and caller is not None and ident == str(caller.id):
        return plan_outbound(req.destination, caller, routing, typed_code=req.var(ACCESS_CODE_VARIABLE))
    return Plan.of(Hangup(CALL_REJECTED), reason="stale or foreign dialogue stage")


def _plan_destination(req: CallRequest, routing: AccountRouting, directory: AccountDirectory,
                      caller: ExtensionSnapshot | None) -> Plan | None:
    """Destinations anyone in the account's context may reach, a transferred caller included."""
    dest = req.destination
    callee = directory.extension(dest)
    if callee is not None:
        hops = int(req.var("pbx_forward_hops", "0") or 0)
        record = caller is not None and caller.recording in ("outbound", "all")
        return plan_extension(callee, routing, caller_name=req.caller_name, caller_number=req.caller_number,
                              record=record, hops=hops)
    if dest == CONFERENCE_ACCESS:
        return plan_conference_start(routing, caller.language if caller else "fr")
    if dest == VOICEMAIL_ACCESS:
        return Plan.of(VoicemailLogin(routing.domain, caller.voicemail_box if caller else None),
                       reason="voicemail access")
    if dest == PARK or dest in PARK_SLOTS:
        # A guest, or the other party of an internal call (an authenticated phone itself), was
        # blind-transferred here: the phone it was bridged to parked it, never the parked party.
        transferred = caller is None or blind_transferred_to(req.var(REFER_TO), dest)
        parker = transferor(req, directory) if transferred else None
        parked = directory.park_plan(dest, None if transferred else caller, parker)
        if parked is not None:
            return parked
    box = directory.standalone_mailbox(dest)
    if box is not None:
        return Plan.of(Voicemail(box, routing.domain), reason="mailbox")
    return None


def _caller_only(req: CallRequest, routing: AccountRouting, caller: ExtensionSnapshot) -> Plan | None:
    """Destinations that use the caller's own rights: pickup and calls through the carrier."""
    dest = req.destination
    if dest.startswith(PICKUP_PREFIX) and dest[2:].isdigit():
        if not caller.pickup_allowed:
            return Plan.of(Hangup(CALL_REJECTED), reason="call pickup not allowed for this extension")
        return Plan.of(Intercept(f"${{hash(select/{routing.domain}-ringing/{dest[2:]})}}"), reason="pickup")
    return plan_outbound(dest, caller, routing)


def guest_outbound(req: CallRequest, routing: AccountRouting, directory: AccountDirectory) -> Plan | None:
    """A guest dialing an external number: with the rights of the extension of this account
    that blind-transferred it (the leg it was bridged to), or not at all."""
    if classify(req.destination) is None:
        return None
    by = transferor(req, directory)
    if by is None:
        return Plan.of(Hangup(CALL_REJECTED), reason="transferred caller may not call out")
    planned = plan_outbound(req.destination, by, routing, transferred=True)
    return Plan(planned.steps, f"transferred by {by.number}: {planned.reason}")


def plan_internal(req: CallRequest, routing: AccountRouting, directory: AccountDirectory, world=None) -> Plan:
    """A call in the account's context (a phone of the account, or a guest: module docstring).

    ``world`` answers the treatment planner's questions (treatments, menus) for this account;
    None: read from the database when a treatment stage needs it."""
    authenticated = req.var("domain_name").lower() == routing.domain
    caller = directory.extension(caller_extension_number(req)) if authenticated else None
    if authenticated and caller is None:
        return Plan.of(Hangup(CALL_REJECTED), reason="caller is not an extension of this account")
    staged = _stage_plan(req, routing, caller, directory, world)
    if staged is not None:
        return staged
    planned = _plan_destination(req, routing, directory, caller)
    if planned is None and caller is not None:
        planned = _caller_only(req, routing, caller)
    if planned is None and caller is None:
        planned = guest_outbound(req, routing, directory)
    return planned or Plan.of(Hangup(UNALLOCATED_NUMBER), reason="unknown destination")
