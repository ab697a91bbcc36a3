"""One voicemail call on one outbound connection: handshake, then the IVR engine's commands.

The engine (fs_service.ivr) decides; this loop only carries each command out and reports its
outcome, turning a hangup or a closed socket into HungUp and a stalled application into
Timeout, so the dialogue always gets to clean up (a message is kept even if the caller hangs
up mid-prompt) and the call never waits forever.
"""
from __future__ import annotations

import itertools
import logging
from typing import Callable, Mapping

from fs_service.ivr import End, HungUp, Ivr, Script, Timeout
from fs_service.ivr.commands import Command

from ..protocol import Event
from .apps import app_calls, outcome
from .channel import ChannelGone, ChannelTimeout, OutboundChannel

log = logging.getLogger("pbx.esl.outbound")
MAX_COMMANDS = 5000  # a dialogue bug looping on instant commands must end some day


def channel_variables(channel: Event) -> dict[str, str]:
    """The channel variables (``variable_`` prefix removed) plus the caller's identity."""
    found = {k[len("variable_"):]: v for k, v in channel.headers.items() if k.startswith("variable_")}
    for name, header in (("caller_id_number", "Caller-Caller-ID-Number"),
                         ("caller_id_name", "Caller-Caller-ID-Name"),
                         ("destination_number", "Caller-Destination-Number"), ("uuid", "Unique-ID")):
        if not found.get(name) and channel.get(header):
            found[name] = channel.get(header)
    return found


def run_call(channel: OutboundChannel, script: Script, admit: Callable[[Event], bool]) -> None:
    """Drive one call to its end. Never raises for call events; returns when the call is over.

    ``admit(channel_data)`` runs right after the handshake: False ends the call before the
    dialogue starts (nothing read from or written to the database; trust.py)."""
    try:
        data = channel.handshake()
    except (ChannelGone, ChannelTimeout) as exc:
        if isinstance(exc, ChannelGone) and not channel.heard_from:
            # connected and closed without a byte: a load balancer's or monitor's TCP check
            log.debug("voicemail socket probed (closed before any byte)")
        else:
            log.warning("voicemail call dropped during handshake reason=%s", exc)
        return
    if not admit(data):
        return
    variables = channel_variables(data)
    log.info("voicemail call uuid=%s action=%s box=%s", variables.get("uuid"), variables.get("pbx_vm_action"),
             variables.get("pbx_vm_box"))
    ivr = Ivr(script)
    command = ivr.start(variables)
    counter = itertools.count(1)
    for _ in range(MAX_COMMANDS):
        if isinstance(command, End):
            return
        command = ivr.feed(_carry_out(channel, command, f"pbx_ivr_digits_{next(counter)}"))
    log.error("voicemail call stopped after %d commands uuid=%s", MAX_COMMANDS, variables.get("uuid"))


def _carry_out(channel: OutboundChannel, command: Command, digits_variable: str):
    try:
        calls = app_calls(command, digits_variable)
    except (ValueError, TypeError) as exc:  # a path with a space…: skip it, the dialogue goes on
        log.error("voicemail command not sent command=%r reason=%s", command, exc)
        return outcome(command, None, "", digits_variable)
    complete: Mapping[str, str] | None = None
    dtmf = ""
    try:
        for call in calls:
            finished = channel.execute(call.name, call.arg, call.timeout)
            complete, dtmf = finished.complete, dtmf + finished.dtmf
    except ChannelGone:
        return HungUp()
    except ChannelTimeout:
        log.warning("voicemail application did not complete app=%s", calls[-1].name)
        return Timeout()
    return outcome(command, complete, dtmf, digits_variable)
