"""Extensions and their SIP accounts (EXT-1..5, FWD, FMFM, DEV-2).

Every per-extension setting of the spec is a typed column (no key/value bag), so the planner
and the schema agree on one shape and a migration adds a column when a setting is added.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db
from ._columns import LANGUAGES, TOLL_MODES, account_fk, choice, created_at, updated_at

BUSY_BEHAVIOURS = ("ring", "message", "voicemail")
RECORDING_MODES = ("disabled", "inbound", "outbound", "all")
FORWARD_MODES = ("off", "always", "no_answer", "simultaneous", "confirm")
DND_MODES = ("busy", "voicemail")


class Extension(db.Model):
    __tablename__ = "extensions"
    __table_args__ = (sa.UniqueConstraint("account_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_fk()
    number: Mapped[str] = mapped_column(sa.String(10))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    sip_password: Mapped[str] = mapped_column(sa.String(64))
    caller_id_name: Mapped[str] = mapped_column(sa.String(80), default="")
    voicemail_enabled: Mapped[bool] = mapped_column(default=True)
    voicemail_email: Mapped[str | None] = mapped_column(sa.String(254))
    listed_in_directory: Mapped[bool] = mapped_column(default=True)
    # EXT-3 (the user's own settings)
    language: Mapped[str] = choice("extension_language", LANGUAGES, default="fr")
    music_on_hold: Mapped[str] = mapped_column(sa.String(80), default="default")
    ring_seconds: Mapped[int] = mapped_column(default=20)  # 0 = ring until the caller hangs up
    dnd: Mapped[bool] = mapped_column(default=False)
    dnd_mode: Mapped[str] = choice("extension_dnd_mode", DND_MODES, default="voicemail")
    busy_behaviour: Mapped[str] = choice("extension_busy", BUSY_BEHAVIOURS, default="ring")
    # FWD-1..3
    forward_mode: Mapped[str] = choice("extension_forward", FORWARD_MODES, default="off")
    forward_destination: Mapped[str | None] = mapped_column(sa.String(32))
    # FMFM-1
    fmfm_enabled: Mapped[bool] = mapped_column(default=False)
    fmfm_number: Mapped[str | None] = mapped_column(sa.String(32))
    fmfm_ring_seconds: Mapped[int] = mapped_column(default=20)
    fmfm_music_on_hold: Mapped[bool] = mapped_column(default=False)
    fmfm_screening: Mapped[bool] = mapped_column(default=False)
    fmfm_skip_greeting: Mapped[bool] = mapped_column(default=False)
    fmfm_pass_caller_id: Mapped[bool] = mapped_column(default=True)
    fmfm_extra_attempts: Mapped[int] = mapped_column(default=0)
    # EXT-4 (admin only)
    recording: Mapped[str] = choice("extension_recording", RECORDING_MODES, default="disabled")
    pickup_allowed: Mapped[bool] = mapped_column(default=True)
    long_distance: Mapped[str] = choice("extension_long_distance", TOLL_MODES, default="unlimited")
    long_distance_code: Mapped[str | None] = mapped_column(sa.String(12))
    international: Mapped[str] = choice("extension_international", TOLL_MODES, default="disabled")
    international_code: Mapped[str | None] = mapped_column(sa.String(12))
    uc_enabled: Mapped[bool] = mapped_column(default=False)
    video_enabled: Mapped[bool] = mapped_column(default=False)
    outbound_caller_id_name: Mapped[str | None] = mapped_column(sa.String(15))
    outbound_caller_id_number_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("phone_numbers.id", ondelete="SET NULL"))
    hide_caller_id: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()

    account = relationship("Account")
    user = relationship("User")
    softphones = relationship("Softphone", back_populates="extension", cascade="all, delete-orphan",
                              order_by="Softphone.id")
    outbound_caller_id_number = relationship("PhoneNumber")


class Softphone(db.Model):
    """A separate SIP account for one softphone of an extension (DEV-2).

    Its SIP user name lives in the same namespace as extension numbers of the account (the
    directory looks both up by user id), so the core refuses collisions both ways.
    """

    __tablename__ = "softphones"
    __table_args__ = (sa.UniqueConstraint("account_id", "sip_username"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_fk()
    extension_id: Mapped[int] = mapped_column(sa.ForeignKey("extensions.id", ondelete="CASCADE"), index=True)
    sip_username: Mapped[str] = mapped_column(sa.String(40))
    sip_password: Mapped[str] = mapped_column(sa.String(64))
    label: Mapped[str] = mapped_column(sa.String(80), default="")
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()

    extension = relationship("Extension", back_populates="softphones")
