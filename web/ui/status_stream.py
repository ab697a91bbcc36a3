"""Server-Sent Events for the status page: the account's live view, pushed when it changes.

One stream per open page: a greenlet under gevent (``pbx run``, gunicorn -k gevent), a thread
under a threaded server. Every POLL_SECONDS it reads the account's live *version* (one small
query: fs_service.status.queries.live_version) and only when that changed -- or when the first
registration shown passes its expiry, the one change that needs no write -- reads the live
view (about eight queries), compares its fingerprint with the last one sent and, only on a
change, renders the page's live fragment and sends it: an event reaches the browser within
about a poll after the listener wrote it, and an idle page costs one query a tick. The version
is read *before* the view, so a write landing between the two is seen on the next tick. The
database connection goes back to the pool after each read, so an idle page holds none. A comment line every KEEPALIVE_SECONDS turns a vanished client into a failed write,
and the server then closes the generator; after LIFETIME_SECONDS the stream ends and the
browser's EventSource reconnects after ``retry``, so no stream lives forever. The event id is
the fingerprint: a reconnect sends Last-Event-ID and gets nothing until something changes.
"""
from __future__ import annotations

import time
from typing import Callable, Hashable, Iterator

from fs_service.db import unavailable, utcnow
from fs_service.status.queries import LiveStatus

ACTIVE: set["StatusStream"] = set()  # open streams (tests, health)


def sse_event(event_id: str, data: str, event: str = "status") -> str:
    """One SSE event; every line of ``data`` gets its own ``data:`` field (the spec joins
    them back with newlines)."""
    lines = [f"id: {event_id}", f"event: {event}"]
    lines += [f"data: {line}" for line in (data.splitlines() or [""])]
    return "\n".join(lines) + "\n\n"


class StatusStream:
    POLL_SECONDS = 0.5
    KEEPALIVE_SECONDS = 15.0
    LIFETIME_SECONDS = 300.0
    RETRY_MS = 1000

    def __init__(self, read: Callable[[], LiveStatus | None], render: Callable[[LiveStatus], str],
                 last_id: str | None = None, version: Callable[[], Hashable | None] | None = None) -> None:
        """``read`` returns the live view (None: the account is gone) and must release its
        database connection; ``render`` turns it into the HTML fragment; ``version`` (same
        rules) says whether the view may have changed -- without it every tick reads the view."""
        self.read, self.render, self.sent, self.version = read, render, last_id or None, version
        self.seen: Hashable | None = None  # the version the last read view matches
        self.expires_at: float | None = None  # monotonic time the view changes by itself

    def _changed(self) -> bool | None:
        """Whether the view must be read again; None when the account is gone."""
        if self.version is None:
            return True
        version = self.version()
        if version is None:
            return None
        due = self.expires_at is not None and time.monotonic() >= self.expires_at
        if version == self.seen and not due:
            return False
        self.seen = version
        return True

    def _poll(self) -> LiveStatus | bool | None:
        """The view when it had to be read, False when nothing changed, None: account gone."""
        changed = self._changed()
        if not changed:
            return changed
        status = self.read()
        if status is not None:
            expires = status.expires_next
            self.expires_at = None if expires is None else (
                time.monotonic() + max(0.0, (expires - utcnow()).total_seconds()))
        return status

    def __iter__(self) -> Iterator[str]:
        ACTIVE.add(self)
        try:
            yield f"retry: {self.RETRY_MS}\n\n"
            started = last_write = time.monotonic()
            while time.monotonic() - started < self.LIFETIME_SECONDS:
                try:
                    status = self._poll()
                except Exception as exc:
                    if not unavailable(exc):
                        raise
                    # The database is away: nothing new to show (keep-alives go on), the next
                    # tick asks again. Ending the stream instead would end the page's updates
                    # for good: EventSource does not retry after the 503 its reconnect gets.
                    status = False
                if status is None:
                    return
                fingerprint = status.fingerprint() if status else self.sent
                now = time.monotonic()
                if fingerprint != self.sent:
                    self.sent, last_write = fingerprint, now
                    yield sse_event(fingerprint, self.render(status))
                elif now - last_write >= self.KEEPALIVE_SECONDS:
                    last_write = now
                    yield ": keepalive\n\n"
                time.sleep(self.POLL_SECONDS)  # gevent's sleep once monkey-patched
        finally:
            ACTIVE.discard(self)
