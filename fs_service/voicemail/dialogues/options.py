"""Mailbox options (VM-2): greetings, name, password.

The guide names 8500 → 0 (options) → 4 (temporary greeting) → 1 record / 2 remove; the other
greetings follow the same pattern (1 unavailable, 2 busy, 3 name, then 1 record / 2 remove)
and 5 changes the password. A recording is kept when the caller presses 2, stays silent or
hangs up; * cancels it.
"""
from __future__ import annotations

from ...ivr import CallEnded, Play
from ...ivr.steps import ask, play
from ..views import BoxView
from .common import Sub, choose, p, record

GREETINGS = {"1": "unavailable", "2": "busy", "3": "name", "4": "temporary"}
MAX_GREETING_SECONDS = {"name": 10}
DEFAULT_GREETING_SECONDS = 120
MIN_GREETING_SECONDS = 1


def options(store, box: BoxView) -> Sub:
    while True:
        choice = yield from choose(p("vm-options-menu"), "12345*")
        if choice in GREETINGS:
            yield from greeting_menu(store, box, GREETINGS[choice])
        elif choice == "5":
            yield from change_password(store, box)
        else:
            return


def greeting_menu(store, box: BoxView, kind: str) -> Sub:
    choice = yield from choose(p(f"vm-greeting-{kind}", "vm-greeting-menu"), "12*")
    if choice == "1":
        yield from record_greeting(store, box, kind)
    elif choice == "2":
        removed = store.remove_greeting(box.id, kind)
        yield Play(p("vm-greeting-removed" if removed else "vm-no-greeting"))


def record_greeting(store, box: BoxView, kind: str) -> Sub:
    """Record into a new file; the greeting switches to it only once kept (the old one stays
    in use until then, and its file goes after the commit)."""
    path, seconds, kept = store.new_recording(box, kind), 0.0, False
    instructions = p("vm-record-name" if kind == "name" else "vm-record-greeting")
    try:
        while True:
            yield Play(instructions)
            seconds = 0.0
            seconds = yield from record(store, path, MAX_GREETING_SECONDS.get(kind, DEFAULT_GREETING_SECONDS))
            choice = yield from review(path)
            if choice != "3":
                break
        if choice == "*" or seconds < MIN_GREETING_SECONDS:
            store.discard(path)
            yield Play(p("vm-cancelled"))
            return
        store.set_greeting(box.id, kind, path)
        kept = True
        yield Play(p("vm-greeting-saved"))
    except CallEnded:
        if not kept:
            _keep_on_hangup(store, box, kind, path, seconds)
        raise


def review(path: str) -> Sub:
    """1 listen, 2 keep (also silence), 3 record again, * cancel; returns "2", "3" or "*"."""
    while True:
        choice = yield from choose(p("vm-review-greeting"), "123*", tries=1)
        if choice != "1":
            return choice or "2"
        digit = yield from play((path,), "23*")
        if digit:
            return digit


def _keep_on_hangup(store, box: BoxView, kind: str, path: str, seconds: float) -> None:
    if (seconds or store.seconds_of(path)) >= MIN_GREETING_SECONDS:
        store.set_greeting(box.id, kind, path)
    else:
        store.discard(path)


def change_password(store, box: BoxView) -> Sub:
    regex = r"^\d{4,10}$"
    new = yield from ask(p("vm-enter-new-password"), 4, 10, timeout_ms=10000, regex=regex)
    if not new:
        yield Play(p("vm-cancelled"))
        return
    again = yield from ask(p("vm-confirm-password"), 4, 10, timeout_ms=10000, regex=regex)
    if again != new:
        yield Play(p("vm-password-mismatch"))
        return
    store.change_pin(box.id, new)
    yield Play(p("vm-password-changed"))
