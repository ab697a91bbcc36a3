"""Password reset requests ("Forgot your password?", ACC-2): limited, answered the same way for
every address, and emailed from a queue.

The page must not tell who has a login (neither by its answer nor by how long it takes) and
must not let anyone flood a mailbox. So a request does the same work for any address, known or
not, limited or not: count the recent requests for this email and for this source address,
insert one row, commit. It never looks up a user and never talks SMTP. Under both limits the
request owes an email; over either it is only recorded.

The email goes through the common mail queue (fs_service/mail_queue.py, kind
``password_reset``): the request owes one delivery, written with it. Only when the sender
takes it does :func:`mail_kind` look the address up; for an active login it creates the
single-use token (so the raw token is never stored) and builds the link email with the
caller's ``build_message`` (the web door owns the templates). No login: the delivery is
dropped. A request older than :data:`GIVE_UP_AFTER` is not sent any more (failed, "expired").
"""
from __future__ import annotations

import logging
from datetime import timedelta
from email.message import EmailMessage
from typing import Callable

import sqlalchemy as sa

from .. import mail_queue
from ..db import db, utcnow
from ..models import MailDelivery, PasswordResetRequest, User
from ..models._columns import as_utc
from . import login as auth, rules as accounts

log = logging.getLogger("pbx.password_reset")
# Past this a request is dropped instead of retried: its sender has asked again or given up,
# and a late link would revoke the newer one (a new token revokes the older unused ones).
GIVE_UP_AFTER = timedelta(hours=1)
KIND = "password_reset"

# (user, raw token, validity in seconds) -> the email carrying the link
MessageBuilder = Callable[[User, str, int], EmailMessage]


def request_reset(email: str, remote_addr: str, *, max_per_email: int, max_per_ip: int,
                  window_seconds: int) -> bool:
    """Record one request and queue its email when under both limits; True when queued.

    The caller must answer the same whatever this returns: both counts are always read (no
    short cut) and one row is always written, so a limited request costs the same as a queued one.
    """
    email, remote_addr = auth.normalise_email(email), remote_addr[:45]
    for_email = auth.count_recent(PasswordResetRequest, PasswordResetRequest.email == email,
                                  window_seconds=window_seconds)
    for_ip = auth.count_recent(PasswordResetRequest, PasswordResetRequest.remote_addr == remote_addr,
                               window_seconds=window_seconds)
    queued = for_email < max_per_email and for_ip < max_per_ip
    row = PasswordResetRequest(email=email, remote_addr=remote_addr)
    db.session.add(row)
    db.session.flush()
    if queued:
        mail_queue.enqueue(KIND, email, source_id=row.id)
    db.session.commit()
    if not queued:
        log.warning("password reset request limited email=%s remote_addr=%s per_email=%d per_ip=%d",
                    email, remote_addr, for_email, for_ip)
    return queued


def _recipient(request_id: int) -> User | None:
    """The active login the request asked for; None when there is none. GiveUp when stale
    (a request gone was pruned: older than GIVE_UP_AFTER too)."""
    row = db.session.get(PasswordResetRequest, request_id)
    if row is None or as_utc(row.created_at) < utcnow() - GIVE_UP_AFTER:
        raise mail_queue.GiveUp("expired: requested more than an hour ago")
    user = accounts.find_user_by_email(row.email)
    return user if user is not None and user.active else None


def mail_kind(settings, build_message: MessageBuilder) -> mail_queue.MailKind:
    """The ``password_reset`` kind: a fresh link at each try (a new token revokes the older
    unused ones), committed before SMTP so the link works when the email arrives."""
    def build(delivery: MailDelivery) -> EmailMessage | None:
        user = _recipient(delivery.source_id)
        if user is None:
            return None
        delivery.account_id = user.account_id
        token = auth.create_reset_token(user, settings.reset_token_ttl)
        return build_message(user, token, settings.reset_token_ttl)
    return mail_queue.MailKind(build, tidy=lambda: prune(settings.reset_window_seconds))


def prune(window_seconds: int) -> int:
    """Forget requests the limits no longer count and the sender would no longer send."""
    cutoff = utcnow() - max(timedelta(seconds=window_seconds), GIVE_UP_AFTER)
    deleted = db.session.execute(sa.delete(PasswordResetRequest).where(PasswordResetRequest.created_at < cutoff)
                                 .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return deleted
