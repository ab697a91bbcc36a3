"""Per-process copies of database-built values, each kept with the token it was built under.

A token is a random string renewed in the same transaction as every change of what the value
is built from, and read with the request's first query; a copy is used only while its token
is current, so a change committed by any process is live on the next call everywhere. The
value is always read after its token, so a copy is never older than the token it is kept with.
"""
from __future__ import annotations

from typing import Callable, Generic, Hashable, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
MAX_ENTRIES = 20000


class TokenCache(Generic[K, V]):
    """key → (token, value); a value is rebuilt when its token differs (or is empty)."""

    def __init__(self, build: Callable[[K], V]) -> None:
        self.build = build
        self.entries: dict[K, tuple[str, V]] = {}

    def get(self, key: K, token: str | None) -> V:
        found = self.entries.get(key)
        if found is not None and token and found[0] == token:
            return found[1]
        value = self.build(key)
        if token:
            if len(self.entries) >= MAX_ENTRIES:
                self.entries.clear()
            self.entries[key] = (token, value)
        return value
