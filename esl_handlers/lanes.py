"""Ordered, batched work lanes run by a bounded gevent pool.

The ESL reader must never wait for the database, and events of one key must apply in order
(a channel's HANGUP after its CREATE, a slot's exit after its hold). A lane is a FIFO per key;
at most one greenlet drains a lane, taking everything queued (up to ``batch_max``) and calling
the lane's ``apply(batch)`` once, in its own app context. Live status uses one lane per
(node, module), so one node's changes apply in arrival order and each batch is one
transaction; different nodes and modules run in parallel, up to ``size`` greenlets.

The database work of a batch runs in gevent's native threadpool (``threaded``, the default):
sqlite3 and libpq block the calling OS thread -- an SQLite commit waits for fsync, PostgreSQL
for the network -- and in the event loop's thread that would stall the ESL reader and every web
greenlet of the embedded process. In a worker thread only the lane waits; the drivers release
the GIL while they block, so reading and parsing go on meanwhile.

Group commit: a lane lingers ``linger`` seconds (20 ms) before taking a batch that is not yet
full, so under load a batch holds what arrived meanwhile and its fixed cost (session, BEGIN,
COMMIT with its fsync) is shared by hundreds of events instead of a dozen. Live status has a
2-second budget to the browser; 20 ms is invisible there.

Back-pressure: when ``max_pending`` items wait, ``put`` blocks the reader until a batch
lands, so a slow database slows the socket (FreeSWITCH queues up to 100000 events) instead of
growing memory. A failing batch is retried item by item, so one bad change is logged and
dropped without losing the others.

The database going away (a PostgreSQL restart, a held SQLite lock) is not a bad change: the
lane keeps the batch, in order, and tries it again with capped backoff until the database
answers -- events queue behind it (then back-pressure as above) and nothing is dropped, so a
fax result or a hangup that arrived during the outage still lands when it ends. One warning
when the lane starts waiting and one line when it lands, not a stack trace per attempt.
"""
from __future__ import annotations

import logging
import time
from collections import deque
from typing import Callable, Hashable

import gevent
from gevent.event import Event
from gevent.pool import Pool

from fs_service.db import unavailable

log = logging.getLogger("pbx.esl.lanes")
Apply = Callable[[list], object]


class Lanes:
    def __init__(self, app, *, size: int = 8, batch_max: int = 5000, max_pending: int = 50000,
                 threaded: bool = True, linger: float = 0.02,
                 outage_backoff: tuple[float, float] = (0.2, 5.0)) -> None:
        self.app = app
        self.outage_backoff = outage_backoff
        self.linger = linger
        self.threaded = threaded
        self.batch_max = batch_max
        self.max_pending = max_pending
        self.pending = 0
        self.applied = 0  # items applied (or dropped after logging), for health and benchmarks
        self.failed = 0
        self.batches = 0
        self.outages = 0  # times a lane found the database away and held its batch
        self._pool = Pool(size)
        self._queues: dict[Hashable, deque] = {}
        self._room = Event()
        self._idle = Event()
        self._idle.set()

    def put(self, key: Hashable, apply: Apply, item: object) -> None:
        """Queue ``item`` for ``apply`` behind everything already queued under ``key``."""
        if self.pending >= self.max_pending:
            self._wait_for_room()
        self.pending += 1
        queue = self._queues.get(key)
        if queue is not None:  # the lane is being drained: it will take this item too
            queue.append(item)
            return
        self._idle.clear()
        self._queues[key] = deque([item])
        self._pool.spawn(self._drain, key, apply).link_exception(self._died)

    def _wait_for_room(self) -> None:
        while self.pending >= self.max_pending:
            self._room.clear()
            self._room.wait(1.0)

    def _drain(self, key: Hashable, apply: Apply) -> None:
        queue = self._queues[key]
        try:
            while queue:
                if self.linger and len(queue) < self.batch_max:
                    gevent.sleep(self.linger)
                batch = [queue.popleft() for _ in range(min(len(queue), self.batch_max))]
                self._apply(key, apply, batch)
                self.batches += 1
                self.pending -= len(batch)
                self.applied += len(batch)
                self._room.set()
                gevent.sleep(0)  # let the reader queue more: the next batch grows under load
        finally:
            del self._queues[key]
            if not self._queues:
                self._idle.set()

    def _apply(self, key: Hashable, apply: Apply, batch: list) -> None:
        if self._land(key, apply, batch):
            return
        for item in batch if len(batch) > 1 else ():  # isolate the bad item, keep the rest
            if not self._land(key, apply, [item]):
                self.failed += 1
        if len(batch) == 1:
            self.failed += 1

    def _land(self, key: Hashable, apply: Apply, batch: list) -> bool:
        """Apply ``batch``, waiting out a database outage; False: the batch itself failed."""
        error = self._try(apply, batch)
        if error is not None and unavailable(error):
            error = self._wait_for_database(key, apply, batch, error)
        if error is None:
            return True
        what = f"item={batch[0]!r}" if len(batch) == 1 else f"batch of {len(batch)}, retrying one by one"
        log.error("esl lane apply failed lane=%s %s", key, what, exc_info=error)
        return False

    def _wait_for_database(self, key: Hashable, apply: Apply, batch: list,
                           error: BaseException) -> BaseException | None:
        self.outages += 1
        started, delay = time.monotonic(), self.outage_backoff[0]
        log.warning("esl lane waiting for the database lane=%s held=%d error=%s", key, self.pending,
                    type(getattr(error, "orig", None) or error).__name__)
        while error is not None and unavailable(error):
            gevent.sleep(delay)
            delay = min(delay * 2, self.outage_backoff[1])
            error = self._try(apply, batch)
        if error is None:
            log.warning("esl lane database back lane=%s waited=%.1fs held=%d", key,
                        time.monotonic() - started, self.pending)
        return error

    def _try(self, apply: Apply, batch: list) -> BaseException | None:
        if self.threaded:
            return gevent.get_hub().threadpool.apply(self._in_context, (apply, batch))
        return self._in_context(apply, batch)

    def _in_context(self, apply: Apply, batch: list) -> BaseException | None:
        """The batch's error is returned, not raised: gevent's threadpool would print each
        one's traceback (every retry of an outage) before handing it over."""
        try:
            with self.app.app_context():  # its own context (and so its own session) per batch
                apply(batch)
        except Exception as error:
            return error
        return None

    @staticmethod
    def _died(greenlet: gevent.Greenlet) -> None:
        log.error("esl lane greenlet died error=%r", greenlet.exception)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """True once nothing is queued or being applied (tests, benchmarks, shutdown)."""
        return self._idle.wait(timeout)

    def stop(self) -> None:
        self._pool.kill(block=True, timeout=2)
