"""Audio conferences (CONF-4, CONF-5, CONF-7): ``conference::maintenance`` events applied by
fs_service.conferences.events; the room commands it decides go to the node hosting the room."""
from __future__ import annotations

from flask import current_app

from fs_service.conferences import events as core

from ..conference_control import recording_path, send
from .base import HandlerModule


def apply(node: str, events: list) -> None:
    app = current_app._get_current_object()
    commands = core.apply_changes(node, events, lambda room, session_id: recording_path(app, room, session_id))
    if commands:
        send(app, node, commands)


MODULE = HandlerModule(name="conferences", table={core.SUBCLASS: (core.maintenance,),
                                                  "CHANNEL_HANGUP_COMPLETE": (core.leg_ended,)}, apply=apply)
