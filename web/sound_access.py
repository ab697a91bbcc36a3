"""How an uploaded or phone-recorded sound (closure message, menu greeting) reaches a browser
and how an upload is read: shared by the UI and the API so both doors answer the same way.

Only the account's own files in the storage folder are served (fs_service.numbers.sound_uploads); a
path set to a shared sound, a missing file or another tenant's file is 404.
"""
from __future__ import annotations

from flask import Response, send_file

from fs_service.errors import NotFound
from fs_service.models import Account
from fs_service.numbers import sound_uploads
from schema.sound_uploads import SoundUploadSchema

MIMETYPES = {".wav": "audio/wav"}  # browsers want audio/wav (RFC 2361), not x-wav
AUDIO_DOC = {200: {"description": "The audio file (WAV). Supports Range requests.",
                   "content": {"audio/wav": {"schema": {"type": "string", "format": "binary"}}}},
             404: {"description": "No uploaded or recorded file (none set, or a shared sound path)"}}


def uploaded_bytes(files) -> bytes:
    """The ``file`` part's bytes, through the schema (400 naming ``file`` when absent or too big)."""
    return SoundUploadSchema().load(files)["data"]


def sound_response(account: Account, owner: str, fs_path: str | None, name: str) -> Response:
    """The file for an <audio> player (Range requests, so it can seek), never cached by proxies."""
    path = sound_uploads.stored_file(account, owner, fs_path)
    if path is None:
        raise NotFound("no audio file")
    response = send_file(path, mimetype=MIMETYPES.get(path.suffix.lower(), "application/octet-stream"),
                         conditional=True, download_name=f"{name}{path.suffix.lower()}", max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    return response
