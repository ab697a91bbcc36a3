"""The call planner's way into the phone entry (entry.py) with the database's rooms and the
real clock: 8300 from the account's context, and the dialogue's re-entries."""
from __future__ import annotations

from datetime import datetime, timezone

from ..calls.model import AccountRouting, CallRequest
from ..calls.steps import Plan
from . import entry
from .queries import DbRoomBook


def plan_conference_start(routing: AccountRouting, language: str) -> Plan:
    return entry.plan_start(routing.domain, language)


def plan_conference_stage(req: CallRequest, routing: AccountRouting, kind: str, ident: str) -> Plan:
    book = DbRoomBook(routing.account_id, routing.domain)
    return entry.plan_stage(req, book, routing.domain, kind, ident, datetime.now(timezone.utc))
