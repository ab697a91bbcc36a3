"""One queue for the emails that must not be lost while SMTP is down (issue 16.3).

Each email is a ``mail_deliveries`` row, written in the same transaction as what it is about
(a voicemail message, a finished or received fax, a reset request, a new user), so an email is
owed exactly when its cause was committed. Senders (:func:`run_sender_loop`, in ``pbx run`` and
``pbx voicemail``; the fax worker sends the fax kinds, beside the fax storage) take due rows; each row is first *claimed* with a conditional UPDATE that pushes
``next_try_at`` forward by :data:`fs_service.mail.LEASE` (same on SQLite and PostgreSQL), so
several processes -- or one restarted mid-send -- never send the same email twice within a
lease. The message is built at each try by the row's kind (:class:`MailKind`): a voicemail
email reads the recording then, a reset email creates its single-use link then, so nothing
secret or large is stored here.

Outcomes: accepted → ``sent``; a 5xx answer → ``failed`` at once (an unknown address stays
unknown); a 4xx answer, a refused connection or a timeout → tried again after
:func:`fs_service.mail.backoff` (1, 2, 4… minutes, at most an hour) until :data:`MAX_ATTEMPTS`,
about a day, then ``failed``. The server's last answer is kept either way, for the admins'
"Emails" page and API. Sent and failed rows are forgotten after :data:`RETENTION`.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Callable, Mapping

import gevent
import sqlalchemy as sa

from . import mail
from .access import account_for, require_admin, require_operator
from .db import AppScope, db, utcnow
from .models import MailDelivery, User
from .paging import Page, newest_first
from .settings import current as current_settings

log = logging.getLogger("pbx.mail.queue")
MAX_ATTEMPTS = 30  # 1+2+…+32 min then hourly: about 25 hours of a dead mail server
RETENTION = timedelta(days=30)
SEND_INTERVAL_SECONDS = 2.0  # a person may be waiting for the email (reset link, voicemail)
PRUNE_INTERVAL_SECONDS = 3600.0
PAGE_SIZE = 50


class GiveUp(Exception):
    """Raised by a builder: this email can no longer be sent (its reason becomes the answer)."""


@dataclass(frozen=True)
class MailKind:
    """How to send one kind: ``build(delivery)`` returns the message, None when there is no
    longer anything to send (the row is dropped: a reset for an address with no login), or
    raises GiveUp / MailError (retried). ``sent(delivery)`` runs in the transaction that marks
    it sent (an email-only voicemail deletes its message there). ``tidy()`` runs with the
    queue's own pruning (forgetting old reset requests)."""

    build: Callable[[MailDelivery], EmailMessage | None]
    sent: Callable[[MailDelivery], None] | None = None
    tidy: Callable[[], object] | None = None


MailKinds = Mapping[str, MailKind]


def enqueue(kind: str, recipient: str, *, account_id: int | None = None, source_id: int | None = None,
            subject: str = "") -> MailDelivery:
    """Owe one email, due now, in the caller's transaction (committed with its cause)."""
    delivery = MailDelivery(kind=kind, recipient=recipient[:254], subject=subject[:255], account_id=account_id,
                            source_id=source_id, state="queued", next_try_at=utcnow())
    db.session.add(delivery)
    db.session.flush()
    return delivery


