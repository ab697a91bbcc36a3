"""Message-waiting lamps (VM-6): our counts, as the MESSAGE_WAITING event FreeSWITCH relays.

mod_voicemail is not loaded (it would answer every MESSAGE_QUERY with its own empty store,
NOTES §9.12), so the lamp state comes from here: after every change the core queues the box;
just before the commit its counts are read (same transaction, so they are exact) and turned
into event headers; after the commit a sender installed by the ESL door
(esl_handlers.mwi.install_mwi_sender) fires ``sendevent MESSAGE_WAITING``. A rollback sends
nothing. The same counts answer MESSAGE_QUERY and the directory ``message-count`` request
(:func:`mwi_counts`).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..db import db
from ..models import Account, Mailbox, VoicemailMessage

log = logging.getLogger("pbx.voicemail.mwi")
_QUEUE_KEY, _READY_KEY = "pbx_mwi_boxes", "pbx_mwi_events"
Sender = Callable[[list[dict[str, str]]], None]
_sender: Sender | None = None


@dataclass(frozen=True)
class MwiCounts:
    new: int = 0
    saved: int = 0

    @property
    def waiting(self) -> bool:
        return self.new > 0


# Only messages kept in the box: an email-only message in transit is not reachable by phone.
STORED = VoicemailMessage.delete_after_email.is_(False)


def stored(query):
    """``query`` narrowed to the messages kept in the box (STORED)."""
    return query.where(STORED)


def counts_for(mailbox_id: int, session: Session | None = None) -> MwiCounts:
    rows = (session or db.session).execute(stored(
        sa.select(VoicemailMessage.folder, sa.func.count()).where(VoicemailMessage.mailbox_id == mailbox_id)
        .group_by(VoicemailMessage.folder))).all()
    found = dict(rows)
    return MwiCounts(found.get("new", 0), found.get("saved", 0))


def mwi_counts(domain: str, box: str) -> MwiCounts | None:
    """Counts of box ``box`` of the account whose SIP domain is ``domain`` (None: no such box)."""
    key = (domain.strip().lower(), box)
    return counts_of_boxes({key}).get(key)


def message_waiting_headers(domain: str, box: str, counts: MwiCounts) -> dict[str, str]:
    """MESSAGE_WAITING headers mod_sofia turns into a message-summary NOTIFY (NOTES §9.12)."""
    return {"MWI-Messages-Waiting": "yes" if counts.waiting else "no",
            "MWI-Message-Account": f"sip:{box}@{domain}",
            "MWI-Voice-Message": f"{counts.new}/{counts.saved} (0/0)"}


def parse_message_account(value: str) -> tuple[str, str] | None:
    """``sip:101@acme.test`` (MESSAGE_QUERY's Message-Account) → ("101", "acme.test")."""
    user, _, domain = (value or "").strip().removeprefix("sip:").partition("@")
    return (user, domain.lower()) if user and domain else None


def counts_of_boxes(boxes: set[tuple[str, str]]) -> dict[tuple[str, str], MwiCounts]:
    """Counts of several (SIP domain, box number) in one query; a box we do not have is absent.
    A burst of MESSAGE_QUERY (phones re-subscribing after a restart) costs one read a batch."""
    if not boxes:
        return {}
    rows = db.session.execute(
        sa.select(Account.sip_domain, Mailbox.number, VoicemailMessage.folder, sa.func.count(VoicemailMessage.id))
        .join(Account, Account.id == Mailbox.account_id)
        .outerjoin(VoicemailMessage, sa.and_(VoicemailMessage.mailbox_id == Mailbox.id, STORED))
        .where(sa.tuple_(Account.sip_domain, Mailbox.number).in_(sorted(boxes)))
        .group_by(Account.sip_domain, Mailbox.number, VoicemailMessage.folder)).all()
    found: dict[tuple[str, str], dict[str, int]] = {}
    for domain, number, folder, count in rows:
        found.setdefault((domain, number), {})[folder] = count
    return {box: MwiCounts(per.get("new", 0), per.get("saved", 0)) for box, per in found.items()}


def answer_many(message_accounts: list[str]) -> list[dict[str, str]]:
    """The MESSAGE_WAITING headers answering each distinct MESSAGE_QUERY account we have."""
    parsed = filter(None, map(parse_message_account, dict.fromkeys(message_accounts)))  # (box, domain)
    boxes = list(dict.fromkeys((domain, box) for box, domain in parsed))
    counts = counts_of_boxes(set(boxes))
    return [message_waiting_headers(domain, box, counts[(domain, box)]) for domain, box in boxes
            if (domain, box) in counts]


def answer_query(message_account: str) -> dict[str, str] | None:
    """The MESSAGE_WAITING headers answering a MESSAGE_QUERY, or None for a box we do not have."""
    return next(iter(answer_many([message_account])), None)


def message_query(headers) -> str | None:
    """A MESSAGE_QUERY event (a phone subscribed to its lamp) → the account it asks about."""
    return headers.get("Message-Account") or None


def answer_queries(node: str, accounts: list[str | None]) -> int:
    """Answer phones' lamp questions from OUR boxes (mod_voicemail is not loaded, NOTES §9.12);
    accounts we do not know are ignored. Returns how many answers were sent."""
    events = answer_many([a for a in accounts if a])
    if events and _sender is not None:
        _sender(events)
    return len(events)


def set_sender(sender: Sender | None) -> None:
    """Installed by the ESL door at start-up; None = no FreeSWITCH to tell (events are dropped)."""
    global _sender
    _sender = sender


def queue(session: Session, box: Mailbox, domain: str) -> None:
    """The lamp of ``box`` may change in this transaction: send its state after the commit."""
    pending: dict = session.info.setdefault(_QUEUE_KEY, {})
    pending[(domain, box.number)] = box.id


@event.listens_for(Session, "before_commit")
def _read_counts(session: Session) -> None:
    session.flush()  # first: a flush may queue more boxes (a mailbox deleted with its extension)
    pending: dict = session.info.pop(_QUEUE_KEY, {})
    if not pending:
        return
    events = session.info.setdefault(_READY_KEY, [])
    for (domain, number), box_id in pending.items():
        exists = session.get(Mailbox, box_id) is not None
        counts = counts_for(box_id, session) if exists else MwiCounts()
        events.append(message_waiting_headers(domain, number, counts))


@event.listens_for(Session, "after_commit")
def _send(session: Session) -> None:
    events = session.info.pop(_READY_KEY, [])
    if not events:
        return
    if _sender is None:
        log.info("mwi not sent: no FreeSWITCH node configured count=%d", len(events))
        return
    try:
        _sender(events)
    except Exception:  # committed already: a lamp is never worth failing the caller
        log.exception("mwi dispatch failed count=%d", len(events))


@event.listens_for(Session, "after_rollback")
def _drop(session: Session) -> None:
    session.info.pop(_QUEUE_KEY, None)
    session.info.pop(_READY_KEY, None)
