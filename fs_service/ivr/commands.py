"""What an IVR dialogue asks of the channel: plain data, no FreeSWITCH syntax.

The engine yields one command at a time and waits for its outcome (an event, events.py);
esl_handlers/outbound turns each command into dialplan applications run through the outbound
socket. Keeping them as data lets every dialogue be tested as a table of "event in → command
out" with no socket and no FreeSWITCH.
"""
from __future__ import annotations

from dataclasses import dataclass

NORMAL_CLEARING = "NORMAL_CLEARING"
DIGIT_KEYS = "0123456789*#"


@dataclass(frozen=True)
class Answer:
    """Answer the call (outcome: Done)."""


@dataclass(frozen=True)
class SetVar:
    """Set a channel variable (outcome: Done)."""
    name: str
    value: str


@dataclass(frozen=True)
class Play:
    """Play files in order; a key of ``keys`` stops the playback (outcome: PlaybackDone)."""
    files: tuple[str, ...]
    keys: str = ""


@dataclass(frozen=True)
class GetDigits:
    """Play a prompt and collect digits (``play_and_get_digits``; outcome: Digits).

    ``Digits("")`` means nothing valid was typed within ``tries`` × ``timeout_ms``.
    """
    files: tuple[str, ...]
    min_digits: int = 1
    max_digits: int = 1
    timeout_ms: int = 5000
    terminators: str = "#"
    regex: str = r"\d+"
    tries: int = 1
    invalid_file: str = ""
    digit_timeout_ms: int = 3000


@dataclass(frozen=True)
class Say:
    """Speak a value with mod_say (``say fr number pronounced 5``; outcome: Done).

    ``kind``: number, items, persons, messages, current_date_time, short_date_time,
    current_date, current_time…; ``method``: pronounced, iterated, counted.
    """
    language: str
    kind: str
    method: str
    text: str
    gender: str = ""


@dataclass(frozen=True)
class Record:
    """Record the caller into ``path`` (FreeSWITCH's own path; outcome: RecordDone).

    Stops on a key of ``terminators``, after ``max_seconds``, or after ``silence_seconds``
    below ``silence_threshold`` (energy units of the ``record`` application).
    """
    path: str
    max_seconds: int
    silence_threshold: int = 200
    silence_seconds: int = 3
    terminators: str = "#"


@dataclass(frozen=True)
class Transfer:
    """Leave the dialogue: the call re-enters the dialplan at ``destination`` in ``context``."""
    destination: str
    context: str


@dataclass(frozen=True)
class Bridge:
    """Connect the caller to ``endpoint`` (a dial string; outcome: Done when the bridge ends)."""
    endpoint: str


@dataclass(frozen=True)
class Hangup:
    cause: str = NORMAL_CLEARING


@dataclass(frozen=True)
class End:
    """Not a channel command: the dialogue is over, the socket may close."""


Command = Answer | SetVar | Play | GetDigits | Say | Record | Transfer | Bridge | Hangup | End
LEAVES_CALL = (Transfer, Hangup)  # after these the channel is no longer ours