def claim(delivery_id: int) -> bool:
    """Take a due row for this process for :data:`mail.LEASE` (see the module docstring). Commits."""
    now = utcnow()
    claimed = db.session.execute(sa.update(MailDelivery).where(
        MailDelivery.id == delivery_id, MailDelivery.state == "queued", MailDelivery.next_try_at <= now)
        .values(next_try_at=now + mail.LEASE).execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return claimed


def due(kinds: MailKinds, limit: int = 50) -> list[int]:
    ids = list(db.session.scalars(sa.select(MailDelivery.id).where(
        MailDelivery.state == "queued", MailDelivery.next_try_at <= utcnow(), MailDelivery.kind.in_(list(kinds)))
        .order_by(MailDelivery.next_try_at).limit(limit)))
    db.session.commit()
    return ids


def record(delivery_id: int, error: mail.MailError | GiveUp | None, kinds: MailKinds) -> None:
    """Sent, failed for good, or due again after a backoff (see the module docstring). Commits."""
    row = db.session.get(MailDelivery, delivery_id)
    if row is None:
        return
    row.attempts += 1
    if error is None:
        row.state, row.sent_at, row.next_try_at, row.last_answer = "sent", utcnow(), None, None
        after = kinds[row.kind].sent
        if after is not None:
            after(row)
    else:
        row.last_answer = (str(error) or type(error).__name__)[:255]
        final = isinstance(error, GiveUp) or error.permanent or row.attempts >= MAX_ATTEMPTS
        row.state = "failed" if final else "queued"
        row.next_try_at = None if final else utcnow() + mail.backoff(row.attempts)
        log.warning("mail not delivered delivery=%s kind=%s attempts=%d state=%s answer=%s", row.id, row.kind,
                    row.attempts, row.state, row.last_answer)
    db.session.commit()


def _built(delivery_id: int, kinds: MailKinds) -> EmailMessage | None:
    """The message for a claimed row (its recipient and subject kept for the admins' page);
    None: dropped. Commits, so no transaction is held over SMTP."""
    row = db.session.get(MailDelivery, delivery_id)
    message = kinds[row.kind].build(row) if row is not None else None
    if row is not None and message is None:
        db.session.delete(row)
    elif message is not None:
        row.recipient, row.subject = str(message["To"])[:254], str(message["Subject"] or "")[:255]
    db.session.commit()
    return message


def send_one(settings, kinds: MailKinds, delivery_id: int) -> bool:
    """Try one due row if no one else holds it; True when the SMTP server accepted it."""
    if not claim(delivery_id):
        return False
    try:
        message = _built(delivery_id, kinds)
    except (GiveUp, mail.MailError) as exc:
        db.session.rollback()
        record(delivery_id, exc, kinds)
        return False
    if message is None:
        return False
    try:
        mail.send(settings, message)
        error = None
    except mail.MailError as exc:
        error = exc
    record(delivery_id, error, kinds)
    return error is None


def send_due(settings, kinds: MailKinds, limit: int = 50) -> int:
    """One pass over the due rows of ``kinds`` (in an app context); how many were accepted."""
    return sum(send_one(settings, kinds, delivery_id) for delivery_id in due(kinds, limit))


def prune(now: datetime | None = None) -> int:
    """Forget sent and failed emails older than :data:`RETENTION`. Commits."""
    cutoff = (now or utcnow()) - RETENTION
    removed = db.session.execute(sa.delete(MailDelivery).where(
        MailDelivery.state != "queued", MailDelivery.created_at < cutoff)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return removed


def run_sender_loop(app: AppScope, kinds: MailKinds, interval: float = SEND_INTERVAL_SECONDS) -> None:
    """Forever: send what is due, prune now and then. Safe to run in several processes."""
    pruned_at = 0.0
    while True:
        try:
            with app.app_context():
                send_due(current_settings(), kinds)
                if time.monotonic() - pruned_at > PRUNE_INTERVAL_SECONDS:
                    prune()
                    for kind in kinds.values():
                        if kind.tidy is not None:
                            kind.tidy()
                    pruned_at = time.monotonic()
        except Exception:
            log.exception("mail pass failed")
            with app.app_context():
                db.session.rollback()
        gevent.sleep(interval)


def deliveries(actor: User, account_id: int | None = None, *, state: str | None = None, kind: str | None = None,
               before_id: int | None = None, limit: int = PAGE_SIZE) -> Page:
    """One page of emails. An account's admins read their account's only; operators any
    account's, and with none named, every email (those of no account included)."""
    query = sa.select(MailDelivery)
    if account_id is not None:
        require_admin(actor, account_for(actor, account_id))
        query = query.where(MailDelivery.account_id == account_id)
    else:
        require_operator(actor)
    for column, value in ((MailDelivery.state, state), (MailDelivery.kind, kind)):
        if value:
            query = query.where(column == value)
    return newest_first(query, MailDelivery.id, before_id, limit)
