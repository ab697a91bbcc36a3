"""Commands sent to FreeSWITCH, with the answer each got, as the ESL door reports them.

Reads (``show``, ``uuid_exists``, ``status``…) are not recorded: they change nothing. Each
command is attached to the account whose domain it names (a cache flush for one tenant's user
shows in that tenant's log), else to the acting person's account, else to operators only.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import sqlalchemy as sa

from ..db import db, utcnow
from ..models import Account, AuditEvent
from .changes import Actor
from .values import plain

MAX_TEXT = 500


@dataclass(frozen=True)
class CommandRecord:
    node: str
    command: str
    ok: bool
    reply: str
    domain: str | None = None  # the tenant domain the command is about, when it names one


def _accounts_by_domain(domains: set[str]) -> dict[str, int]:
    if not domains:
        return {}
    rows = db.session.execute(sa.select(Account.sip_domain, Account.id).where(Account.sip_domain.in_(domains)))
    return {domain: account_id for domain, account_id in rows}


def record_commands(records: Iterable[CommandRecord], actor: Actor | None) -> int:
    """Add one row per command to the session (the caller commits); returns how many."""
    records = list(records)
    accounts = _accounts_by_domain({r.domain for r in records if r.domain})
    now = utcnow()
    for record in records:
        account_id = accounts.get(record.domain or "") or (actor.account_id if actor else None)
        db.session.add(AuditEvent(
            created_at=now, account_id=account_id, actor_id=actor.user_id if actor else None,
            actor_email=actor.email if actor else "", source=actor.source if actor else "system",
            action="command", object_type="freeswitch", object_id=record.node[:64],
            remote_addr=actor.remote_addr if actor else "",
            changes={"command": plain("command", record.command[:MAX_TEXT]), "ok": record.ok,
                     "reply": plain("reply", record.reply.strip()[:MAX_TEXT])}))
    return len(records)
