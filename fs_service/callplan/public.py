"""Calls arriving from the carrier on a company number (context ``public``, DESIGN flow 3).

First request (Caller-Destination-Number = the DID as the carrier sends it): find the
number (unknown → ``UNALLOCATED_NUMBER``, SIP 404), screen the caller against the account's
blacklist (refused → ``CALL_REJECTED``, SIP 603), decide open / closed / exception with
:func:`fs_service.numbers.schedule_rules.decide` at the clock's now — the very function the schedule
preview calls — and plan that treatment; the closure message (HRS-4) plays first when the
call follows the number's usual closed behaviour.

Later requests of the same call are re-entries — a welcome menu key or its timeout, a forward
to another extension, "press 1 to be forwarded", or a phone's blind transfer of the call: the
channel carries ``pbx_number_id``, and ``pbx_stage`` says which dialogue is resuming.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Callable

from fax.storage import FaxStorage

from ..caches import Cache
from ..calls import stages
from ..calls.model import CallRequest
from ..calls.steps import (CALL_REJECTED, UNALLOCATED_NUMBER, Answer, Hangup, Plan, Play, ReceiveFax, Set, Step,
                           Voicemail, VoicemailLogin)
from ..fax import current_storage
from ..numbering import NUMBER_VARIABLE, VOICEMAIL_ACCESS, nanp_e164
from ..numbers.schedule_rules import decide
from .extension_call import plan_forward_confirmed
from .internal import guest_outbound
from .public_model import MENU_FAILURES_VARIABLE, NumberEntry, PublicWorld
from .treatment_plan import (MAX_CHAIN, MENU, MENU_TIMEOUT, Caller, menu_choice, menu_timeout, not_in_service,
                             office_closed, plan_treatment, public_transfers, ring_extension)

TREATMENT_STAGE = stages.TREATMENT  # set by the voicemail service for keys 0 and *


def _caller(req: CallRequest) -> Caller:
    hops = req.var("pbx_forward_hops", "0")
    return Caller(req.caller_name, req.caller_number, int(hops) if hops.isdigit() else 0)


def plan_public(req: CallRequest, world: PublicWorld, now: Callable[[], datetime]) -> Plan:
    number_id = req.var(NUMBER_VARIABLE)
    if number_id.isdigit():
        entry = world.number_by_id(int(number_id))
        if entry is not None:
            return plan_reentry(req, entry, world)
    e164 = nanp_e164(req.destination)
    entry = world.number_by_e164(e164) if e164 else None
    if entry is None:
        return Plan.of(Hangup(UNALLOCATED_NUMBER), reason=f"unknown number {req.destination!r}")
    screening = world.screen(entry, req.caller_number, req.variables)
    if not screening.allowed:
        return Plan.of(Hangup(CALL_REJECTED), reason=screening.reason)
    if entry.is_fax:
        return plan_fax_number(entry)
    return plan_first(req, entry, world, now())


# Memo of plan_first for bursts on one number: within one second the schedule's decision cannot
# change (rules are evaluated to the second), and a treatment that reads no live state and no
# caller (anything but an extension: a menu, a message, a mailbox, voicemail login, hang up) is
# the same plan for every caller. Keyed by the number, the second, and the tokens of everything
# the plan is made of (the number's rules, the account's routing and directory: world.state_of).
_FIRST: Cache[tuple, Plan] = Cache("callplan.first_plans", 4096)


def _same_for_every_caller(world: PublicWorld, entry: NumberEntry, treatment_id: int | None) -> bool:
    """Follows plan_treatment's chain: False as soon as it would ring an extension."""
    for _ in range(MAX_CHAIN):
        t = world.treatment(entry.account_id, treatment_id) if treatment_id is not None else None
        if t is None or t.kind != "message" or t.message_then != "continue" or not t.message_path:
            return t is None or t.kind != "extension"
        treatment_id = t.next_treatment_id
    return True  # plan_treatment stops the chain there with a hang-up


def plan_first(req: CallRequest, entry: NumberEntry, world: PublicWorld, at: datetime) -> Plan:
    state_of = getattr(world, "state_of", None)  # worlds that cannot name their versions: no memo
    state = state_of(entry) if state_of is not None else None
    if state is None:
        return _plan_first(req, entry, world, at)
    key = ("first", entry.account_id, entry.id, int(at.timestamp()), entry.e164, entry.domain,
           entry.closure_message, state)
    found = _FIRST.lookup(key)
    if found is not None:
        return found
    plan = _plan_first(req, entry, world, at)
    return _FIRST.put(key, replace(plan, key=key)) if plan.shared else plan


