"""The steps a call plan is made of: plain data, no FreeSWITCH syntax.

The core decides a call as an ordered list of these; xml_curl/dialplan.py renders each one
to dialplan ``<action>`` elements. Keeping them as data lets the rules be unit-tested without
XML, and lets one renderer own every FreeSWITCH quirk (quoting, timeouts, continue_on_fail).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

# Hang-up causes we use (Q.850 names FreeSWITCH understands).
USER_BUSY = "USER_BUSY"
NO_ANSWER = "NO_ANSWER"
UNALLOCATED_NUMBER = "UNALLOCATED_NUMBER"
CALL_REJECTED = "CALL_REJECTED"
OUTGOING_CALL_BARRED = "OUTGOING_CALL_BARRED"
NORMAL_CLEARING = "NORMAL_CLEARING"
REFUSALS = frozenset({UNALLOCATED_NUMBER, CALL_REJECTED, OUTGOING_CALL_BARRED})


@dataclass(frozen=True)
class Set:
    """Set a channel variable on the caller's leg (``export=True``: also on the legs it creates)."""
    name: str
    value: str
    export: bool = False


@dataclass(frozen=True)
class Answer:
    pass


@dataclass(frozen=True)
class Play:
    """Play a prompt (a path relative to the sound prefix, or a tone/file URL)."""
    file: str


@dataclass(frozen=True)
class Sleep:
    milliseconds: int


@dataclass(frozen=True)
class Target:
    """One leg to ring: an extension of the account, or a number through a carrier gateway."""
    kind: str  # "user" | "gateway"
    address: str  # "101@acme.test" | "5145551234"
    gateway: str = ""
    variables: Mapping[str, str] = field(default_factory=dict)
    # Caller ID for this leg only (e.g. the carrier leg of a ring-both forward); None = the ring's.
    caller_id_name: str | None = None
    caller_id_number: str | None = None
    privacy: bool = False


@dataclass(frozen=True)
class Confirm:
    """The callee must press ``key`` after hearing ``prompts`` for the call to connect."""
    key: str
    prompts: tuple[str, ...]


@dataclass(frozen=True)
class Ring:
    """Ring targets for ``timeout`` seconds; on failure the plan continues with the next step.

    ``timeout`` is always > 0: FreeSWITCH reads ``call_timeout`` ≤ 0 as 60 s (NOTES §7), so
    "ring forever" is expressed with :data:`RING_FOREVER`.
    """
    targets: tuple[Target, ...]
    timeout: int
    sequential: bool = False
    ringback: str | None = None
    confirm: Confirm | None = None
    caller_id_name: str | None = None
    caller_id_number: str | None = None
    privacy: bool = False


RING_FOREVER = 3600


@dataclass(frozen=True)
class Record:
    """Record the whole call (both parties) once it is bridged."""
    path: str


@dataclass(frozen=True)
class RecordPrompt:
    """Record what the caller says now (e.g. their name for call screening), up to ``max_seconds``."""
    path: str
    max_seconds: int = 5


@dataclass(frozen=True)
class Voicemail:
    """Leave a message in ``box`` (the voicemail service drives the dialogue)."""
    box: str
    domain: str
    greeting: str = "unavailable"  # unavailable | busy
    skip_greeting: bool = False


@dataclass(frozen=True)
class VoicemailLogin:
    domain: str
    box: str | None = None  # known box (own phone): only the password is asked


@dataclass(frozen=True)
class CollectDigits:
    """Prompt and store digits in a channel variable (``play_and_get_digits``)."""
    variable: str
    prompt: str
    min_digits: int
    max_digits: int
    tries: int = 3
    timeout_ms: int = 5000
    regex: str = r"\d+"
    invalid_prompt: str = ""


@dataclass(frozen=True)
class Transfer:
    """Re-enter the dialplan (a new xml_curl request) with the variables set so far."""
    destination: str
    context: str


