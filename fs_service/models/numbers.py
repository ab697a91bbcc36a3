"""Company numbers, carrier gateways and what a call is sent to (HRS, BL, FAX-1).

A *treatment* is the one reusable "where does this call go" value used by open/closed
behaviours, exceptions, menu keys and voicemail keys 0 and *.
"""
from __future__ import annotations

import secrets
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db
from ._columns import LANGUAGES, account_fk, choice, created_at, updated_at

TREATMENT_KINDS = ("extension", "mailbox", "voicemail_login", "menu", "message", "hangup", "conference")
MESSAGE_THEN = ("hangup", "continue")
EXCEPTION_KINDS = ("all_day", "between")
BLACKLIST_ACTIONS = ("block", "allow")
MATCH_KINDS = ("equals", "starts_with", "ends_with", "contains")


def new_token() -> str:
    """A fresh cache token: rows that change get a new one, so every process sees the change."""
    return secrets.token_hex(8)


class Gateway(db.Model):
    """A carrier trunk, global (account_id NULL) or reserved to one account."""

    __tablename__ = "gateways"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("accounts.id", ondelete="CASCADE",
                                                                 use_alter=True), index=True)
    name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    proxy: Mapped[str] = mapped_column(sa.String(253))
    username: Mapped[str] = mapped_column(sa.String(80), default="")
    password: Mapped[str] = mapped_column(sa.String(128), default="")
    register: Mapped[bool] = mapped_column(default=False)
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at()


class PhoneNumber(db.Model):
    """A DID (E.164) assigned to an account by the operator."""

    __tablename__ = "phone_numbers"
    # The closure access code identifies the number among the account's (HRS-4).
    __table_args__ = (sa.Index("ix_phone_numbers_account_closure_code", "account_id", "closure_code", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_fk()
    e164: Mapped[str] = mapped_column(sa.String(16), unique=True)
    label: Mapped[str] = mapped_column(sa.String(80), default="")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="America/Toronto")
    open_treatment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("treatments.id", ondelete="SET NULL"))
    closed_treatment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("treatments.id", ondelete="SET NULL"))
    closure_code: Mapped[str | None] = mapped_column(sa.String(8))
    closure_password: Mapped[str | None] = mapped_column(sa.String(12))
    closure_message_path: Mapped[str | None] = mapped_column(sa.String(255))
    # Changes whenever the number's schedule, exceptions or treatments change: the key of the
    # compiled rules cached by each web process (so a cached snapshot is never stale).
    rules_token: Mapped[str] = mapped_column(sa.String(16), default=new_token, server_default="")
    is_fax: Mapped[bool] = mapped_column(default=False)
    fax_confirmation_email: Mapped[bool] = mapped_column(default=False)
    fax_inbound_emails: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()

    schedule = relationship("ScheduleRange", cascade="all, delete-orphan", order_by="ScheduleRange.weekday")
    exceptions = relationship("ScheduleException", cascade="all, delete-orphan")


class Treatment(db.Model):
    __tablename__ = "treatments"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_fk()
    kind: Mapped[str] = choice("treatment_kind", TREATMENT_KINDS, default="hangup")
    extension_id: Mapped[int | None] = mapped_column(sa.ForeignKey("extensions.id", ondelete="SET NULL"))
    mailbox_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mailboxes.id", ondelete="SET NULL"))
    menu_id: Mapped[int | None] = mapped_column(sa.ForeignKey("welcome_menus.id", ondelete="SET NULL"))
    message_path: Mapped[str | None] = mapped_column(sa.String(255))
    message_then: Mapped[str] = choice("treatment_message_then", MESSAGE_THEN, default="hangup")
    next_treatment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("treatments.id", ondelete="SET NULL"))


class WelcomeMenu(db.Model):
    __tablename__ = "welcome_menus"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_fk()
    name: Mapped[str] = mapped_column(sa.String(80))
    language: Mapped[str] = choice("menu_language", LANGUAGES, default="fr")
    greeting_path: Mapped[str | None] = mapped_column(sa.String(255))
    timeout_seconds: Mapped[int] = mapped_column(default=5)
    repeat_count: Mapped[int] = mapped_column(default=3)
    dial_by_extension: Mapped[bool] = mapped_column(default=True)
    timeout_treatment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("treatments.id", ondelete="SET NULL"))


class WelcomeMenuKey(db.Model):
    __tablename__ = "welcome_menu_keys"
    __table_args__ = (sa.UniqueConstraint("menu_id", "digit"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    menu_id: Mapped[int] = mapped_column(sa.ForeignKey("welcome_menus.id", ondelete="CASCADE"), index=True)
    digit: Mapped[str] = mapped_column(sa.String(1))
    treatment_id: Mapped[int] = mapped_column(sa.ForeignKey("treatments.id", ondelete="CASCADE"))


class ScheduleRange(db.Model):
    """One open range on one weekday (0 = Monday); several per day allow a lunch closure."""

    __tablename__ = "schedule_ranges"
    id: Mapped[int] = mapped_column(primary_key=True)
    number_id: Mapped[int] = mapped_column(sa.ForeignKey("phone_numbers.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(sa.SmallInteger)
    opens_at: Mapped[time] = mapped_column(sa.Time)
    closes_at: Mapped[time] = mapped_column(sa.Time)


class ScheduleException(db.Model):
    __tablename__ = "schedule_exceptions"
    # A cold inbound call reads its number's exceptions near the day (callplan.public_cache): the
    # dates and the yearly flag in the index let SQLite test each row without reading it (issue 15).
    __table_args__ = (sa.Index("ix_schedule_exceptions_number_dates", "number_id", "repeat_yearly", "end_date",
                               "start_date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    number_id: Mapped[int] = mapped_column(sa.ForeignKey("phone_numbers.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(sa.String(80), default="")
    start_date: Mapped[date] = mapped_column(sa.Date)
    end_date: Mapped[date] = mapped_column(sa.Date)
    kind: Mapped[str] = choice("exception_kind", EXCEPTION_KINDS, default="all_day")
    closed_from: Mapped[time | None] = mapped_column(sa.Time)
    closed_until: Mapped[time | None] = mapped_column(sa.Time)
    repeat_yearly: Mapped[bool] = mapped_column(default=False)
    treatment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("treatments.id", ondelete="SET NULL"))


class BlacklistRule(db.Model):
    __tablename__ = "blacklist_rules"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_fk()
    action: Mapped[str] = choice("blacklist_action", BLACKLIST_ACTIONS, default="block")
    match: Mapped[str] = choice("blacklist_match", MATCH_KINDS, default="equals")
    digits: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = created_at()


class CallVersion(db.Model):
    """Per account, tokens renewed on every change of what inbound calls read: the blacklist
    (key of the compiled matcher each process caches) and the treatments and menus (key of the
    cached routing). Read with the dialed number in one query."""

    __tablename__ = "call_versions"
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    blacklist_token: Mapped[str] = mapped_column(sa.String(16), default=new_token)
    routing_token: Mapped[str] = mapped_column(sa.String(16), default=new_token)
    # Key of the directory documents (SIP users) each process caches (fs_service.directory_versions).
    directory_token: Mapped[str] = mapped_column(sa.String(16), default=new_token)
