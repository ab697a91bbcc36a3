"""Password reset requests ("Forgot your password?", ACC-2): limited, answered the same way for
every address, and emailed from a queue.

The page must not tell who has a login (neither by its answer nor by how long it takes) and
must not let anyone flood a mailbox. So a request does the same work for any address, known or
not, limited or not: count the recent requests for this email and for this source address,
insert one row, commit. It never looks up a user and never talks SMTP. Under both limits the
row is queued (``email_due_at`` set); over either it is only recorded.

The sender (:func:`run_sender_loop`, started by ``pbx run`` and ``pbx voicemail``) drains the
queue like the voicemail and fax mailers: it first *claims* a row with a conditional UPDATE
that pushes ``email_due_at`` forward (:func:`fs_service.mail.claim_due`), so several processes never send the same
email (the same on SQLite and PostgreSQL). Only then does it look the address up; for an active
login it creates the single-use token (so the raw token is never stored) and sends the link,
built by the caller's ``build_message`` (the web door owns the templates). No login: the row
simply leaves the queue.
"""
from __future__ import annotations

import logging
import time
from datetime import timedelta
from email.message import EmailMessage
from typing import Callable

import gevent
import sqlalchemy as sa
from flask import Flask

from . import accounts, auth, mail
from .db import db, utcnow
from .models import PasswordResetRequest, User
from .models._columns import as_utc

log = logging.getLogger("pbx.password_reset")
# Past this a request is dropped instead of retried: its sender has asked again or given up,
# and a late link would revoke the newer one (a new token revokes the older unused ones).
GIVE_UP_AFTER = timedelta(hours=1)
SEND_INTERVAL_SECONDS = 2.0  # the person is waiting for the email
PRUNE_INTERVAL_SECONDS = 300.0

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
    db.session.add(PasswordResetRequest(email=email, remote_addr=remote_addr,
                                        email_due_at=utcnow() if queued else None))
    db.session.commit()
    if not queued:
        log.warning("password reset request limited email=%s remote_addr=%s per_email=%d per_ip=%d",
                    email, remote_addr, for_email, for_ip)
    return queued


def _recipient(request_id: int) -> User | None:
    """The active login the claimed request asked for; None when there is none or it is stale."""
    row = db.session.get(PasswordResetRequest, request_id)
    if row is None or as_utc(row.created_at) < utcnow() - GIVE_UP_AFTER:
        return None
    user = accounts.find_user_by_email(row.email)
    return user if user is not None and user.active else None


def _record(request_id: int, error: str | None) -> None:
    """Sent: out of the queue. Failed: tried again after a backoff. Nobody to send to: out."""
    row = db.session.get(PasswordResetRequest, request_id)
    if row is None:  # pruned meanwhile
        return
    if error is None:
        row.email_due_at, row.emailed_at = None, utcnow()
    else:
        row.email_attempts += 1
        row.email_due_at = utcnow() + mail.backoff(row.email_attempts)
        log.warning("password reset email failed request=%s attempts=%d error=%s", request_id,
                    row.email_attempts, error)
    db.session.commit()


def _drop(request_id: int) -> None:
    db.session.execute(sa.update(PasswordResetRequest).where(PasswordResetRequest.id == request_id)
                       .values(email_due_at=None).execution_options(synchronize_session=False))
    db.session.commit()


def send_one(settings, build_message: MessageBuilder, request_id: int) -> bool:
    """Email one queued request if it is due and not being sent elsewhere; True when sent."""
    if not mail.claim_due(PasswordResetRequest, request_id):
        return False
    user = _recipient(request_id)
    if user is None:
        _drop(request_id)
        return False
    token = auth.create_reset_token(user, settings.reset_token_ttl)
    message = build_message(user, token, settings.reset_token_ttl)
    db.session.commit()  # the link must work when the email arrives; no transaction held over SMTP
    try:
        mail.send(settings, message)
        error = None
    except mail.MailError as exc:
        error = str(exc)[:255] or "SMTP error"
    _record(request_id, error)
    return error is None


def send_due(settings, build_message: MessageBuilder, limit: int = 50) -> int:
    """One pass over the due reset emails (in an app context); how many SMTP accepted."""
    ids = list(db.session.scalars(sa.select(PasswordResetRequest.id).where(
        PasswordResetRequest.email_due_at.is_not(None), PasswordResetRequest.email_due_at <= utcnow())
        .order_by(PasswordResetRequest.email_due_at).limit(limit)))
    db.session.commit()
    return sum(send_one(settings, build_message, request_id) for request_id in ids)


def prune(window_seconds: int) -> int:
    """Forget requests the limits no longer count and the sender would no longer send."""
    cutoff = utcnow() - max(timedelta(seconds=window_seconds), GIVE_UP_AFTER)
    deleted = db.session.execute(sa.delete(PasswordResetRequest).where(PasswordResetRequest.created_at < cutoff)
                                 .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return deleted


def run_sender_loop(app: Flask, build_message: MessageBuilder, interval: float = SEND_INTERVAL_SECONDS) -> None:
    """Forever: send what is due, and prune now and then. Safe to run in several processes."""
    settings = app.config["PBX"]
    pruned_at = 0.0
    while True:
        try:
            with app.app_context():
                send_due(settings, build_message)
                if time.monotonic() - pruned_at > PRUNE_INTERVAL_SECONDS:
                    prune(settings.reset_window_seconds)
                    pruned_at = time.monotonic()
        except Exception:
            log.exception("password reset email pass failed")
        gevent.sleep(interval)
