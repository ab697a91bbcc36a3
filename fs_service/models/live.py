"""Live state shared by every process: registrations, channels, parked calls, nodes, and the
FreeSWITCH commands still owed to a node that was down (STAT, PARK, "saved = live")."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db
from ._columns import created_at


class NodeStatus(db.Model):
    __tablename__ = "node_status"
    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    connected: Mapped[bool] = mapped_column(default=False)
    last_change_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Refreshed by the listener's probe: the web can tell a dead `pbx esl` from a connected node.
    last_seen_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(sa.String(255))


class Registration(db.Model):
    __tablename__ = "registrations"
    __table_args__ = (sa.UniqueConstraint("node", "call_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    node: Mapped[str] = mapped_column(sa.String(64))
    call_id: Mapped[str] = mapped_column(sa.String(255))
    sip_user: Mapped[str] = mapped_column(sa.String(80), index=True)
    sip_domain: Mapped[str] = mapped_column(sa.String(253), index=True)
    contact: Mapped[str] = mapped_column(sa.Text, default="")
    user_agent: Mapped[str] = mapped_column(sa.String(255), default="")
    network_ip: Mapped[str] = mapped_column(sa.String(45), default="")
    expires_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at()


class ActiveChannel(db.Model):
    __tablename__ = "active_channels"
    uuid: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    node: Mapped[str] = mapped_column(sa.String(64))
    sip_user: Mapped[str | None] = mapped_column(sa.String(80), index=True)
    sip_domain: Mapped[str | None] = mapped_column(sa.String(253), index=True)
    state: Mapped[str] = mapped_column(sa.String(24), default="ringing")
    caller_number: Mapped[str] = mapped_column(sa.String(40), default="")
    destination: Mapped[str] = mapped_column(sa.String(40), default="")
    created_at: Mapped[datetime] = created_at()


class ParkedCall(db.Model):
    """A call held in a valet lot. mod_valet_parking keeps lots in each switch's own memory, so
    with several FreeSWITCH nodes the same lot (the account's SIP domain) can hold slot 701 on
    each node at once: a slot is unique per (node, lot), not per lot (0009_parked_calls_per_node)."""

    __tablename__ = "parked_calls"
    __table_args__ = (sa.UniqueConstraint("node", "lot", "slot"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    node: Mapped[str] = mapped_column(sa.String(64), index=True)  # resync replaces one node's rows
    lot: Mapped[str] = mapped_column(sa.String(253))
    slot: Mapped[str] = mapped_column(sa.String(8))
    uuid: Mapped[str] = mapped_column(sa.String(64))
    caller_number: Mapped[str] = mapped_column(sa.String(40), default="")
    caller_name: Mapped[str] = mapped_column(sa.String(80), default="")
    parked_by: Mapped[str | None] = mapped_column(sa.String(10))
    created_at: Mapped[datetime] = created_at()


class LiveVersion(db.Model):
    """Renewed (new ``token``) in the same transaction as any write to the account's
    registrations, channels or parked calls, once per applied batch (fs_service.status.store):
    an open status page reads this one row per tick and re-reads the full view only when it
    changed."""

    __tablename__ = "live_versions"
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(16))


class PendingFsCommand(db.Model):
    """A FreeSWITCH side effect that could not be delivered after commit; retried in order."""

    __tablename__ = "pending_fs_commands"
    id: Mapped[int] = mapped_column(primary_key=True)
    node: Mapped[str] = mapped_column(sa.String(64), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    payload: Mapped[dict] = mapped_column(sa.JSON)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = created_at()
