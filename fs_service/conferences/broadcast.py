"""Web broadcast of a running single-use room (CONF-1/CONF-2 option): anyone with the link
listens, nobody speaks.

The switch has no streaming module (no mod_shout in the bundle: NOTES, bundle README), but
``conference <room> record <file>`` writes a WAV that grows while the room runs (mod_sndfile
writes each frame as it comes; the header's sizes are only filled in when the file is
closed). So when such a room is created, events.py also records it into :func:`live_file`,
and the web door serves that file as an open-ended WAV (:func:`wav_stream`): our own header
with "unknown" sizes, then the audio bytes as the file grows, until the occurrence ends.
The file is deleted with the occurrence (it is not the room's recording, which is an option
of its own).

The link carries a token derived from the server secret and the room (:func:`token`): it cannot
be guessed, needs no column, and stays the same for the room's life (the invitation can name it).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import struct
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator

import sqlalchemy as sa

from ..audio_storage import FOLDER_MODE, Storage, current_storage
from ..db import db
from ..errors import NotFound
from ..models import Account, Conference, ConferenceSession
from ..settings import current as current_settings

BOX = "conferences"
CHUNK = 16 * 1024
POLL_SECONDS = 0.2
OPEN_ENDED = 0xFFFFFFFF  # "size unknown": what players accept for a live WAV
HEADER_WAIT_SECONDS = 10
LEAD_SECONDS = 1.0  # of audio already written that a new listener gets at once (the player starts at once)
_LIVE = re.compile(r"live-\d+\.wav")  # the switch writes the header as soon as the record command runs


def broadcasts(room: Conference) -> bool:
    """Never for permanent rooms (CONF-2)."""
    return bool(room.web_broadcast) and room.kind == "single_use"


def live_file(domain: str, session_id: int, storage: Storage | None = None) -> str:
    """Where the switch records occurrence ``session_id`` for the broadcast (its path as
    FreeSWITCH sees it); the folder is created here first (``record`` does not create folders)."""
    storage = storage or current_storage()
    storage.local_root.joinpath(domain, BOX).mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    return str(storage.fs_root.joinpath(domain, BOX, f"live-{int(session_id)}.wav"))


def is_live_file(fs_path: str) -> bool:
    """A broadcast's file (its ``start-recording`` event is not the room's recording)."""
    return _LIVE.fullmatch(PurePosixPath(fs_path).name) is not None


def token(room: Conference, secret: str | None = None) -> str:
    key = (secret or current_settings().secret_key).encode()
    message = f"conference-broadcast:{room.id}:{room.room_number}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Listening:
    room_id: int
    session_id: int
    path: Path  # the growing file, as this process reaches it


def open_broadcast(room_id: int, given_token: str) -> Listening:
    """The running occurrence a link points at; NotFound (one message for every reason, so a
    link tells nothing about rooms it does not open) when the token is wrong, the room does not
    broadcast, or it is not running."""
    room = db.session.get(Conference, room_id)
    if room is None or not broadcasts(room) or not hmac.compare_digest(token(room), given_token or ""):
        raise NotFound("no broadcast here")
    session = db.session.scalar(sa.select(ConferenceSession).where(
        ConferenceSession.conference_id == room.id, ConferenceSession.ended_at.is_(None))
        .order_by(ConferenceSession.id.desc()).limit(1))
    if session is None:
        raise NotFound("no broadcast here")
    domain = db.session.get(Account, room.account_id).sip_domain
    storage = current_storage()
    return Listening(room.id, session.id, storage.local_path(live_file(domain, session.id, storage)))


def running(session_id: int) -> bool:
    ended = db.session.scalar(sa.select(ConferenceSession.ended_at).where(ConferenceSession.id == session_id))
    db.session.rollback()  # a fresh read next time (and no transaction held while streaming)
    return ended is None


def _chunks(data: bytes, offset: int) -> Iterator[tuple[bytes, bytes, int]]:
    """(id, body, body offset) of the RIFF chunks found in ``data`` from ``offset``."""
    while offset + 8 <= len(data):
        name, size = data[offset:offset + 4], struct.unpack("<I", data[offset + 4:offset + 8])[0]
        yield name, data[offset + 8:offset + 8 + size], offset + 8
        if name == b"data":
            return
        offset += 8 + size + (size & 1)


def parse_header(head: bytes) -> tuple[bytes, int] | None:
    """(``fmt `` chunk body, offset of the audio) of a WAV being written; None while the switch
    has not written that far."""
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    fmt = None
    for name, body, start in _chunks(head, 12):
        if name == b"fmt " and len(body) >= 16:
            fmt = body
        if name == b"data":
            return (fmt, start) if fmt is not None else None
    return None


def open_ended_header(fmt: bytes) -> bytes:
    """A WAV header whose sizes say "unknown" (the audio that follows has no end yet)."""
    return b"RIFF" + struct.pack("<I", OPEN_ENDED) + b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt \
        + b"data" + struct.pack("<I", OPEN_ENDED)


def wav_stream(path: Path, still_running: Callable[[], bool], sleep: Callable[[float], None] = time.sleep,
               max_seconds: float = 4 * 3600) -> Iterator[bytes]:
    """The live file as an open-ended WAV: header first, then audio as the switch appends it;
    ends once the occurrence ended and everything written was sent (or after ``max_seconds``,
    longer than any room may last)."""
    started = time.monotonic()
    header = None
    while header is None:
        try:
            header = parse_header(path.read_bytes()[:4096]) if path.exists() else None
        except OSError:
            header = None
        if header is None:
            if time.monotonic() - started > HEADER_WAIT_SECONDS or not still_running():
                return
            sleep(POLL_SECONDS)
    fmt, offset = header
    block = struct.unpack("<H", fmt[12:14])[0] or 1  # bytes per sample frame: never split one
    yield open_ended_header(fmt)
    with path.open("rb") as audio:
        audio.seek(_live_point(path, offset, block, struct.unpack("<I", fmt[8:12])[0]))
        pending, sent = b"", 0
        while time.monotonic() - started < max_seconds:
            data = pending + audio.read(CHUNK)
            if not still_running():  # the switch closed the file first: its final header says where audio ends
                yield from _rest(path, data + audio.read(), sent, block)
                return
            whole = len(data) - len(data) % block
            pending = data[whole:]
            if whole:
                sent += whole
                yield data[:whole]
            else:
                sleep(POLL_SECONDS)


def _live_point(path: Path, offset: int, block: int, byte_rate: int) -> int:
    """Where a listener starts: :data:`LEAD_SECONDS` before the end written so far (a broadcast
    is live; a late listener does not hear the room from its start), on a sample frame."""
    written = max(0, path.stat().st_size - offset)
    start = max(0, written - int(LEAD_SECONDS * byte_rate))
    return offset + start - start % block


def _rest(path: Path, tail: bytes, sent: int, block: int) -> Iterator[bytes]:
    """The last audio of a closed file, up to the size its final header states (a chunk the
    writer may append after the audio is not sound)."""
    try:
        with path.open("rb") as again:
            head = again.read(4096)
        found = parse_header(head)
        size = struct.unpack("<I", head[found[1] - 4:found[1]])[0] if found else None
    except OSError:
        size = None
    if size is not None and size not in (0, OPEN_ENDED):
        tail = tail[:max(0, size - sent)]
    if len(tail) >= block:
        yield tail[:len(tail) - len(tail) % block]
