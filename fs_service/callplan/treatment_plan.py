"""A treatment (HRS-3) planned into steps: for a call that arrived on a company number, or for
an internal caller sent to a treatment by voicemail keys 0 / * (fs_service/voicemail/keys.py).

Where the dialogues re-enter is the caller's :attr:`Caller.context`:

- a public call (``public``, the default) is no authenticated user of the account, so nothing
  here transfers into the account's context: an extension is planned inline with all its
  settings (plan_extension), and the few re-entries its plan needs (forward to another
  extension, "press 1 to be forwarded", a menu's keys and timeout) are pointed back at the
  ``public`` context, where :mod:`.public` resumes them for the number recorded on the channel;
- an internal caller (a phone of the account, or a guest transferred into its context) stays
  in the account's context, where :mod:`.internal` resumes the same stages;
- the conference entry is the exception: every caller is sent into the account's context (a
  guest there), whose 8300 asks for the room number and code (fs_service/conferences/entry.py).

``entry`` is anything with ``account_id``, ``domain`` and ``id`` (the company number, None for
an internal caller): a :class:`~.public_model.NumberEntry` or an :class:`AccountScope`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .. import prompts
from ..calls import stages
from ..calls.steps import Answer, Hangup, Ivr, Play, RecordClosure, Set, Step, Transfer, Voicemail, VoicemailLogin
from ..numbering import CLOSURE_RECORDING, CONFERENCE_ACCESS, PUBLIC_CONTEXT, VOICEMAIL_ACCESS
from .extension_call import plan_extension
from .ivr_menu import menu_name
from .public_model import MENU_FAILURES_VARIABLE, MenuSnapshot, PublicWorld

MENU = stages.MENU
MENU_TIMEOUT = stages.MENU_TIMEOUT
MAX_CHAIN = 8  # treatments followed in one request ("message, then continue" chains)


@dataclass(frozen=True)
class Caller:
    name: str = ""
    number: str = ""
    forward_hops: int = 0
    context: str = PUBLIC_CONTEXT  # where this caller's dialogues re-enter the dialplan
    record: bool = False  # the caller's own recording setting covers its calls (internal caller)
    may_record_closure: bool = False  # 8400 in a menu without a number: an authenticated phone


@dataclass(frozen=True)
class AccountScope:
    """The account a treatment is planned for when no company number is involved."""
    account_id: int
    domain: str
    id: None = None  # no number: 8400 records no number's closure message


def reentries(steps, domain: str, context: str) -> list[Step]:
    """Transfers into the account's context re-enter ``context`` instead (a no-op for internal callers)."""
    return [replace(s, context=context) if isinstance(s, Transfer) and s.context == domain else s
            for s in steps]


def public_transfers(steps, domain: str) -> list[Step]:
    """Transfers into the account's context become re-entries into ``public``."""
    return reentries(steps, domain, PUBLIC_CONTEXT)


def ring_extension(world: PublicWorld, entry, ext, caller: Caller) -> list[Step]:
    plan = plan_extension(ext, world.routing(entry), caller_name=caller.name, caller_number=caller.number,
                          record=caller.record, hops=caller.forward_hops)
    return reentries(plan.steps, entry.domain, caller.context)


def menu_steps(menu: MenuSnapshot, context: str = PUBLIC_CONTEXT) -> list[Step]:
    """Run the menu; if it ends without a choice (too many timeouts or invalid keys), come
    back to decide its timeout treatment (keys re-enter from the ivr app itself)."""
    return [Set("default_language", menu.language), Set("sound_prefix", f"$${{sound_prefix_{menu.language}}}"),
            Set(stages.VARIABLE, stages.encode(MENU, menu.id)), Answer(), Ivr(menu_name(menu.id)),
            Set(stages.VARIABLE, stages.encode(MENU_TIMEOUT, menu.id)), Transfer(MENU_TIMEOUT, context)]


