"""Audio files people upload or record for a company number's closure message (HRS-4) and a
welcome menu's greeting (guide 1.2), kept where FreeSWITCH plays them from.

They live in the voicemail storage folder (fs_service.audio_storage: shared with FreeSWITCH,
which also records the by-phone closure messages there): ``<domain>/number-<id>/closure-<uuid>.wav``
and ``<domain>/menu-<id>/greeting-<uuid>.wav``. Rows keep FreeSWITCH's path. A replaced or
deleted file is removed only after the commit (a rollback keeps it), and only when it is in that
folder *and* the owner's own sub-folder: a shipped prompt typed through the API
(``pbx/office-closed.wav``) is never deleted nor served to a browser (:func:`stored_file` answers
None). Which paths a setting may hold at all is fs_service.sound_files' rule.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..audio_files import Audio, AudioProblem, check_upload
from ..audio_storage import current_storage, discard_after_commit
from ..db import db
from ..errors import ValidationFailed
from ..models import Account

_WRITTEN_KEY = "pbx_upload_written"


def checked_upload(data: bytes, field: str) -> Audio:
    """The upload as stored audio; a ValidationFailed naming ``field`` otherwise."""
    try:
        return check_upload(data)
    except AudioProblem as problem:
        raise ValidationFailed.field(field, str(problem), error_id="invalid_audio") from None


def _write(account: Account, owner: str, kind: str, audio: Audio) -> str:
    storage = current_storage()
    fs_path = storage.new_recording(account.sip_domain, owner, kind)
    storage.local_path(fs_path).write_bytes(audio.data)
    # A refused or rolled-back save must not leave the new file behind.
    db.session.info.setdefault(_WRITTEN_KEY, []).append((storage, fs_path))
    return fs_path


def _account_file(account: Account, owner: str | None, fs_path: str | None) -> Path | None:
    """The local file of ``fs_path`` when it is in ``account``'s part of the storage folder (and
    in ``owner``'s folder when given); None for any other path."""
    storage = current_storage()
    path = storage.local_path(fs_path)
    if path is None:
        return None
    parts = path.relative_to(storage.local_root).parts
    wanted = (account.sip_domain,) if owner is None else (account.sip_domain, owner)
    return path if parts[:len(wanted)] == wanted and len(parts) > len(wanted) else None


def stored_file(account: Account, owner: str, fs_path: str | None) -> Path | None:
    """The file to send to a browser: ours, of this account and owner, present on disk."""
    path = _account_file(account, owner, fs_path)
    return path if path is not None and path.is_file() else None


def release(account: Account, owner: str, old_path: str | None, new_path: str | None = None) -> None:
    """Delete ``old_path`` after the commit when it is this owner's file and no longer used."""
    if old_path and old_path != new_path and _account_file(account, owner, old_path) is not None:
        discard_after_commit(db.session, old_path)


def number_owner(number) -> str:
    """The storage folder of a number's closure messages (uploaded or recorded by phone)."""
    return f"number-{number.id}"


def menu_owner(menu) -> str:
    return f"menu-{menu.id}"


def store_upload(account: Account, owner: str, kind: str, data: bytes, field: str) -> str:
    """Check the uploaded WAV (a ValidationFailed naming ``field``) and store it in ``owner``'s
    folder; FreeSWITCH's path of the new file (removed again if the transaction rolls back)."""
    return _write(account, owner, kind, checked_upload(data, field))


@event.listens_for(Session, "after_commit")
def _keep_written(session: Session) -> None:
    session.info.pop(_WRITTEN_KEY, None)


@event.listens_for(Session, "after_soft_rollback")
def _remove_written(session: Session, previous_transaction) -> None:
    for storage, fs_path in session.info.pop(_WRITTEN_KEY, []):
        storage.remove(fs_path)
