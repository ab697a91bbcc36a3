"""The fax worker (FAX-5..7): places queued faxes, reconciles stuck ones, converts received
faxes and sends the fax emails (their kinds of the one mail queue, fs_service/mail_queue.py). Run by ``pbx run`` (embedded) or ``pbx fax-worker``
(production; as many as you like: every job is claimed with a conditional UPDATE, on
PostgreSQL with ``FOR UPDATE SKIP LOCKED``, so two workers never place the same try).

Each pass (every ``poll`` seconds): claim due jobs up to the free places of a bounded pool
(``PBX_FAX_CONCURRENCY``), each placed in its own greenlet; every ``watchdog_every`` seconds,
the watchdog; every ``retention_every`` seconds, the files of faxes older than
``PBX_FAX_RETENTION_DAYS`` are deleted (fs_service.fax.retention); then received TIFFs → PDF (in the native threadpool: Pillow work must not stall
the loop) and the owed emails. Nothing is kept in memory between passes: the rows are the
state, so a worker killed mid-fax loses nothing (the watchdog of any worker picks it up).
"""
from __future__ import annotations

import logging
import time
from datetime import timedelta

import gevent
from flask import Flask
from gevent.pool import Pool

from fax.storage import FaxStorage
from fs_service import mail_queue
from fs_service.db import db, utcnow
from fs_service.fax import inbound, jobs, ladder, mailer, queue, retention, watchdog
from fs_service.fax.queue import Claimed

from .dispatcher import nodes_of
from .fax_calls import ANSWERED, REFUSED, NodeLinks, call_for, channel_rows, place

log = logging.getLogger("pbx.fax.worker")


