"""Logging in: password hashes, the login throttle, reset links and API tokens (ACC-2).

Hashes use werkzeug's scrypt. Tokens (reset links, API tokens) are random, shown once, and
stored only as SHA-256 so a database leak does not leak usable links.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import db, utcnow
from ..errors import TooManyAttempts, ValidationFailed
from ..models import ApiToken, LoginAttempt, PasswordResetToken, User
from ..models._columns import as_utc

MIN_PASSWORD_LENGTH = 10
# A fixed hash to compare against when the email is unknown, so timing does not reveal accounts.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def check_password_rules(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed.field(field, f"must be at least {MIN_PASSWORD_LENGTH} characters")


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def count_recent(model, *criteria, window_seconds: int) -> int:
    """Rows of ``model`` matching ``criteria`` created in the last ``window_seconds``: what the
    throttles (logins, password reset requests) count. Read from the database, not from process
    memory, so every web worker enforces the same limit."""
    since = utcnow() - timedelta(seconds=window_seconds)
    return db.session.scalar(sa.select(sa.func.count(model.id)).where(*criteria, model.created_at >= since)) or 0


def _recent_failures(email: str, window_seconds: int) -> int:
    return count_recent(LoginAttempt, LoginAttempt.email == email, window_seconds=window_seconds)


def authenticate(email: str, password: str, remote_addr: str, *, max_failures: int,
                 window_seconds: int) -> User | None:
    """Return the user for good credentials, None for bad ones; raise when throttled.

    The throttle counts failures per email in the database, so every web worker shares it and an
    attacker cannot spread guesses across processes. A success clears the count, except for a
    login with two-factor on: there, wrong one-time codes count too, and re-typing the right
    password must not give a new round of guesses.
    """
    email = normalise_email(email)
    check_throttle(email, max_failures=max_failures, window_seconds=window_seconds)
    user = db.session.scalar(sa.select(User).where(User.email == email))
    ok = check_password_hash(user.password_hash if user and user.password_hash else _DUMMY_HASH, password)
    if ok and user and user.active and user.password_hash:
        if user.totp_enabled_at is None:  # else the count clears once the one-time code is right too
            clear_failures(email)
        return user
    record_failure(email, remote_addr)
    return None


def check_throttle(email: str, *, max_failures: int, window_seconds: int) -> None:
    """Raise once ``email`` had too many failed passwords or one-time codes in the window."""
    if _recent_failures(normalise_email(email), window_seconds) >= max_failures:
        raise TooManyAttempts("too many failed logins; try again later")


def record_failure(email: str, remote_addr: str) -> None:
    """A wrong password or one-time code, committed at once so every worker counts it."""
    db.session.add(LoginAttempt(email=normalise_email(email), remote_addr=remote_addr[:45]))
    db.session.commit()


def clear_failures(email: str) -> None:
    db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.email == normalise_email(email)))
    db.session.commit()


def create_reset_token(user: User, ttl_seconds: int) -> str:
    """A new single-use link token; older unused ones for this user are revoked."""
    db.session.execute(sa.delete(PasswordResetToken).where(
        PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)))
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordResetToken(user_id=user.id, token_hash=_token_digest(token),
                                      expires_at=utcnow() + timedelta(seconds=ttl_seconds)))
    return token


def user_for_reset_token(token: str) -> User | None:
    row = db.session.scalar(sa.select(PasswordResetToken).where(
        PasswordResetToken.token_hash == _token_digest(token)))
    if row is None or row.used_at is not None or as_utc(row.expires_at) < utcnow():
        return None
    return db.session.get(User, row.user_id)


def consume_reset_token(token: str, new_password: str) -> User:
    """Set the new password and burn the token in the same transaction."""
    user = user_for_reset_token(token)
    if user is None:
        raise ValidationFailed.field("token", "this link is invalid, already used or expired",
                                     error_id="reset_token_invalid")
    check_password_rules(new_password)
    user.password_hash = hash_password(new_password)
    db.session.execute(sa.update(PasswordResetToken).where(
        PasswordResetToken.token_hash == _token_digest(token)).values(used_at=utcnow()))
    db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.email == user.email))
    return user


def create_api_token(user: User, name: str) -> str:
    token = "pbx_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, name=name, token_hash=_token_digest(token)))
    return token


def user_for_api_token(token: str) -> User | None:
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _token_digest(token)))
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    now: datetime = utcnow()
    if row.last_used_at is None or now - as_utc(row.last_used_at) > timedelta(minutes=5):
        row.last_used_at = now  # coarse, to avoid a write per request
        db.session.commit()
    return user
