"""Snapshots for calls arriving on company numbers (context ``public``), and what the public
planner may ask of the world (the database in production, a dict-backed double in tests)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Protocol

from ..blacklist.match import Screening
from ..calls.model import AccountDirectory, AccountRouting
from ..numbers.schedule_rules import NumberRules

MENU_FAILURES_VARIABLE = "pbx_menu_failures"


@dataclass(frozen=True)
class NumberEntry:
    id: int
    account_id: int
    domain: str
    e164: str
    rules: NumberRules
    closure_message: str | None = None
    blacklist_token: str | None = None
    is_fax: bool = False


@dataclass(frozen=True)
class TreatmentSnapshot:
    id: int
    kind: str  # extension | mailbox | voicemail_login | menu | message | hangup | conference
    extension_id: int | None = None
    mailbox_id: int | None = None
    menu_id: int | None = None
    message_path: str | None = None
    message_then: str = "hangup"
    next_treatment_id: int | None = None


@dataclass(frozen=True)
class MenuSnapshot:
    id: int
    account_id: int
    language: str = "fr"
    greeting: str | None = None
    timeout_seconds: int = 5
    repeat_count: int = 3
    dial_by_extension: bool = True
    timeout_treatment_id: int | None = None
    keys: Mapping[str, int] = field(default_factory=dict)  # "0".."9" → treatment id


class PublicWorld(Protocol):
    """A world may also offer ``state_of(entry)``: the tokens of what its plans for that number
    are made of (the same while nothing changed). public.plan_first then memoises per second
    under them; a world without it (the test doubles) is simply planned every time."""

    def number_by_e164(self, e164: str) -> NumberEntry | None: ...
    def number_by_id(self, number_id: int) -> NumberEntry | None: ...
    def screen(self, entry: NumberEntry, caller_number: str, variables: Mapping[str, str]) -> Screening: ...
    def treatment(self, account_id: int, treatment_id: int) -> TreatmentSnapshot | None: ...
    def menu(self, account_id: int, menu_id: int) -> MenuSnapshot | None: ...
    def mailbox_number(self, account_id: int, mailbox_id: int) -> str | None: ...
    def directory(self, entry: NumberEntry) -> AccountDirectory: ...
    def routing(self, entry: NumberEntry) -> AccountRouting: ...
