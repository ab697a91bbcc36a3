"""Listening to messages (VM-1): login, counts, new then saved messages, envelope.

Reached by 8500 from any phone (box + password), from the own phone or the envelope key
(``pbx_vm_box`` known: password only), remotely through the welcome menu (the call planner
sets ``pbx_vm_action=login``), or with * during one's own greeting. Keys: README.md.
"""
from __future__ import annotations

from ...ivr import Answer, Play, Say, SetVar
from ...ivr.steps import ask, play
from ..views import BoxView, MessageView
from .common import Sub, choose, language_of, p, use_language

MAX_ATTEMPTS = 3
MAIN_KEYS = "120*"
MESSAGE_KEYS = "12356*"


def login(store, variables: dict) -> Sub:
    yield Answer()
    yield from use_language(language_of(variables.get("default_language")))
    domain, known = variables.get("pbx_vm_domain", ""), variables.get("pbx_vm_box", "")
    for _ in range(MAX_ATTEMPTS):
        number = known or (yield from ask(p("vm-enter-mailbox"), 2, 10, timeout_ms=7000))
        pin = ""
        if number:
            pin = yield from ask(p("vm-enter-password"), 1, 10, timeout_ms=7000)
        result = store.login(domain, number, pin)
        if result.status == "ok":
            yield from mailbox_session(store, result.box)
            return
        if result.status in ("locked", "blocked"):
            yield Play(p("vm-mailbox-locked" if result.status == "locked" else "vm-too-many-attempts"))
            return
        yield Play(p("vm-login-incorrect"))
    yield Play(p("vm-too-many-attempts"))


def mailbox_session(store, box: BoxView) -> Sub:
    from .options import options  # options returns here

    yield from use_language(box.language)
    yield SetVar("timezone", box.timezone)  # mod_say speaks dates in the box owner's time zone
    yield from announce(box, store.list_messages(box.id))
    while True:
        choice = yield from choose(p("vm-main-menu"), MAIN_KEYS)
        if choice in ("1", "2"):
            yield from listen(store, box, "new" if choice == "1" else "saved")
        elif choice == "0":
            yield from options(store, box)
        else:
            yield Play(p("vm-goodbye"))
            return


def announce(box: BoxView, messages: list[MessageView]) -> Sub:
    """ "You have 2 new messages and 1 saved message" (only the non-empty parts)."""
    new = sum(1 for m in messages if m.folder == "new")
    saved = len(messages) - new
    if not messages:
        yield Play(p("vm-no-messages"))
        return
    yield Play(p("vm-you-have"))
    parts = [(n, one, many) for n, one, many in ((new, "vm-new-message", "vm-new-messages"),
                                                 (saved, "vm-saved-message", "vm-saved-messages")) if n]
    for index, (count, one, many) in enumerate(parts):
        if index:
            yield Play(p("vm-and"))
        yield Say(box.language, "number", "pronounced", str(count))
        yield Play(p(one if count == 1 else many))


def listen(store, box: BoxView, folder: str) -> Sub:
    """Each message of ``folder``, oldest first; "*" returns to the main menu."""
    chosen = [m for m in store.list_messages(box.id) if m.folder == folder]
    for position, message in enumerate(chosen, start=1):
        if (yield from one_message(store, box, message, position)) == "main":
            return
    yield Play(p("vm-no-more-messages"))


def one_message(store, box: BoxView, message: MessageView, position: int) -> Sub:
    """Play one message and its menu; returns "next" or "main"."""
    yield Play(p("vm-message"))
    yield Say(box.language, "number", "pronounced", str(position))
    digit = yield from play((message.path,), MESSAGE_KEYS)
    while True:
        choice = digit or (yield from choose(p("vm-message-menu"), MESSAGE_KEYS))
        digit = ""
        if choice == "1":
            digit = yield from play((message.path,), MESSAGE_KEYS)
        elif choice == "5":
            yield from envelope(box, message)
        elif choice == "2":
            store.save_message(box.id, message.id)
            yield Play(p("vm-saved"))
            return "next"
        elif choice == "3":
            store.delete_message(box.id, message.id)
            yield Play(p("vm-deleted"))
            return "next"
        else:
            return "next" if choice == "6" else "main"


def envelope(box: BoxView, message: MessageView) -> Sub:
    """Date and time (mod_say, the box's time zone), then the caller's number digit by digit."""
    yield Play(p("vm-received"))
    yield Say(box.language, "current_date_time", "pronounced", str(message.epoch))
    yield Play(p("vm-from"))
    if message.caller_number.isdigit():
        yield Say(box.language, "number", "iterated", message.caller_number)
    else:
        yield Play(p("vm-unknown-caller"))
