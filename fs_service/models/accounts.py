"""Tenants, people and their credentials (ACC-1..3)."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db
from ._columns import LANGUAGES, account_fk, choice, created_at, updated_at

ROLES = ("operator", "admin", "user")


class Account(db.Model):
    """A customer company: one SIP domain, everything else hangs off it."""

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    sip_domain: Mapped[str] = mapped_column(sa.String(253), unique=True)
    language: Mapped[str] = choice("account_language", LANGUAGES, default="fr")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="America/Toronto")
    enabled: Mapped[bool] = mapped_column(default=True)
    # 0011_two_factor: the account's admins must log in with a one-time code too (operators always do)
    admins_require_two_factor: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    gateway_id: Mapped[int | None] = mapped_column(sa.ForeignKey("gateways.id", ondelete="SET NULL"))
    reception_treatment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("treatments.id", ondelete="SET NULL", use_alter=True))
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()

    users = relationship("User", back_populates="account", passive_deletes=True)


class User(db.Model):
    """A person who logs in with an email. Operators have no account."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = account_fk(nullable=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    first_name: Mapped[str] = mapped_column(sa.String(80), default="")
    last_name: Mapped[str] = mapped_column(sa.String(80), default="")
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[str] = choice("user_role", ROLES, default="user")
    language: Mapped[str] = choice("user_language", LANGUAGES, default="fr")
    active: Mapped[bool] = mapped_column(default=True)
    can_fax: Mapped[bool] = mapped_column(default=False)
    # FAX-2 "remember for next fax"
    fax_language: Mapped[str | None] = mapped_column(sa.String(2))
    fax_subject: Mapped[str | None] = mapped_column(sa.String(200))
    fax_company: Mapped[str | None] = mapped_column(sa.String(200))
    fax_hide_recipient_phone: Mapped[bool] = mapped_column(default=False)
    fax_hide_sender_phone: Mapped[bool] = mapped_column(default=False)
    fax_hide_sender_fax: Mapped[bool] = mapped_column(default=False)
    # 0011_two_factor (fs_service/accounts/two_factor.py): the TOTP secret once confirmed, and the last
    # 30-second step accepted, so one code opens one login only.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()

    account = relationship("Account", back_populates="users")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    # Flask-Login protocol, kept here so the web door needs no wrapper class.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)


class PasswordResetToken(db.Model):
    """Single-use, expiring reset link; only the SHA-256 of the token is stored."""

    __tablename__ = "password_reset_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at()


class LoginAttempt(db.Model):
    """Failed logins, kept in the database so every web worker enforces the same limit."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    remote_addr: Mapped[str] = mapped_column(sa.String(45), default="")
    created_at: Mapped[datetime] = created_at()


class PasswordResetRequest(db.Model):
    """One "forgot password" request. The rows are the reset throttle (per email and per source
    address, in the database so every web worker counts the same); the reset email itself is a
    row of mail_deliveries. Only the address typed is kept, never a user: the request
    itself does not look up who has a login (the sender does, in the background)."""

    __tablename__ = "password_reset_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    remote_addr: Mapped[str] = mapped_column(sa.String(45), index=True, default="")
    created_at: Mapped[datetime] = created_at()


class RecoveryCode(db.Model):
    """A single-use code that replaces the authenticator app once (lost phone); SHA-256 only."""

    __tablename__ = "recovery_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at()


class ApiToken(db.Model):
    """Bearer token for the REST API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    last_used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at()
