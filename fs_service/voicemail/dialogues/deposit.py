"""Leaving a message (VM-3, VM-4): greeting, keys 0 / * / #, recording, review, delivery.

Channel variables set by the dialplan (xml_curl/dialplan.py, steps.Voicemail):
``pbx_vm_box``, ``pbx_vm_domain``, ``pbx_vm_greeting`` (unavailable | busy | auto),
``pbx_vm_skip_greeting``. A caller who hangs up after speaking still leaves the message
(if it lasts at least MIN_MESSAGE_SECONDS): hanging up is how most people "send".
"""
from __future__ import annotations

from ...ivr import Answer, CallEnded, Hangup, Play, Say, SetVar, Transfer
from ...ivr.steps import play
from ...numbering import NUMBER_VARIABLE, PUBLIC_CONTEXT
from ..greetings import choose_greeting
from ..keys import STAGE_VARIABLE, KeyAction
from ..messages import MIN_MESSAGE_SECONDS
from ..views import BoxView
from .common import Sub, choose, language_of, p, record, use_language

SKIP_KEY = "#"
FALLBACK_VARIABLE = "pbx_vm_fallback"  # what the switch plays if the service goes away (xml_curl/dialplan.py)
BUSY_CAUSES = ("USER_BUSY",)


def situation(variables: dict) -> str:
    """unavailable or busy; "auto" looks at why the ringing ended (originate_disposition)."""
    wanted = variables.get("pbx_vm_greeting", "unavailable")
    if wanted == "auto":
        causes = (variables.get("originate_disposition"), variables.get("last_bridge_hangup_cause"))
        return "busy" if any(c in BUSY_CAUSES for c in causes) else "unavailable"
    return "busy" if wanted == "busy" else "unavailable"


def deposit(store, variables: dict) -> Sub:
    yield Answer()
    box = store.find_box(variables.get("pbx_vm_domain", ""), variables.get("pbx_vm_box", ""))
    if box is None:
        yield from use_language(language_of(variables.get("default_language")))
        yield Play(p("vm-mailbox-unavailable"))
        return
    yield from use_language(box.language)
    if box.full:
        yield Play(p("vm-mailbox-full"))
        return
    if variables.get("pbx_vm_skip_greeting") != "true":
        digit = yield from greeting(box, situation(variables))
        if digit in box.keys:
            yield from key_pressed(store, box, box.keys[digit], variables)
            return
    yield from take_message(store, box, variables)


def greeting(box: BoxView, why: str) -> Sub:
    """Play the greeting the guide's order picks; returns the key that interrupted it, or ""."""
    keys = SKIP_KEY + "".join(k for k, action in box.keys.items() if action.kind != "none")
    choice = choose_greeting(box.greetings, why)
    if choice.kind not in ("name", "default"):
        return (yield from play((choice.path,), keys))
    ending = p("vm-is-busy" if why == "busy" else "vm-not-available", "vm-leave-message")
    if choice.kind == "name":
        return (yield from play((choice.path, *ending), keys))
    if not box.attached:
        digit = yield from play(p("vm-reached-mailbox"), keys)
        if not digit:
            yield Say(box.language, "number", "iterated", box.number)
            digit = yield from play(p("vm-leave-message"), keys)
        return digit
    digit = yield from play(p("vm-person-at-extension"), keys)
    if digit:
        return digit
    yield Say(box.language, "number", "iterated", box.number)
    return (yield from play(ending, keys))


def key_pressed(store, box: BoxView, action: KeyAction, variables: dict) -> Sub:
    """Key 0 or * during the greeting: the box's treatment for that key (keys.py)."""
    from .retrieval import login  # the two dialogues call each other

    if action.kind == "login":
        yield from login(store, {**variables, "pbx_vm_box": action.box, "default_language": box.language})
    elif action.kind == "deposit":
        yield from deposit(store, {**variables, "pbx_vm_box": action.box, "pbx_vm_greeting": "unavailable",
                                   "pbx_vm_skip_greeting": "false"})
    elif action.kind == "message":
        if action.path:
            yield Play((action.path,))
        if action.then is not None:
            yield from key_pressed(store, box, action.then, variables)
    elif action.kind == "transfer":
        yield SetVar(STAGE_VARIABLE, action.stage)
        yield Transfer(action.destination, reentry_context(variables, action.context))
    else:
        yield Hangup()


def reentry_context(variables: dict, domain: str) -> str:
    """A call that came in on a company number is no authenticated extension: it re-enters the
    dialplan through ``public``, where the call planner resumes it (``pbx_number_id`` is set)."""
    return PUBLIC_CONTEXT if variables.get(NUMBER_VARIABLE) else domain


def take_message(store, box: BoxView, variables: dict) -> Sub:
    """Record, let the caller review (1 listen, 3 again, # send) and deliver. Should the service
    go away from here on, the switch finishes the recording and then tells the caller the message
    was sent (the dialplan's fallback prompt, pbx_vm_fallback): it is filed when the service is
    back (recovery.py)."""
    path, seconds, delivered = store.new_recording(box, "msg"), 0.0, False
    caller = (variables.get("caller_id_number", ""), variables.get("caller_id_name", ""))
    yield SetVar(FALLBACK_VARIABLE, p("vm-message-sent")[0])
    try:
        while True:
            seconds = 0.0
            seconds = yield from record(store, path, box.max_seconds)
            if seconds < MIN_MESSAGE_SECONDS:
                store.discard(path)
                yield Play(p("vm-no-message-recorded"))
                return
            if (yield from review(path)) != "3":
                break
        store.leave_message(box, path, seconds, *caller)
        delivered = True
        yield Play(p("vm-message-sent"))
    except CallEnded:
        if not delivered:
            keep_if_spoken(store, box, path, seconds, caller)
        raise


def review(path: str) -> Sub:
    """After the beep-recording: 1 listens (repeatedly); returns "3" (record again) or "#"."""
    while True:
        choice = yield from choose(p("vm-review-message"), "13#", tries=1, timeout_ms=3000)
        if choice != "1":
            return choice or "#"
        digit = yield from play((path,), "3#")
        if digit:
            return digit


def keep_if_spoken(store, box: BoxView, path: str, seconds: float, caller: tuple[str, str]) -> None:
    """The caller hung up: a message long enough is delivered, anything else is dropped."""
    seconds = seconds or store.seconds_of(path)
    if seconds >= MIN_MESSAGE_SECONDS:
        store.leave_message(box, path, seconds, *caller)
    else:
        store.discard(path)
