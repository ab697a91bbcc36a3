"""Treatments for a call in the account's context (VM-3 keys 0 / * of an internal caller).

The voicemail service sends a caller who pressed 0 or * to a treatment with no number of its
own by transferring it to ``pbx-treatment`` with ``pbx_stage=treatment:<id>``
(fs_service/voicemail/keys.py); the call stays in the context it was in, here the account's SIP
domain (a phone of the account leaving a message for a colleague, or a guest). The treatment is
planned by the same planner as a company number's (:mod:`.treatment_plan`), with every
re-entry pointed back at this context: a welcome menu's keys (``menu:<id>``, the ``ivr`` app's
entries transfer into the domain, see xml_curl/configuration.py) and its timeout
(``menu-timeout:<id>``) come back here.

Ids are looked up in this account only (``world`` is scoped to it): a treatment or menu of
another account is refused like a stale stage.
"""
from __future__ import annotations

from typing import Protocol

from ..calls import stages
from ..calls.model import AccountRouting, CallRequest, ExtensionSnapshot
from ..calls.steps import CALL_REJECTED, Hangup, Plan, Set
from .account_world import AccountWorld
from .public_model import MENU_FAILURES_VARIABLE, MenuSnapshot, TreatmentSnapshot
from .treatment_plan import AccountScope, Caller, menu_choice, menu_timeout, plan_treatment


class AccountTreatments(Protocol):
    """The treatment planner's questions, answered for one account (account_world.py, or a test double)."""

    def treatment(self, account_id: int, treatment_id: int) -> TreatmentSnapshot | None: ...
    def menu(self, account_id: int, menu_id: int) -> MenuSnapshot | None: ...
    def mailbox_number(self, account_id: int, mailbox_id: int) -> str | None: ...
    def directory(self, entry): ...
    def routing(self, entry) -> AccountRouting: ...


def internal_caller(req: CallRequest, routing: AccountRouting, caller: ExtensionSnapshot | None) -> Caller:
    hops = req.var("pbx_forward_hops", "0")
    return Caller(req.caller_name, req.caller_number, int(hops) if hops.isdigit() else 0, context=routing.domain,
                  record=caller is not None and caller.recording in ("outbound", "all"),
                  may_record_closure=caller is not None)


def plan_treatment_stage(req: CallRequest, routing: AccountRouting, caller: ExtensionSnapshot | None,
                         directory, world: AccountTreatments | None, kind: str, ident: int) -> Plan:
    if world is None:
        world = AccountWorld(directory)
    scope, who, clear = AccountScope(routing.account_id, routing.domain), internal_caller(req, routing, caller), \
        Set(stages.VARIABLE, "")
    if kind == stages.TREATMENT:
        if world.treatment(routing.account_id, ident) is None:
            return Plan.of(clear, Hangup(CALL_REJECTED), reason="stale or foreign treatment")
        steps = plan_treatment(world, scope, ident, who, [Hangup()])
        return Plan((clear, *steps), f"treatment {ident} from voicemail")
    if world.menu(routing.account_id, ident) is None:
        return Plan.of(clear, Hangup(CALL_REJECTED), reason="stale or foreign menu")
    reset = Set(MENU_FAILURES_VARIABLE, "")
    if kind == stages.MENU:
        steps = menu_choice(world, scope, ident, req.destination, who, req.var(MENU_FAILURES_VARIABLE))
        return Plan((clear, reset, *steps), f"menu {ident}: {req.destination}")
    return Plan((clear, reset, *menu_timeout(world, scope, ident, who)), f"menu {ident}: no choice")
