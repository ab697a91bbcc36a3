"""Where recorded audio lives — voicemail messages and greetings, uploaded and recorded closure
messages, menu greetings, conference names and recordings: one folder shared by FreeSWITCH
(which records into it) and the control plane (which emails, serves and deletes the files).

FreeSWITCH's ``record`` writes the file itself, so the control plane must reach the same
folder: same host, or an NFS/SMB mount, possibly at another path. ``PBX_VOICEMAIL_STORAGE``
is the folder as this process sees it (default ``<instance>/voicemail``) and
``PBX_VOICEMAIL_FS_STORAGE`` the same folder as FreeSWITCH sees it (default: the same path).
Rows keep FreeSWITCH's path (what it wrote); :meth:`Storage.local_path` maps it back and
refuses anything outside the folder, so a stored path can never point the web door at
another file. Layout: ``<root>/<domain>/<box>/<kind>-<uuid>.wav``.
"""
from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlalchemy import event
from sqlalchemy.orm import Session

from .settings import current as current_settings

log = logging.getLogger("pbx.voicemail.storage")
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,252}")
FOLDER_MODE = 0o2775  # setgid + group-writable: FreeSWITCH (same group) records into it
_DISCARD_KEY = "pbx_vm_discard"


@dataclass(frozen=True)
class Storage:
    local_root: Path
    fs_root: PurePosixPath

    @classmethod
    def from_settings(cls, settings) -> "Storage":
        local = Path(getattr(settings, "voicemail_storage", "") or Path(settings.instance_path) / "voicemail")
        fs = getattr(settings, "voicemail_fs_storage", "") or str(local.resolve())
        return cls(local.resolve(), PurePosixPath(fs))

    def new_recording(self, domain: str, box: str, kind: str) -> str:
        """A fresh path for FreeSWITCH to record into; its folder is created here first
        (``record`` does not create folders)."""
        parts = [_checked(domain), _checked(box)]
        folder = self.local_root.joinpath(*parts)
        folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
        return str(self.fs_root.joinpath(*parts, f"{_checked(kind)}-{uuid.uuid4().hex}.wav"))

    def local_path(self, fs_path: str | None) -> Path | None:
        """The file as this process reaches it, or None for a path outside the folder."""
        if not fs_path:
            return None
        try:
            relative = PurePosixPath(fs_path).relative_to(self.fs_root)
        except ValueError:
            return None
        if ".." in relative.parts:
            return None
        return self.local_root.joinpath(*relative.parts)

    def remove(self, fs_path: str | None) -> None:
        """Delete a recording; a file already gone is not an error (retries, double clicks)."""
        path = self.local_path(fs_path)
        if path is None:
            if fs_path:
                log.warning("voicemail file outside storage not deleted path=%s", fs_path)
            return
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.error("voicemail file not deleted path=%s error=%s", path, exc)

    def read(self, fs_path: str | None) -> bytes | None:
        path = self.local_path(fs_path)
        try:
            return path.read_bytes() if path is not None else None
        except OSError:
            return None


def _checked(part: str) -> str:
    if not _SAFE.fullmatch(part or "") or ".." in part:
        raise ValueError(f"unsafe voicemail path part: {part!r}")
    return part


def current_storage() -> Storage:
    """The storage the current settings name."""
    return Storage.from_settings(current_settings())


def discard_after_commit(session: Session, fs_path: str | None, storage: Storage | None = None) -> None:
    """Delete the file once the row that pointed at it is really gone: a rollback keeps it."""
    if fs_path:
        session.info.setdefault(_DISCARD_KEY, []).append((storage or current_storage(), fs_path))


@event.listens_for(Session, "after_commit")
def _discard_files(session: Session) -> None:
    for storage, fs_path in session.info.pop(_DISCARD_KEY, []):
        storage.remove(fs_path)


@event.listens_for(Session, "after_rollback")
def _keep_files(session: Session) -> None:
    session.info.pop(_DISCARD_KEY, None)
