"""Greetings (VM-2, VM-5): unavailable, busy, temporary, recorded name; and which one plays.

The guide's order, as a pure function so it is tested as data: a temporary greeting, when
present, plays instead of the usual one; then the busy (when the callee is busy) or
unavailable greeting; then the recorded name followed by a standard sentence; then the
standard sentence with the box number.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import sqlalchemy as sa

from ..audio_storage import discard_after_commit
from ..db import db
from ..errors import ValidationFailed
from ..models import Greeting, Mailbox
from ..models.voicemail import GREETING_KINDS


@dataclass(frozen=True)
class GreetingChoice:
    """``kind`` is a greeting kind, "name" (name + standard sentence) or "default"."""
    kind: str
    path: str | None = None


def choose_greeting(recorded: Mapping[str, str], situation: str) -> GreetingChoice:
    """``recorded``: kind → file; ``situation``: "unavailable" or "busy"."""
    busy_first = ("busy", "unavailable") if situation == "busy" else ("unavailable",)
    for kind in ("temporary", *busy_first):
        if recorded.get(kind):
            return GreetingChoice(kind, recorded[kind])
    if recorded.get("name"):
        return GreetingChoice("name", recorded["name"])
    return GreetingChoice("default")


def greeting_files(box: Mailbox) -> dict[str, str]:
    rows = db.session.scalars(sa.select(Greeting).where(Greeting.mailbox_id == box.id))
    return {row.kind: row.audio_path for row in rows}


def _check_kind(kind: str) -> None:
    if kind not in GREETING_KINDS:
        raise ValidationFailed.field("kind", f"must be one of: {', '.join(GREETING_KINDS)}")


def set_greeting(box: Mailbox, kind: str, fs_path: str) -> Greeting:
    """Use a new recording for ``kind``; the previous file goes after the commit."""
    _check_kind(kind)
    row = db.session.scalar(sa.select(Greeting).where(Greeting.mailbox_id == box.id, Greeting.kind == kind))
    if row is None:
        row = Greeting(mailbox_id=box.id, kind=kind, audio_path=fs_path)
        db.session.add(row)
    elif row.audio_path != fs_path:
        discard_after_commit(db.session, row.audio_path)
        row.audio_path = fs_path
    db.session.flush()
    return row


def remove_greeting(box: Mailbox, kind: str) -> bool:
    """True when there was one to remove."""
    _check_kind(kind)
    row = db.session.scalar(sa.select(Greeting).where(Greeting.mailbox_id == box.id, Greeting.kind == kind))
    if row is None:
        return False
    discard_after_commit(db.session, row.audio_path)
    db.session.delete(row)
    return True


def remove_all_greetings(box: Mailbox) -> int:
    removed = 0
    for kind in GREETING_KINDS:
        removed += remove_greeting(box, kind)
    return removed
