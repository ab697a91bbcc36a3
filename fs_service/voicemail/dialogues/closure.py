"""Recording a company number's exceptional closure message by phone (HRS-4, guide 5).

Reached with ``pbx_vm_action=closure-record`` (xml_curl/dialplan.py, steps.RecordClosure): 8400
from a phone of the account (``pbx_closure_number_id`` empty: the code picks the number), or
8400 typed during a number's welcome menu (``pbx_closure_number_id`` set: only that number's
code and password open it). Keys: README.md.

- code ``#``, password ``#``; 3 wrong pairs end the call and lock the service (closure_store.py);
- instructions, beep, record (``#``, :data:`MAX_SECONDS` or 3 s of silence stop it);
- less than a second of speech ("record a short silence") turns the message off at once;
- otherwise it plays back, then ``1`` keep (also silence), ``2`` record again, ``3`` delete
  (the message is off);
- hanging up before choosing keeps a recording with enough speech; a shorter one is dropped
  and the message in use stays as it was (a dropped call must not turn it off).
"""
from __future__ import annotations

from ...ivr import Answer, CallEnded, Play
from ...ivr.steps import ask, play
from ...numbers.rules import MIN_SPEECH_SECONDS
from ..closure_store import ClosureNumber, ClosureStore
from .common import Sub, choose, language_of, p, record, use_language

MAX_ATTEMPTS = 3
MAX_SECONDS = 180
REVIEW_KEYS = "123"


def closure(store: ClosureStore, variables: dict) -> Sub:
    yield Answer()
    yield from use_language(language_of(variables.get("default_language")))
    number = yield from log_in(store, variables.get("pbx_vm_domain", ""), _number_id(variables))
    if number is not None:
        yield from use_language(number.language)
        yield from record_message(store, number)


def _number_id(variables: dict) -> int | None:
    value = variables.get("pbx_closure_number_id", "")
    return int(value) if value.isdigit() else None


def log_in(store: ClosureStore, domain: str, number_id: int | None) -> Sub:
    """The number the caller's code and password open, or None (after saying why)."""
    for _ in range(MAX_ATTEMPTS):
        code = yield from ask(p("closure-enter-code"), 1, 8, timeout_ms=7000)
        password = (yield from ask(p("closure-enter-password"), 1, 12, timeout_ms=7000)) if code else ""
        result = store.login(domain, code, password, number_id)
        if result.status == "ok":
            return result.number
        if result.status in ("locked", "blocked"):
            yield Play(p("closure-locked"))
            return None
        yield Play(p("closure-login-incorrect"))
    yield Play(p("closure-locked"))
    return None


def record_message(store: ClosureStore, number: ClosureNumber) -> Sub:
    path, done = store.new_recording(number), False
    try:
        while True:
            yield Play(p("closure-record"))
            yield from record(store, path, MAX_SECONDS)
            if store.speech_of(path) < MIN_SPEECH_SECONDS:
                store.save(number, path, 0.0)  # too little speech: the message is off
                done = True
                yield Play(p("closure-no-speech", "closure-disabled"))
                return
            choice = yield from review(path)
            if choice != "2":
                break
        done = True
        if choice == "3":
            store.discard(path)
            store.disable(number)
            yield Play(p("closure-disabled"))
        else:
            store.save(number, path, store.speech_of(path))
            yield Play(p("closure-saved"))
    except CallEnded:
        if not done:
            _keep_on_hangup(store, number, path)
        raise


def review(path: str) -> Sub:
    """Play the recording back, then 1 keep, 2 record again, 3 delete; silence keeps ("1")."""
    digit = yield from play((path,), REVIEW_KEYS)
    return digit or (yield from choose(p("closure-review"), REVIEW_KEYS)) or "1"


def _keep_on_hangup(store: ClosureStore, number: ClosureNumber, path: str) -> None:
    speech = store.speech_of(path)
    if speech >= MIN_SPEECH_SECONDS:
        store.save(number, path, speech)
    else:
        store.discard(path)
