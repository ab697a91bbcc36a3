"""Newest-first lists paged by id ("before this id"), for logs that only grow: unlike an
offset, a page stays the same while new rows arrive on top of it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

import sqlalchemy as sa

from .db import db

T = TypeVar("T")
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class Page(Generic[T]):
    """``next_before_id`` continues the list (None: nothing older)."""
    items: list[T]
    next_before_id: int | None


def newest_first(query: sa.Select, id_column, before_id: int | None, limit: int) -> Page:
    """One page of ``query``'s rows, newest (highest id) first, older than ``before_id``."""
    if before_id is not None:
        query = query.where(id_column < before_id)
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    rows = list(db.session.scalars(query.order_by(id_column.desc()).limit(limit + 1)))
    return Page(rows[:limit], rows[limit - 1].id if len(rows) > limit else None)
