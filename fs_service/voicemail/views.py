"""Plain snapshots the dialogues work with: no ORM object lives across a call's greenlet."""
from __future__ import annotations

from dataclasses import dataclass, field

from .keys import KeyAction


@dataclass(frozen=True)
class BoxView:
    id: int
    number: str
    domain: str
    name: str
    language: str
    timezone: str
    max_seconds: int
    email_only: bool
    has_email: bool
    full: bool
    attached: bool = False  # the box of an extension (its default greeting names the extension)
    greetings: dict[str, str] = field(default_factory=dict)  # kind -> FreeSWITCH path
    keys: dict[str, KeyAction] = field(default_factory=dict)  # "0" / "*" -> action


@dataclass(frozen=True)
class MessageView:
    id: int
    folder: str
    caller_number: str
    caller_name: str
    epoch: int  # for `say … current_date_time`
    seconds: int
    path: str


@dataclass(frozen=True)
class LoginResult:
    """``status``: ok | bad | locked (already) | blocked (this wrong password locked the box)."""
    status: str
    box: BoxView | None = None
