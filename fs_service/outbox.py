"""Saved = live: FreeSWITCH side effects queued during a transaction, released after commit.

The core only states *what* FreeSWITCH must forget (an intent); the ESL door turns intents
into commands. Intents queued in a transaction that rolls back (or is closed without commit)
are dropped, so FreeSWITCH never hears of a change that did not happen.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Callable, Iterable

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger("pbx.outbox")
_KEY = "pbx_fs_outbox"


@dataclass(frozen=True)
class FlushDirectoryUser:
    """Drop one user's cached directory entry (``cacheable``) so the next lookup refetches it."""
    user: str
    domain: str
    kind: str = "flush_directory_user"


@dataclass(frozen=True)
class CheckSync:
    """Ask the user's phones to re-provision (NOTIFY check-sync)."""
    user: str
    domain: str
    kind: str = "check_sync"


@dataclass(frozen=True)
class KillGateway:
    """Stop one carrier gateway of a sofia profile (FreeSWITCH un-registers and forgets it)."""
    profile: str
    name: str
    kind: str = "kill_gateway"


@dataclass(frozen=True)
class RescanProfile:
    """Have a sofia profile fetch its gateways again and start those it does not run yet.

    ``delay_seconds`` > 0 asks FreeSWITCH itself to rescan that much later: a gateway killed by
    the same change is only forgotten a tick or two after ``killgw`` (fs_service/gateways.py).
    """
    profile: str
    delay_seconds: int = 0
    kind: str = "rescan_profile"


INTENTS = {cls.kind: cls for cls in (FlushDirectoryUser, CheckSync, KillGateway, RescanProfile)}
Intent = FlushDirectoryUser | CheckSync | KillGateway | RescanProfile
Dispatcher = Callable[[list[Intent]], None]

_dispatcher: Dispatcher | None = None


def set_dispatcher(dispatcher: Dispatcher | None) -> None:
    """Installed by the app at start-up; ``None`` means no FreeSWITCH to tell (intents are logged)."""
    global _dispatcher
    _dispatcher = dispatcher


def queue(session: Session, intent: Intent) -> None:
    pending: list[Intent] = session.info.setdefault(_KEY, [])
    if intent not in pending:
        pending.append(intent)


def intent_to_dict(intent: Intent) -> dict:
    return asdict(intent)


def intent_from_dict(data: dict) -> Intent:
    fields = {k: v for k, v in data.items() if k != "kind"}
    return INTENTS[data["kind"]](**fields)


def _release(intents: Iterable[Intent]) -> None:
    intents = list(intents)
    if not intents:
        return
    if _dispatcher is None:
        log.info("fs side effects not sent: no FreeSWITCH node configured count=%d", len(intents))
        return
    try:
        _dispatcher(intents)
    except Exception:  # the commit already happened: never fail the caller for this
        log.exception("fs side effects dispatch failed count=%d", len(intents))


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    _release(session.info.pop(_KEY, []))


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction) -> None:
    # A root transaction closed without commit (session.close()) also drops the intents.
    if transaction.parent is None and not transaction.nested and session.info.get(_KEY):
        if not session.in_transaction():
            session.info.pop(_KEY, None)
