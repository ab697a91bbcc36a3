"""The audit log: who changed what (people through the UI, the API or the CLI), and which
commands were sent to FreeSWITCH with their answers (issue 14). Written by fs_service.audit."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db, utcnow
from ._columns import choice

AUDIT_SOURCES = ("ui", "api", "cli", "system")
AUDIT_ACTIONS = ("create", "update", "delete", "command")


class AuditEvent(db.Model):
    """One change of one object, or one FreeSWITCH command.

    Account and actor are plain numbers (no foreign key) plus the actor's email as it was: the
    history must outlive the deletion of the account or of the person it tells about.
    ``changes`` maps each field to ``[before, after]`` (secrets masked); a command keeps
    ``{"node", "command", "ok", "reply"}``.
    """

    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_account_id_id", "account_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    account_id: Mapped[int | None] = mapped_column()
    actor_id: Mapped[int | None] = mapped_column()
    actor_email: Mapped[str] = mapped_column(sa.String(254), default="")
    source: Mapped[str] = choice("audit_source", AUDIT_SOURCES)
    action: Mapped[str] = choice("audit_action", AUDIT_ACTIONS)
    object_type: Mapped[str] = mapped_column(sa.String(64))
    object_id: Mapped[str] = mapped_column(sa.String(64), default="")
    changes: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    remote_addr: Mapped[str] = mapped_column(sa.String(45), default="")