def _target_steps(world: PublicWorld, entry, t, caller: Caller) -> list[Step] | None:
    if t.kind == "extension" and t.extension_id is not None:
        ext = world.directory(entry).extension_by_id(t.extension_id)
        return ring_extension(world, entry, ext, caller) if ext else None
    if t.kind == "mailbox" and t.mailbox_id is not None:
        box = world.mailbox_number(entry.account_id, t.mailbox_id)
        return [Voicemail(box, entry.domain)] if box else None
    if t.kind == "menu" and t.menu_id is not None:
        menu = world.menu(entry.account_id, t.menu_id)
        return menu_steps(menu, caller.context) if menu else None
    return None


def plan_treatment(world: PublicWorld, entry, treatment_id: int | None, caller: Caller,
                   default: list[Step], seen: frozenset[int] = frozenset()) -> list[Step]:
    """Steps for ``treatment_id``; ``default`` when there is none (or it points at nothing left)."""
    t = world.treatment(entry.account_id, treatment_id) if treatment_id is not None else None
    if t is None:
        return default
    if t.id in seen or len(seen) >= MAX_CHAIN:
        return [Hangup()]  # a loop edited behind the core's back: stop rather than spin
    if t.kind == "voicemail_login":
        return [VoicemailLogin(entry.domain)]
    if t.kind == "hangup":
        return [Hangup()]
    if t.kind == "conference":  # the rooms' phone entry (room number, code), as 8300 in a menu
        return [Transfer(CONFERENCE_ACCESS, entry.domain)]
    if t.kind == "message" and t.message_path:
        after = [Hangup()] if t.message_then != "continue" else plan_treatment(
            world, entry, t.next_treatment_id, caller, [Hangup()], seen | {t.id})
        return [Answer(), Play(t.message_path), *after]
    return _target_steps(world, entry, t, caller) or default


def menu_choice(world: PublicWorld, entry, menu_id: int, digits: str, caller: Caller,
                failures_so_far: str = "") -> list[Step]:
    """What the caller typed during the greeting: a key, 8500, 8400, 8300 or an extension."""
    menu = world.menu(entry.account_id, menu_id)
    if menu is None:
        return [Hangup()]
    if digits in menu.keys:
        return plan_treatment(world, entry, menu.keys[digits], caller, [Hangup()])
    if digits == VOICEMAIL_ACCESS:
        return [VoicemailLogin(entry.domain)]
    if digits == CONFERENCE_ACCESS:  # the conference entry runs in the account's context (a guest there)
        return [Transfer(CONFERENCE_ACCESS, entry.domain)]
    if digits == CLOSURE_RECORDING and (entry.id is not None or caller.may_record_closure):
        return [RecordClosure(entry.domain, entry.id)]
    ext = world.directory(entry).extension(digits) if menu.dial_by_extension else None
    if ext is not None:
        return ring_extension(world, entry, ext, caller)
    failures = (int(failures_so_far) if failures_so_far.isdigit() else 0) + 1
    if failures >= menu.repeat_count:
        return menu_timeout(world, entry, menu_id, caller)
    return [Set(MENU_FAILURES_VARIABLE, str(failures)), Play(prompts.path("menu-invalid")),
            *menu_steps(menu, caller.context)]


def menu_timeout(world: PublicWorld, entry, menu_id: int, caller: Caller) -> list[Step]:
    """The menu ended without a choice: its timeout treatment, or goodbye."""
    menu = world.menu(entry.account_id, menu_id)
    then = world.treatment(entry.account_id, menu.timeout_treatment_id) if menu and menu.timeout_treatment_id else None
    if then is None or (then.kind == "menu" and then.menu_id == menu_id):  # never replay it unattended
        return [Hangup()]
    return plan_treatment(world, entry, then.id, caller, [Hangup()])


def not_in_service() -> list[Step]:
    return [Answer(), Play(prompts.path("not-in-service")), Hangup()]


def office_closed() -> list[Step]:
    return [Answer(), Play(prompts.path("office-closed")), Hangup()]
