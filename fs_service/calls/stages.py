"""Multi-step dialogues re-enter the dialplan: a step collects digits, sets ``pbx_stage`` and
transfers; FreeSWITCH then asks us again with every channel variable, and the core decides
the next step in Python (no branching in FreeSWITCH XML).

A stage is ``<kind>:<id>``; the id is checked against the account on re-entry, so a stage
can never reach into another tenant. Only our own dialplan and the voicemail service set
``pbx_stage`` (a SIP caller cannot name a channel variable), and the id is still checked.
"""
from __future__ import annotations

VARIABLE = "pbx_stage"
FORWARD_CONFIRM = "forward-confirm"
ACCESS_CODE = "access-code"
MENU = "menu"  # digits typed during a welcome menu's greeting
MENU_TIMEOUT = "menu-timeout"  # the menu ended without a choice
TREATMENT = "treatment"  # voicemail keys 0 / * (fs_service/voicemail/keys.py)
CONFERENCE_ROOM = "conference-room"  # room number typed after 8300 (fs_service/conferences/entry.py)
CONFERENCE_CODE = "conference-code"  # access code typed for a room
KINDS = (FORWARD_CONFIRM, ACCESS_CODE, MENU, MENU_TIMEOUT, TREATMENT, CONFERENCE_ROOM, CONFERENCE_CODE)


def encode(kind: str, ident: int | str) -> str:
    return f"{kind}:{ident}"


def decode(value: str) -> tuple[str, str] | None:
    kind, _, ident = (value or "").partition(":")
    if kind not in KINDS or not ident:
        return None
    return kind, ident
