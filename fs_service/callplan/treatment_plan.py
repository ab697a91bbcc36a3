"""A treatment (HRS-3) planned into steps, for a call that arrived on a company number.

Public calls are not authenticated users of the account, so nothing here transfers into the
account's context: an extension is planned inline with all its settings (plan_extension), and
the few re-entries its plan needs (forward to another extension, "press 1 to be forwarded")
are pointed back at the ``public`` context, where :mod:`.public` resumes them for the number
recorded on the channel.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from .. import prompts
from . import stages
from .extension_call import plan_extension
from .ivr_menu import menu_name
from .public_model import PUBLIC_CONTEXT, MenuSnapshot, NumberEntry, PublicWorld
from .steps import Answer, Hangup, Ivr, Play, Set, Step, Transfer, Voicemail, VoicemailLogin

MENU = "menu"
MENU_TIMEOUT = "menu-timeout"
MAX_CHAIN = 8  # treatments followed in one request ("message, then continue" chains)


@dataclass(frozen=True)
class Caller:
    name: str = ""
    number: str = ""
    forward_hops: int = 0


def public_transfers(steps, domain: str) -> list[Step]:
    """Transfers into the account's context become re-entries into ``public``."""
    return [replace(s, context=PUBLIC_CONTEXT) if isinstance(s, Transfer) and s.context == domain else s
            for s in steps]


def ring_extension(world: PublicWorld, entry: NumberEntry, ext, caller: Caller) -> list[Step]:
    plan = plan_extension(ext, world.routing(entry), caller_name=caller.name, caller_number=caller.number,
                          hops=caller.forward_hops)
    return public_transfers(plan.steps, entry.domain)


def menu_steps(menu: MenuSnapshot) -> list[Step]:
    """Run the menu; if it ends without a choice (too many timeouts or invalid keys), come
    back to decide its timeout treatment (keys re-enter from the ivr app itself)."""
    return [Set("default_language", menu.language), Set("sound_prefix", f"$${{sound_prefix_{menu.language}}}"),
            Set(stages.VARIABLE, stages.encode(MENU, menu.id)), Answer(), Ivr(menu_name(menu.id)),
            Set(stages.VARIABLE, stages.encode(MENU_TIMEOUT, menu.id)), Transfer(MENU_TIMEOUT, PUBLIC_CONTEXT)]


def _target_steps(world: PublicWorld, entry: NumberEntry, t, caller: Caller) -> list[Step] | None:
    if t.kind == "extension" and t.extension_id is not None:
        ext = world.directory(entry).extension_by_id(t.extension_id)
        return ring_extension(world, entry, ext, caller) if ext else None
    if t.kind == "mailbox" and t.mailbox_id is not None:
        box = world.mailbox_number(entry.account_id, t.mailbox_id)
        return [Voicemail(box, entry.domain)] if box else None
    if t.kind == "menu" and t.menu_id is not None:
        menu = world.menu(entry.account_id, t.menu_id)
        return menu_steps(menu) if menu else None
    return None


def plan_treatment(world: PublicWorld, entry: NumberEntry, treatment_id: int | None, caller: Caller,
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
    if t.kind == "message" and t.message_path:
        after = [Hangup()] if t.message_then != "continue" else plan_treatment(
            world, entry, t.next_treatment_id, caller, [Hangup()], seen | {t.id})
        return [Answer(), Play(t.message_path), *after]
    return _target_steps(world, entry, t, caller) or default


def not_in_service() -> list[Step]:
    return [Answer(), Play(prompts.path("not-in-service")), Hangup()]


def office_closed() -> list[Step]:
    return [Answer(), Play(prompts.path("office-closed")), Hangup()]
