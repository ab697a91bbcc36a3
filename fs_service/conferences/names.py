"""Announced names (CONF-1 option "announce arrivals and departures").

mod_conference has no name announcement (NOTES §4: ``announce-count`` is TTS only), so the
entry records the caller's name (``record``, a few seconds) into the shared storage folder and
our ``conference::maintenance`` handler plays it to the room with ``conference <room> play``
when the member is added and removed. The file is named after the channel's uuid: the
``add-member`` / ``del-member`` events carry that uuid (not channel variables, which need
``verbose-events``), so no column is needed to find it again. The files of an occurrence are
deleted when it ends.
"""
from __future__ import annotations

import re

from ..audio_storage import FOLDER_MODE, Storage, current_storage

BOX = "conferences"
RECORD_SECONDS = 4
WAV_HEADER = 44  # a file no longer than its header holds no voice (the caller said nothing)
_UUID = re.compile(r"[A-Za-z0-9-]{1,64}")  # a channel uuid: never a path separator nor ".."
_DOMAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,252}")


def valid(domain: str, uuid: str) -> bool:
    """A channel uuid and SIP domain that can name a file (they come from the switch's events)."""
    return bool(_UUID.fullmatch(uuid) and _DOMAIN.fullmatch(domain)) and ".." not in domain


def name_file(domain: str, uuid: str, storage: Storage | None = None) -> str:
    """Where the name of channel ``uuid`` is recorded, as FreeSWITCH sees it; the folder is
    created here first (``record`` does not create folders)."""
    if not valid(domain, uuid):
        raise ValueError(f"no name file for domain={domain!r} uuid={uuid!r}")
    storage = storage or current_storage()
    storage.local_root.joinpath(domain, BOX).mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    return str(storage.fs_root.joinpath(domain, BOX, f"name-{uuid}.wav"))


def recorded_name(domain: str, uuid: str, storage: Storage | None = None) -> str | None:
    """The name file of ``uuid`` if the caller said something, else None (nothing to play)."""
    if not valid(domain, uuid):
        return None
    storage = storage or current_storage()
    path = name_file(domain, uuid, storage)
    local = storage.local_path(path)
    try:
        return path if local is not None and local.stat().st_size > WAV_HEADER else None
    except OSError:
        return None
