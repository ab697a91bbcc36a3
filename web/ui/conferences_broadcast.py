"""The web broadcast's listen-only stream (CONF-1/CONF-2 option, fs_service.conferences.broadcast):
``/listen/<room>/<token>`` answers an open-ended WAV that plays the running room live. No login:
anyone with the link can listen (the room's page says so); a wrong token, a room without the
option or not running is the same 404."""
from __future__ import annotations

import time

from flask import Blueprint, Response, stream_with_context

from fs_service.conferences import broadcast

bp = Blueprint("broadcast", __name__)
CHECK_EVERY_SECONDS = 1.0  # how often a stream asks the database whether the room still runs


@bp.get("/listen/<int:room_id>/<token>")
def listen(room_id: int, token: str):
    found = broadcast.open_broadcast(room_id, token)
    checked = {"at": time.monotonic(), "running": True}

    def still_running() -> bool:
        if time.monotonic() - checked["at"] >= CHECK_EVERY_SECONDS:
            checked.update(at=time.monotonic(), running=broadcast.running(found.session_id))
        return checked["running"]

    return Response(stream_with_context(broadcast.wav_stream(found.path, still_running)), mimetype="audio/wav",
                    headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
