"""Resync after every (re)connect: the node's registrations, channels and parked calls are
replaced by what FreeSWITCH reports, so nothing missed while disconnected stays stale.

Ordering is exact, not approximate: each snapshot is queued by the reader the moment its reply
is matched (EslConnection.send ``on_reply``), i.e. after every event that preceded the reply on
the wire and before every event that follows it. FreeSWITCH runs ``api`` in the listener
thread and sends nothing else meanwhile (NOTES §6), so the events after the reply are exactly
those the snapshot may not contain; they are applied after it. Each part is its own snapshot
(registrations, then channels, then lots) for the same reason.
"""
from __future__ import annotations

import logging

from fs_service.park import lot as parking
from fs_service.status import events as status_events

from .facade import EslFacade
from .router import EventRouter

log = logging.getLogger("pbx.esl.resync")


def resync(facade: EslFacade, router: EventRouter, timeout: float | None = None) -> dict[str, int]:
    """Queue the three snapshots; returns counts for the log. Raises EslUnavailable or
    EslCommandError (the listener then reconnects: a half-done resync is not trusted)."""
    counts: dict[str, int] = {}
    channel_rows: list[dict] = []

    def registrations(rows: list[dict]) -> None:
        counts["registrations"] = len(rows)
        router.put("status", status_events.registrations_snapshot(rows))

    def channels(rows: list[dict]) -> None:
        counts["channels"] = len(rows)
        channel_rows.extend(rows)
        router.put("status", status_events.channels_snapshot(rows))

    def lots(xml: str) -> None:
        snapshot = parking.snapshot_from(xml, channel_rows)
        counts["parked"] = len(snapshot.holds)
        router.put("parking", snapshot)

    facade.show_registrations(timeout, then=registrations)
    facade.show_channels(timeout, then=channels)
    facade.valet_info(timeout=timeout, then=lots)
    log.info("esl resync queued node=%s registrations=%d channels=%d parked=%d", router.node,
             counts["registrations"], counts["channels"], counts["parked"])
    return counts
