"""Messages the voicemail service did not see to the end: filed when the service is back.

FreeSWITCH records (``record``), not us: when the service stops in the middle of a deposit
(a restart, a crash), the switch keeps recording until the caller is silent, presses ``#`` or
hangs up, and the file is complete in the shared folder (verified on FreeSWITCH 1.11: the
``record`` application completes normally after the socket is gone, then the dialplan goes on
after ``socket``). Only the row, the lamp and the email are missing -- the service would have
written them after the recording. So at start the service files every ``msg-*.wav`` of a box
folder that no message row points at, once the file has not changed for
:data:`SETTLED_SECONDS` (the switch still writes it otherwise), with the deposit's rules:
at least ``MIN_MESSAGE_SECONDS`` (shorter files are dropped, as the dialogue drops them),
box full or gone → the file stays and is logged. The caller's number is not in the file:
such a message shows an unknown caller.

Nothing is filed twice: a message row is unique per file (checked in the same transaction
that inserts it), and :meth:`VoicemailStore.leave_message` does the same check, so a live
dialogue finishing late never adds a second row for a file filed here.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import gevent
import sqlalchemy as sa

from ..audio_storage import Storage
from ..db import AppScope, db
from ..models import VoicemailMessage
from . import messages
from .store import VoicemailStore, run_committed

log = logging.getLogger("pbx.voicemail.recovery")
SETTLED_SECONDS = 10.0  # `record` writes every 20 ms; a file this quiet is finished
RETRY_SECONDS = 5.0
PATTERN = "*/*/msg-*.wav"  # <domain>/<box>/msg-<uuid>.wav (Storage.new_recording)


@dataclass(frozen=True)
class RecoveryPass:
    filed: int  # messages created from unfiled recordings
    waiting: int  # recordings still being written: try again later


def unfiled(storage: Storage, known: set[str], now: float) -> tuple[list[Path], int]:
    """(settled recordings with no row, count of recordings still being written)."""
    settled, waiting = [], 0
    for path in storage.local_root.glob(PATTERN):
        fs_path = str(storage.fs_root.joinpath(*path.relative_to(storage.local_root).parts))
        if fs_path in known:
            continue
        try:
            quiet = now - path.stat().st_mtime >= SETTLED_SECONDS
        except OSError:  # deleted meanwhile
            continue
        if quiet:
            settled.append(path)
        else:
            waiting += 1
    return settled, waiting


def _file_one(store: VoicemailStore, path: Path) -> bool:
    relative = path.relative_to(store.storage.local_root).parts
    domain, number, fs_path = relative[0], relative[1], str(store.storage.fs_root.joinpath(*relative))
    seconds = store.seconds_of(fs_path)
    if seconds < messages.MIN_MESSAGE_SECONDS:
        log.info("voicemail recording too short dropped path=%s seconds=%.1f", fs_path, seconds)
        store.discard(fs_path)
        return False
    box = store.find_box(domain, number)
    if box is None or box.full:
        log.warning("voicemail recording not filed path=%s reason=%s", fs_path, "no_box" if box is None else "full")
        return False
    message_id = store.leave_message(box, fs_path, seconds, "", "")
    log.info("voicemail recording filed after restart message=%s box=%s domain=%s seconds=%.1f",
             message_id, number, domain, seconds)
    return True


def recover(app: AppScope, store: VoicemailStore) -> RecoveryPass:
    """One pass: file the recordings no message points at (see the module docstring)."""
    known = set(run_committed(app, lambda: set(db.session.scalars(
        sa.select(VoicemailMessage.audio_path).where(VoicemailMessage.audio_path.is_not(None))))))
    settled, waiting = unfiled(store.storage, known, time.time())
    filed = sum(_file_one(store, path) for path in settled)
    return RecoveryPass(filed, waiting)


def run_recovery(app: AppScope, store: VoicemailStore, retry: float = RETRY_SECONDS) -> int:
    """At service start: pass after pass until no recording is still being written (a deposit
    the switch went on recording through the restart). Returns how many messages were filed."""
    filed = 0
    while True:
        try:
            done = recover(app, store)
        except Exception:  # database not reachable yet: the next pass will tell
            log.exception("voicemail recovery pass failed")
            done = RecoveryPass(0, 1)
        filed += done.filed
        if not done.waiting:
            return filed
        gevent.sleep(retry)


__all__ = ["RecoveryPass", "SETTLED_SECONDS", "recover", "run_recovery", "unfiled"]
