"""Column helpers so every model spells enums, timestamps and keys the same way."""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import mapped_column

from ..db import utcnow


def choice(name: str, values: tuple[str, ...], default: str | None = None, nullable: bool = False):
    """A VARCHAR with a CHECK constraint: portable across SQLite and PostgreSQL, unlike native enums."""
    return mapped_column(
        sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=24),
        default=default, nullable=nullable,
        server_default=sa.text(f"'{default}'") if default is not None else None,
    )


def created_at():
    return mapped_column(sa.DateTime(timezone=True), default=utcnow, nullable=False)


def updated_at():
    return mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow, nullable=False)


def account_fk(nullable: bool = False, index: bool = True):
    return mapped_column(sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=nullable, index=index)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; treat them as the UTC they were stored as."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


LANGUAGES = ("fr", "en")
TOLL_MODES = ("disabled", "code", "unlimited")
