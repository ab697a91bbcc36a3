"""What the channel tells a dialogue: the outcome of the last command, or that the call ended."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


@dataclass(frozen=True)
class Started:
    """The call reached the dialogue; ``variables`` are the channel variables (no prefix)."""
    variables: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Done:
    """The command finished (answer, set, say, bridge)."""


@dataclass(frozen=True)
class PlaybackDone:
    """The playback ended; ``digit`` is the key that interrupted it, "" when it played out."""
    digit: str = ""


@dataclass(frozen=True)
class Digits:
    """Digits collected by GetDigits ("" = none / invalid / timeout)."""
    value: str = ""


@dataclass(frozen=True)
class RecordDone:
    path: str
    seconds: float
    digit: str = ""


@dataclass(frozen=True)
class Timeout:
    """The channel did not report the command's end in time (FreeSWITCH stalled)."""


@dataclass(frozen=True)
class HungUp:
    """The caller hung up, or the socket closed."""


Event = Started | Done | PlaybackDone | Digits | RecordDone | Timeout | HungUp


class CallEnded(Exception):
    """Thrown into a dialogue when the caller hangs up: ``finally``/``except`` blocks may still
    save what was recorded, but any command yielded afterwards is ignored."""


class CommandTimedOut(CallEnded):
    """Thrown into a dialogue when a command never completed; the engine then hangs up."""
