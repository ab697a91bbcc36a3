"""Rendered directory documents kept per process, exact thanks to the account's directory token.

A registration storm asks for the same few thousand users again and again (phones re-register
every few minutes, and every REGISTER/INVITE costs a fetch before FreeSWITCH's own cache has
the user). Serving a cached rendering after one tiny token read cut the per-request cost by
more than half (bench/README.md). Any committed change renews the token
(fs_service.directory_versions), so the next request from any process rebuilds the document.
"""
from __future__ import annotations

from typing import Callable

from fs_service.directory_versions import directory_token

MAX_ENTRIES = 50_000  # ~2 KB each: ~100 MB at worst; cleared wholesale when full

Render = Callable[[], tuple[bytes, str]]


class UserDocumentCache:
    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: dict[tuple[str, str], tuple[str, bytes, str]] = {}

    def get_or_render(self, domain: str, user: str, render: Render) -> tuple[bytes, str]:
        token = directory_token(domain)
        key = (domain.strip().lower(), user)
        cached = self._entries.get(key)
        if token is not None and cached is not None and cached[0] == token:
            return cached[1], cached[2]
        body, outcome = render()
        if token is not None:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[key] = (token, body, outcome)
        return body, outcome
