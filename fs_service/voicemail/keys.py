"""What keys 0 and * do during a greeting (VM-3): each routes to a call treatment.

Left empty, key 0 goes to the account's reception (``Account.reception_treatment_id``) and *
to voicemail access (the login dialogue). Treatments the voicemail service can carry out on
the same channel are done locally (login, deposit in another box, play a message, hang up);
the others re-enter the dialplan with ``pbx_stage=treatment:<id>`` set, so the call planner
(which owns treatments) decides the rest: extensions, welcome menus.

Where it re-enters (dialogues/deposit.py ``reentry_context``): a call on a company number
(``pbx_number_id`` set) goes through ``public`` (fs_service/callplan/public.py); an internal
caller -- a phone of the account, or a guest transferred into its context -- goes through the
account's SIP domain (fs_service/callplan/internal_treatment.py), where a welcome menu runs with
its keys re-entering that same context. Both planners check the id against the account.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..db import db
from ..models import Account, Extension, Mailbox, Treatment
from ..sound_files import playable_or_none

STAGE_VARIABLE = "pbx_stage"
TREATMENT_STAGE = "treatment"  # fs_service/calls/stages.py TREATMENT
MENU_DESTINATION = "pbx-treatment"  # dialplan destination of a treatment with no number of its own
_MAX_CHAIN = 5  # message → next treatment → …: a loop in the data must not loop the call


@dataclass(frozen=True)
class KeyAction:
    """``kind``: none | hangup | login | deposit | message | transfer."""
    kind: str
    box: str = ""  # deposit; login: the box whose password is asked ("" = ask the box too)
    path: str = ""  # message
    destination: str = ""  # transfer
    context: str = ""
    stage: str = ""  # transfer: value for pbx_stage
    then: "KeyAction | None" = None  # message: what follows it ("continue")


NONE = KeyAction("none")
LOGIN = KeyAction("login")


def key_action(account: Account, box: Mailbox, key: str) -> KeyAction:
    """The action for ``key`` ("0" or "*") of ``box``."""
    if key == "0":
        treatment_id = box.key0_treatment_id or account.reception_treatment_id
        return treatment_action(account, treatment_id) if treatment_id else NONE
    if key == "*":  # by default: the owner calling from outside logs into this very box
        if box.star_treatment_id:
            return treatment_action(account, box.star_treatment_id)
        return KeyAction("login", box=box.number)
    return NONE


def treatment_action(account: Account, treatment_id: int | None, depth: int = 0) -> KeyAction:
    treatment = db.session.get(Treatment, treatment_id) if treatment_id else None
    if treatment is None or treatment.account_id != account.id or depth >= _MAX_CHAIN:
        return NONE
    stage = f"{TREATMENT_STAGE}:{treatment.id}"
    if treatment.kind == "hangup":
        return KeyAction("hangup")
    if treatment.kind == "voicemail_login":
        return LOGIN
    if treatment.kind == "mailbox":
        box = db.session.get(Mailbox, treatment.mailbox_id) if treatment.mailbox_id else None
        return KeyAction("deposit", box=box.number) if box and box.account_id == account.id else NONE
    if treatment.kind == "message":
        if playable_or_none(account.sip_domain, treatment.message_path, f"treatment={treatment.id}") is None:
            return NONE  # a message the account may not play is skipped (fs_service.sound_files)
        then = None
        if treatment.message_then == "continue":
            then = treatment_action(account, treatment.next_treatment_id, depth + 1)
        return KeyAction("message", path=treatment.message_path or "", then=then or KeyAction("hangup"))
    if treatment.kind == "extension":
        ext = db.session.get(Extension, treatment.extension_id) if treatment.extension_id else None
        if ext is None or ext.account_id != account.id:
            return NONE
        return KeyAction("transfer", destination=ext.number, context=account.sip_domain, stage=stage)
    return KeyAction("transfer", destination=MENU_DESTINATION, context=account.sip_domain, stage=stage)
