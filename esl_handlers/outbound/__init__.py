"""The outbound-socket side of the ESL door: voicemail calls driven by the core's IVR engine.

``start_voicemail_server(app)`` is what ``pbx run`` (pbx/server.py) calls: it listens on
PBX_VOICEMAIL_SOCKET, installs the MWI sender and, at start, files the messages the switch
recorded while the service was away (fs_service/voicemail/recovery.py). Their emails go
through the mail queue, whose sender pbx/server.py runs beside it.
"""
from __future__ import annotations

import logging

import gevent
from flask import Flask

from fs_service.voicemail import recovery
from fs_service.voicemail.dialogues import voicemail_script
from fs_service.voicemail.store import VoicemailStore

from ..dispatcher import nodes_of
from ..mwi import install_mwi_sender
from .server import OutboundServer
from .trust import ChannelCheck

log = logging.getLogger("pbx.esl.outbound")


def build_voicemail_server(app: Flask, address: str | None = None) -> OutboundServer:
    """The server, not started (tests bind it to port 0). Only the switches may use it:
    PBX_VOICEMAIL_ALLOWED, then the channel checked on its PBX_FREESWITCH_NODES node."""
    settings = app.config["PBX"]
    return OutboundServer(address or settings.voicemail_socket, voicemail_script(VoicemailStore(app)),
                          allowed=settings.voicemail_allowed_networks,
                          check=ChannelCheck(nodes_of(app), settings.esl_timeout))


def start_voicemail_server(app: Flask) -> list[gevent.Greenlet]:
    """Listen for voicemail calls and file what was recorded meanwhile; the greenlets to join."""
    install_mwi_sender(app)
    server = build_voicemail_server(app).start()
    greenlets = [gevent.spawn(server.serve_forever), gevent.spawn(recovery.run_recovery, app, VoicemailStore(app))]
    for greenlet in greenlets:
        greenlet.link_exception(lambda g: log.error("voicemail service task died error=%r", g.exception))
    return greenlets


__all__ = ["OutboundServer", "build_voicemail_server", "start_voicemail_server"]