class FaxWorker:
    def __init__(self, app: Flask, *, poll: float = 2.0, watchdog_every: float = 30.0,
                 concurrency: int | None = None, retention_every: float = 3600.0, clock=utcnow) -> None:
        settings = app.config["PBX"]
        self.app, self.settings, self.poll, self.watchdog_every = app, settings, poll, watchdog_every
        self.retention_every, self.clock, self._last_sweep = retention_every, clock, float("-inf")
        self.storage = FaxStorage.from_settings(settings)
        self.mail_kinds = mailer.mail_kinds(settings.mail_from, self.storage)  # the fax emails of the one queue
        self.links = NodeLinks(nodes_of(app), settings.esl_timeout)
        self.pool = Pool(concurrency or settings.fax_concurrency)
        self._last_watch = 0.0

    def run(self) -> None:
        self.storage.prepare()
        while True:
            try:
                self.pass_once()
            except Exception:  # a bug or a database hiccup must not end the worker
                log.exception("fax worker pass failed")
            gevent.sleep(self.poll)

    def pass_once(self) -> None:
        self.place_due()
        if time.monotonic() - self._last_watch >= self.watchdog_every:
            self._last_watch = time.monotonic()
            self.watch()
        if time.monotonic() - self._last_sweep >= self.retention_every:
            self._last_sweep = time.monotonic()
            self.sweep()
        gevent.get_hub().threadpool.apply(self._in_context, (self.convert_received,))
        self._in_context(lambda: mail_queue.send_due(self.settings, self.mail_kinds))

    def _in_context(self, fn):
        with self.app.app_context():
            try:
                return fn()
            finally:
                db.session.remove()

    # -- sending -------------------------------------------------------------------------
    def place_due(self) -> list[gevent.Greenlet]:
        free = self.pool.free_count()
        if not free or not self._in_context(queue.has_due):
            return []
        picked = self.links.pick()
        if picked is None:
            return []
        node, _ = picked
        claimed = self._in_context(lambda: queue.claim_due(free, node))
        return [self._spawn(self.place_one, node, c) for c in claimed]

    def _spawn(self, fn, *args) -> gevent.Greenlet:
        greenlet = self.pool.spawn(fn, *args)
        greenlet.link_exception(lambda g: log.error("fax task died error=%r", g.exception))
        return greenlet

    def place_one(self, node: str, claimed: Claimed) -> str:
        """One try of one claimed job; returns what became of it (for logs and tests)."""
        if not claimed.gateway:
            return self._outcome(claimed, jobs.Outcome(claimed.attempt, ladder.NUMBER, None,
                                                       "no carrier gateway for this account"))
        facade = self.links.by_name(node)
        if facade is None:
            self._in_context(lambda: queue.give_back(claimed.job_id))
            return "given back"
        call = call_for(claimed, self.storage.fs_path(claimed.tiff_relative), self.settings.fax_ring_seconds)
        log.info("fax try job=%s attempt=%s node=%s mode=%s", claimed.job_id, claimed.attempt, node,
                 queue.rung_label(claimed.rung))
        verdict, result = place(facade, call)
        if verdict == ANSWERED:
            uuid = result.body.split()[1] if len(result.body.split()) > 1 else ""
            self._in_context(lambda: queue.originated(claimed.job_id, claimed.attempt, uuid, node))
            return "answered"
        if verdict == REFUSED:
            return self._outcome(claimed, jobs.originate_failure(claimed.attempt, result.body))
        log.warning("fax try outcome unknown job=%s reply=%r: left to the watchdog", claimed.job_id, result.body)
        return "unknown"

    def _outcome(self, claimed: Claimed, outcome: jobs.Outcome) -> str:
        def apply() -> str:
            state = jobs.apply_outcome(claimed.job_id, outcome)
            db.session.commit()
            return state or "unchanged"
        return self._in_context(apply)

    # -- watchdog, received faxes ----------------------------------------------------------
    def watch(self) -> int:
        """Reconcile every stuck job; how many changed."""
        stuck = self._in_context(watchdog.sending_jobs)
        live = {}
        for name in {job.node for job in stuck}:
            facade = self.links.by_name(name)
            rows = channel_rows(facade) if facade is not None else None
            live[name] = watchdog.live_from_rows(rows) if rows is not None else None
        changed, wait = 0, timedelta(seconds=self.settings.fax_outcome_wait_seconds)
        for job in stuck:
            tiff = self.storage.fs_path(job.tiff_relative) if job.tiff_relative else None
            decision, uuid = watchdog.verdict(job, live.get(job.node), tiff, utcnow())
            if decision == watchdog.KEEP:
                continue
            result = self._in_context(lambda: watchdog.reconcile(job, decision, uuid, wait))
            if result is not None:  # a try awaiting its record is seen "lost" every pass: logged once
                log.warning("fax watchdog job=%s attempt=%s node=%s: %s -> %s", job.job_id, job.attempt, job.node,
                            decision, result)
                changed += 1
        return changed

    def sweep(self) -> retention.Purged:
        """Delete the files of expired faxes, a batch at a time until none is left."""
        total = retention.Purged()
        while True:
            done = self._in_context(lambda: retention.purge_expired(
                self.storage, self.settings.fax_retention_days, self.clock()))
            total = retention.Purged(total.jobs + done.jobs, total.received + done.received)
            if max(done.jobs, done.received) < retention.BATCH:
                return total

    def convert_received(self) -> int:
        return sum(inbound.convert_one(i, self.storage) for i in inbound.pending_ids())

    def stop(self) -> None:
        self.pool.kill(block=True, timeout=2)
        self.links.close()


def start_fax_worker(app: Flask, **options) -> list[gevent.Greenlet]:
    """Start the fax worker in this gevent process (for pbx/server.py); its greenlets."""
    worker = FaxWorker(app, **options)
    greenlet = gevent.spawn(worker.run)
    greenlet.link_exception(lambda g: log.error("fax worker died error=%r", g.exception))
    log.info("fax worker started concurrency=%s storage=%s", worker.pool.size, worker.storage.local_root)
    return [greenlet]


def run_fax_worker(app: Flask) -> None:
    """Production layout (``pbx fax-worker``): the worker alone, forever. The fax *events* are
    applied by the ``pbx esl`` listeners; this process needs the database, the fax storage
    and the nodes' event sockets (to originate and to list channels)."""
    gevent.joinall(start_fax_worker(app))
