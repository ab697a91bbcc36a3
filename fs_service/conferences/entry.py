"""The phone entry of a room (CONF-3, guide 16.2): room number then ``#``, code then ``#``.

Dialing 8300 asks for the room number; each answer re-enters the dialplan (stages.py) and is
decided here, so the whole dialogue is plain data tested without FreeSWITCH:

- ``conference-room:<tries>``: the number typed (``pbx_conf_room``) must be a room of the
  caller's account; a single-use room is refused with a spoken reason before it opens (10 min
  before its start) and after its planned end (rules.py);
- ``conference-code:<room id>.<tries>``: the code typed (``pbx_conf_code``) names the role (and
  the invited person); right: the caller is let in (queries.let_in) and joins the room in its
  language, an admin as moderator — after saying their name when the room announces arrivals
  and departures (names.py).

Guessing: :data:`TRIES` per call for each question, then goodbye; and per room at most
:data:`ROOM_FAILURES` wrong codes in :data:`FAILURE_WINDOW` from all callers together — beyond,
the room accepts no code until the window has passed (a guesser cannot sweep 10,000 codes, at
the price of locking the room for that time).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from .. import prompts
from ..calls import stages
from ..calls.model import CallRequest
from ..calls.steps import Answer, CollectDigits, Hangup, JoinConference, Plan, Play, RecordPrompt, Set, Step, Transfer
from ..numbering import CONFERENCE_ACCESS
from . import names, rules
from .entry_model import EXPECTED_VARIABLE, Admission, RoomEntry

TRIES = 3
ROOM_FAILURES = 10
FAILURE_WINDOW = timedelta(minutes=10)
ROOM_VARIABLE, CODE_VARIABLE = "pbx_conf_room", "pbx_conf_code"
_DIGITS = r"^\d{4}$"


class RoomBook(Protocol):
    def room_by_number(self, number: str) -> RoomEntry | None: ...
    def room_by_id(self, room_id: int) -> RoomEntry | None: ...
    def admission(self, room_id: int, code: str) -> Admission | None: ...
    def failures_since(self, room_id: int, since: datetime) -> int: ...
    def record_failure(self, room_id: int, caller: str) -> None: ...
    def let_in(self, room_id: int, uuid: str, admission: Admission, caller_number: str) -> None: ...
    def name_file(self, uuid: str) -> str: ...


def _language(language: str) -> list[Step]:
    return [Set("default_language", language), Set("sound_prefix", f"$${{sound_prefix_{language}}}")]


def _ask(stage: str, variable: str, prompt: str, domain: str) -> list[Step]:
    """Four digits then # (max 5 so that the # ends the input instead of being left over for
    the next question), then back into our dialplan with the stage."""
    return [Set(stages.VARIABLE, stage), Set(variable, ""),
            CollectDigits(variable, prompts.path(prompt), 4, 5, tries=1, timeout_ms=8000, regex=_DIGITS),
            Transfer(CONFERENCE_ACCESS, domain)]


def _goodbye(prompt: str, reason: str) -> Plan:
    return Plan((Set(stages.VARIABLE, ""), Play(prompts.path(prompt)), Hangup()), reason)


def plan_start(domain: str, language: str) -> Plan:
    """8300 dialed: answer and ask the room number in the caller's language."""
    steps = [Answer(), *_language(language),
             *_ask(stages.encode(stages.CONFERENCE_ROOM, 1), ROOM_VARIABLE, "conf-enter-room", domain)]
    return Plan(tuple(steps), "conference entry")


def plan_room(req: CallRequest, book: RoomBook, domain: str, tries: int, now: datetime) -> Plan:
    room = book.room_by_number(req.var(ROOM_VARIABLE))
    if room is None:
        if tries >= TRIES:
            return _goodbye("conf-too-many", "conference room: too many wrong numbers")
        steps = [Play(prompts.path("conf-bad-room")),
                 *_ask(stages.encode(stages.CONFERENCE_ROOM, tries + 1), ROOM_VARIABLE, "conf-enter-room", domain)]
        return Plan(tuple(steps), "conference room: unknown number")
    state = rules.entry_state(room, now)
    if state != rules.OPEN:
        prompt = "conf-too-early" if state == rules.TOO_EARLY else "conf-ended"
        return Plan((*_language(room.language), *_goodbye(prompt, "").steps), f"conference {room.number}: {state}")
    steps = [*_language(room.language),
             *_ask(stages.encode(stages.CONFERENCE_CODE, f"{room.id}.1"), CODE_VARIABLE, "conf-enter-code", domain)]
    return Plan(tuple(steps), f"conference {room.number}: ask code")


def plan_code(req: CallRequest, book: RoomBook, domain: str, room_id: int, tries: int, now: datetime) -> Plan:
    room = book.room_by_id(room_id)
    if room is None or rules.entry_state(room, now) != rules.OPEN:
        return _goodbye("conf-ended", "conference code: room gone or closed")
    if book.failures_since(room.id, now - FAILURE_WINDOW) >= ROOM_FAILURES:
        return _goodbye("conf-too-many", f"conference {room.number}: locked after too many wrong codes")
    admission = book.admission(room.id, req.var(CODE_VARIABLE))
    if admission is None:
        book.record_failure(room.id, req.caller_number)
        if tries >= TRIES:
            return _goodbye("conf-too-many", f"conference {room.number}: too many wrong codes")
        steps = [Play(prompts.path("conf-bad-code")),
                 *_ask(stages.encode(stages.CONFERENCE_CODE, f"{room.id}.{tries + 1}"), CODE_VARIABLE,
                       "conf-enter-code", domain)]
        return Plan(tuple(steps), f"conference {room.number}: wrong code")
    book.let_in(room.id, req.uuid, admission, req.caller_number)
    say_name = [Play(prompts.path("conf-say-name")), RecordPrompt(book.name_file(req.uuid), names.RECORD_SECONDS)] \
        if room.announce else []
    join = JoinConference(room.name, room.language, moderator=admission.role == "admin")
    steps = [Set(stages.VARIABLE, ""), Set(CODE_VARIABLE, ""), Set(EXPECTED_VARIABLE, "true"), *say_name, join,
             Hangup()]
    return Plan(tuple(steps), f"conference {room.number}: {admission.role} joins")


def plan_stage(req: CallRequest, book: RoomBook, domain: str, kind: str, ident: str, now: datetime) -> Plan:
    """A re-entry of the dialogue (``pbx_stage`` set by our own plan, ids checked by ``book``)."""
    if kind == stages.CONFERENCE_ROOM and ident.isdigit():
        return plan_room(req, book, domain, int(ident), now)
    room_id, _, tries = ident.partition(".")
    if kind == stages.CONFERENCE_CODE and room_id.isdigit() and tries.isdigit():
        return plan_code(req, book, domain, int(room_id), int(tries), now)
    return _goodbye("conf-ended", "stale conference stage")
