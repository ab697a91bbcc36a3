"""Rendered directory documents kept per process, exact thanks to the account's directory token.

A registration storm asks for the same few thousand users again and again (phones re-register
every few minutes, and every REGISTER/INVITE costs a fetch before FreeSWITCH's own cache has
the user). Serving a cached rendering after one tiny token read cut the per-request cost by
more than half (bench/directory/README.md). Any committed change renews the token
(fs_service.directory_versions), so the next request from any process rebuilds the document.
"""
from __future__ import annotations

from typing import Callable

from fs_service.caches import Cache
from fs_service.directory_versions import directory_token

MAX_ENTRIES = 50_000  # ~2 KB each: ~100 MB at worst; the least recently asked goes first

Render = Callable[[], tuple[bytes, str]]


class UserDocumentCache:
    """(domain, user) -> (document, outcome) under the domain's directory token, one per app."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.entries: Cache[tuple[str, str], tuple[bytes, str]] = Cache("directory.user_documents", max_entries)

    def get_or_render(self, domain: str, user: str, render: Render) -> tuple[bytes, str]:
        token = directory_token(domain)
        if token is None:  # unknown domain, or no token yet: nothing to key a copy by
            return render()
        return self.entries.get_or_build((domain.strip().lower(), user), render, token)