def _plan_first(req: CallRequest, entry: NumberEntry, world: PublicWorld, at: datetime) -> Plan:
    decision = decide(entry.rules, at)
    steps: list[Step] = [Set(NUMBER_VARIABLE, str(entry.id))]
    if decision.default_closed and entry.closure_message:
        steps += [Answer(), Play(entry.closure_message)]
    default = not_in_service() if decision.state == "open" else office_closed()
    steps += plan_treatment(world, entry, decision.treatment_id, _caller(req), default)
    closure = ", closure message first" if decision.default_closed and entry.closure_message else ""
    return Plan(_answer_once(steps), f"{entry.e164}: {decision.reason}{closure}",
                shared=_same_for_every_caller(world, entry, decision.treatment_id))


def _answer_once(steps: list[Step]) -> tuple[Step, ...]:
    """The closure message answers; the treatment after it need not answer again."""
    first = next((i for i, step in enumerate(steps) if isinstance(step, Answer)), len(steps))
    return tuple(steps[:first + 1]) + tuple(s for s in steps[first + 1:] if not isinstance(s, Answer))


def plan_fax_number(entry: NumberEntry) -> Plan:
    """FAX-7: calls to a fax number are answered by mod_spandsp's rxfax (T.38 allowed)."""
    return Plan(tuple(fax_receive_steps(entry)), reason=f"{entry.e164}: fax number")


def fax_receive_steps(number, fs_root: str | None = None) -> list[Step]:
    """Steps answering a call to ``number`` (anything with an ``id``: NumberEntry, PhoneNumber):
    :class:`ReceiveFax` (rendered by xml_curl/dialplan.py to T.38 on, answer, ``rxfax <file>``)
    then hang up. The file is in the shared fax storage as FreeSWITCH sees it (``fs_root``, or the
    settings'), named per number and channel (``${uuid}``, expanded by FreeSWITCH); the number id
    rides on the channel (``pbx_fax_number_id``) so the rxfaxresult event finds it."""
    storage = FaxStorage(Path(fs_root), PurePosixPath(fs_root)) if fs_root else current_storage()
    path = storage.inbound_tiff_pattern(int(number.id))
    return [ReceiveFax(number_id=int(number.id), path=path), Hangup()]


def plan_reentry(req: CallRequest, entry: NumberEntry, world: PublicWorld) -> Plan:
    kind, _, ident = req.var(stages.VARIABLE).partition(":")
    clear = Set(stages.VARIABLE, "")
    if kind == MENU and ident.isdigit():
        steps = menu_choice(world, entry, int(ident), req.destination, _caller(req), req.var(MENU_FAILURES_VARIABLE))
        return Plan((clear, Set(MENU_FAILURES_VARIABLE, ""), *steps), f"menu {ident}: {req.destination}")
    if kind == MENU_TIMEOUT and ident.isdigit():
        steps = menu_timeout(world, entry, int(ident), _caller(req))
        return Plan((clear, Set(MENU_FAILURES_VARIABLE, ""), *steps), f"menu {ident}: no choice")
    if kind == TREATMENT_STAGE and ident.isdigit():  # voicemail key 0 / * (fs_service/voicemail/keys.py)
        steps = plan_treatment(world, entry, int(ident), _caller(req), [Hangup()])
        return Plan((clear, *public_transfers(steps, entry.domain)), f"treatment {ident} from voicemail")
    directory = world.directory(entry)
    if kind == stages.FORWARD_CONFIRM and ident.isdigit():
        ext = directory.extension_by_id(int(ident))
        if ext is None:
            return Plan.of(clear, Hangup(CALL_REJECTED), reason="stale forward stage")
        steps = plan_forward_confirmed(ext, world.routing(entry), req.var("pbx_forward_choice"),
                                       _caller(req).forward_hops).steps
        return Plan(tuple(public_transfers(steps, entry.domain)), "forward choice")
    return Plan((clear, *transferred(req, entry, world, directory)), f"transferred to {req.destination}")


def transferred(req: CallRequest, entry: NumberEntry, world: PublicWorld, directory) -> list[Step]:
    """A forward to another extension, or a phone's blind transfer of this call (the carrier's
    leg stays in ``public``): extensions, standalone mailboxes and 8500 of the same account,
    and external numbers with the rights of the phone that transferred the call (the leg it was
    bridged to, as for a guest in the account's context: internal.guest_outbound)."""
    ext = directory.extension(req.destination)
    if ext is not None:
        return ring_extension(world, entry, ext, _caller(req))
    if req.destination == VOICEMAIL_ACCESS:
        return [VoicemailLogin(entry.domain)]
    box = directory.standalone_mailbox(req.destination) if req.destination.isdigit() else None
    if box:
        return [Voicemail(box, entry.domain)]
    outside = guest_outbound(req, world.routing(entry), directory)
    return list(outside.steps) if outside is not None else [Hangup(UNALLOCATED_NUMBER)]
