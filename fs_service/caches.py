"""Every per-process copy and memo (the core's and the doors'), in one place: bounded, keyed
explicitly, counted.

The call set-up path answers most requests from memory (account views, routing, number rules,
compiled blacklists, plans, rendered documents), so what is kept, under which key and how much
of it, must be visible rather than hidden in module dictionaries:

- a key is an explicit value -- the account (or number) and the inputs that matter -- never
  the ``id()`` of an object, which Python reuses once the object is gone; a value built from
  the database is kept with the token it was built under (its ``version``) and answers only a
  lookup with that same token: the entry of an account is the account's current copy, and a new
  token replaces it (no stale copies piling up);
- each cache has a bound and drops its least recently used entry when full (one lookup moves
  an entry to the young end);
- each counts hits, misses and evictions; :func:`stats` lists every cache by name, which the
  benchmarks print after their figures (``CACHE <name> hits=… misses=… evictions=… size=n/bound``).

Tokens (fs_service.directory_versions, fs_service.call_versions) are renewed in the same
transaction as every change of what a value is built from and read before the value, so a key
holding the current token never answers with a value older than that token; a change committed
by any process is a new key everywhere on the next request.
"""
from __future__ import annotations

import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Generic, Hashable, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# name -> cache. Weak: a cache made again under the same name (another app in the same process,
# as tests do) takes the name over, and one nobody holds any more leaves the listing.
_REGISTRY: "weakref.WeakValueDictionary[str, Cache]" = weakref.WeakValueDictionary()
_ABSENT = object()


@dataclass(frozen=True)
class CacheStats:
    name: str
    hits: int
    misses: int
    evictions: int
    size: int
    bound: int

    def line(self) -> str:
        return (f"CACHE {self.name} hits={self.hits} misses={self.misses} evictions={self.evictions} "
                f"size={self.size}/{self.bound}")


class Cache(Generic[K, V]):
    """A bounded LRU mapping, registered under ``name``, counting what it answers."""

    __slots__ = ("name", "bound", "hits", "misses", "evictions", "_entries", "__weakref__")

    def __init__(self, name: str, bound: int) -> None:
        if bound < 1:
            raise ValueError(f"cache {name!r}: bound must be at least 1, not {bound}")
        self.name, self.bound = name, bound
        self.hits = self.misses = self.evictions = 0
        self._entries: OrderedDict[K, tuple[Hashable, V]] = OrderedDict()  # key -> (version, value)
        _REGISTRY[name] = self

    def __len__(self) -> int:
        return len(self._entries)

    def held(self, key: K) -> tuple[Hashable, V] | None:
        """(version, value) kept under ``key``, or None (not counted, order unchanged: for tests
        and diagnostics)."""
        return self._entries.get(key)

    def lookup(self, key: K, version: Hashable = None) -> V | None:
        """The value kept under ``key`` for ``version`` (now the most recently used), or None
        (absent, or kept for another version); counted."""
        found = self._entries.get(key, _ABSENT)
        if found is _ABSENT or found[0] != version:  # type: ignore[index]
            self.misses += 1
            return None
        self.hits += 1
        self._entries.move_to_end(key)
        return found[1]  # type: ignore[index]

    def put(self, key: K, value: V, version: Hashable = None) -> V:
        """Keep ``value`` under ``key`` for ``version`` (replacing what was kept for another),
        dropping the least recently used entry when full."""
        entries = self._entries
        entries[key] = (version, value)
        entries.move_to_end(key)
        if len(entries) > self.bound:
            entries.popitem(last=False)
            self.evictions += 1
        return value

    def get_or_build(self, key: K, build: Callable[[], V], version: Hashable = None) -> V:
        """The kept value, or ``build()``'s, kept (a None value is not kept: built each time)."""
        found = self.lookup(key, version)
        if found is not None:
            return found
        value = build()
        return self.put(key, value, version) if value is not None else value

    def clear(self) -> None:
        """Forget every entry (counters kept: they describe the process's life)."""
        self._entries.clear()

    def stats(self) -> CacheStats:
        return CacheStats(self.name, self.hits, self.misses, self.evictions, len(self._entries), self.bound)


class TokenCache(Generic[K, V]):
    """Values built from the database by ``build(key)``: the key names what the value is of (an
    account, a number and its day), the token which version of it. An empty or missing token
    (nothing committed yet, or an unknown row) is never kept: built every time."""

    def __init__(self, name: str, build: Callable[[K], V], bound: int) -> None:
        self.build = build
        self.cache: Cache[K, V] = Cache(name, bound)

    def get(self, key: K, token: str | None) -> V:
        if not token:
            self.cache.misses += 1
            return self.build(key)
        found = self.cache.lookup(key, token)
        if found is not None:
            return found
        return self.cache.put(key, self.build(key), token)


def stats() -> list[CacheStats]:
    """Every live cache's counters, by name."""
    return [cache.stats() for _, cache in sorted(_REGISTRY.items())]


def report_lines() -> list[str]:
    """One ``CACHE …`` line per cache, as the benchmarks print them."""
    return [found.line() for found in stats()]