@dataclass(frozen=True)
class Intercept:
    """Pick up the ringing call whose uuid is in ``uuid`` (may be a ``${…}`` of a hash lookup)."""
    uuid: str


@dataclass(frozen=True)
class MarkRinging:
    """Remember this call as the one ringing ``extension`` so a colleague can pick it up."""
    domain: str
    extension: str


@dataclass(frozen=True)
class Hangup:
    cause: str = NORMAL_CLEARING


@dataclass(frozen=True)
class Ivr:
    """Run a welcome menu with FreeSWITCH's ``ivr`` app; it fetches ``ivr.conf`` for ``menu``
    through xml_curl (NOTES §9.10), and every key re-enters our dialplan."""
    menu: str


@dataclass(frozen=True)
class RecordClosure:
    """Hand the call to the recording service for a number's closure message (HRS-4): it asks
    the access code and password, records, and stores (or clears) the message."""
    domain: str
    number_id: int | None = None  # known when called through that number's welcome menu


@dataclass(frozen=True)
class Park:
    """Park the call in the lowest free slot ``slot_min``–``slot_max`` of ``lot`` and announce
    the slot (PARK-1). After ``timeout`` seconds the call re-enters ``return_context`` at
    ``return_to`` (the extension that parked it); no ``return_to``: it waits until retrieved.
    The plan goes on after this step only if the lot is full or the caller pressed #."""
    lot: str
    slot_min: int
    slot_max: int
    timeout: int = 0
    return_to: str | None = None
    return_context: str | None = None
    music: str | None = None  # what the parked caller hears (a local_stream class)


@dataclass(frozen=True)
class RetrieveParked:
    """Take the call parked in ``slot`` of ``lot``; the plan goes on only if the slot is empty."""
    lot: str
    slot: int


@dataclass(frozen=True)
class ReceiveFax:
    """Answer as a fax machine and store the fax in ``path`` (FreeSWITCH's path; may hold
    ``${uuid}``), T.38 allowed; the channel carries ``number_id`` for the result event (FAX-7,
    built by fs_service.callplan.public.fax_receive_steps)."""
    number_id: int
    path: str


@dataclass(frozen=True)
class JoinConference:
    """Join the mod_conference room ``name`` with ``profile`` (fr/en: the room's prompts).

    Every join asks for a waiting room (``conference_flags=wait-mod``: it applies only when the
    join creates the room, NOTES §4); ``moderator`` (an admin's code) starts it. The plan goes
    on after the caller leaves the room (kicked, or the room ended)."""
    name: str
    profile: str
    moderator: bool = False


Step = Set | Answer | Play | Sleep | Ring | Record | RecordPrompt | Voicemail | VoicemailLogin | CollectDigits | \
    Transfer | Intercept | MarkRinging | Hangup | Ivr | RecordClosure | Park | RetrieveParked | ReceiveFax | \
    JoinConference


@dataclass(frozen=True)
class Plan:
    """What to do with a call; ``reason`` says why, for logs and the schedule preview.

    ``shared``: the same plan answers many calls (made for no caller in particular). ``key``:
    the explicit key the planner memoised it under (fs_service.caches: extension_call, public),
    so a door may keep what it derives from it (its XML) under that key. Neither is part of
    equality.
    """
    steps: tuple[Step, ...]
    reason: str = ""
    shared: bool = field(default=False, compare=False)
    key: tuple | None = field(default=None, compare=False)

    @classmethod
    def of(cls, *steps: Step, reason: str = "") -> "Plan":
        return cls(tuple(steps), reason)

    def then(self, *steps: Step) -> "Plan":
        return Plan(self.steps + tuple(steps), self.reason)

    @property
    def refused(self) -> bool:
        """The call ends refused (unknown number, caller not allowed, barred): the calls people
        ask support about."""
        return bool(self.steps) and isinstance(self.steps[-1], Hangup) and self.steps[-1].cause in REFUSALS
