"""Room commands (fs_service.conferences.events.RoomCommand) sent to the node hosting the room,
and written to the audit log with FreeSWITCH's answers.

The ESL lanes apply event batches in gevent's native threadpool while connections belong to the
hub's thread, so a batch's commands are handed to that hub (captured at import, in the main
thread where the listener starts) and sent from a greenlet: over the node's live listener
connection, else over a short connection (sender.py). A node that does not answer loses the
command (logged): the room ends with the call, and retrying a hold later would be wrong.
"""
from __future__ import annotations

import logging
import threading

import gevent
from flask import Flask, has_app_context

from fs_service import audit
from fs_service.audio_storage import Storage
from fs_service.conferences import live
from fs_service.conferences.dialout import DialOut
from fs_service.conferences.entry_model import EXPECTED_VARIABLE
from fs_service.conferences.events import RoomCommand
from fs_service.conferences.live import MemberCommand
from fs_service.conferences.queries import room_domain
from fs_service.db import db
from fs_service.models import Conference
from fs_service.switch_commands import CommandResult

from . import commands, registry
from .commands import _CONFERENCE_RE, _DIGITS_RE, _GATEWAY_RE, _PROFILE_RE, _UUID_RE, _checked
from .dispatcher import nodes_of
from .errors import EslUnavailable
from .originate import channel_var, safe_name
from .sender import send_api_batch

log = logging.getLogger("pbx.esl.conferences")
_HUB, _HUB_THREAD = gevent.get_hub(), threading.get_ident()


def command_line(command: RoomCommand) -> str:
    if command.verb in ("hold", "unhold"):
        return commands.conference_hold(command.name, command.target, command.verb == "hold")
    if command.verb == "play":
        return commands.conference_play(command.name, command.target)
    if command.verb == "record":
        return commands.conference_record(command.name, command.target)
    if command.verb == "schedule_hangup":
        return commands.sched_api(command.seconds, command.group, commands.conference_hup_all(command.name))
    if command.verb == "schedule_play":
        return commands.sched_api(command.seconds, command.group,
                                  commands.conference_play(command.name, command.target))
    if command.verb == "unschedule":
        return commands.sched_del(command.group)
    raise ValueError(f"unknown room command {command.verb!r}")


def _domain(name: str) -> str | None:
    return name.partition("-")[2] or None


def knows_node(app: Flask, node_name: str) -> bool:
    """A node this process can reach: its listener runs here, or it is configured."""
    return registry.live_facade(node_name) is not None or any(n.name == node_name for n in nodes_of(app))


def _run(app: Flask, node_name: str, lines: list[str]) -> list[CommandResult]:
    """Over the node's live listener connection, else a short one; [] for an unknown node."""
    facade = registry.live_facade(node_name)
    if facade is not None:
        return facade.run_batch(lines)
    node = next((n for n in nodes_of(app) if n.name == node_name), None)
    if node is None:
        log.warning("conference commands dropped: unknown node node=%s count=%d", node_name, len(lines))
        return []
    return send_api_batch(node, lines, command_timeout=app.config["PBX"].esl_timeout)


def _send(app: Flask, node_name: str, batch: list[RoomCommand]) -> list[CommandResult]:
    lines = [command_line(c) for c in batch]
    try:
        results = _run(app, node_name, lines)
    except EslUnavailable as exc:
        results = list(getattr(exc, "completed", []))
        log.warning("conference commands not sent node=%s sent=%d of=%d reason=%s", node_name, len(results),
                    len(lines), exc)
    with app.app_context():
        audit.record_commands([audit.CommandRecord(node_name, line, r.ok, r.body, _domain(c.name))
                               for c, line, r in zip(batch, lines, results)], None)
        db.session.commit()
    for line, result in zip(lines, results):
        log.info("conference command node=%s command=%r ok=%s", node_name, line, result.ok)
    return results


def _person_command(app: Flask, node_name: str, line: str, domain: str) -> CommandResult:
    """One command a person asked for, on ``node_name``, audited in their name (like
    click-to-call, esl_handlers/calls.py)."""
    try:
        result = (_run(app, node_name, [line]) or [CommandResult(False, "-ERR unknown FreeSWITCH node")])[0]
    except EslUnavailable as exc:
        result = CommandResult(False, f"-ERR {exc.reason}")
    if has_app_context():
        audit.record_commands([audit.CommandRecord(node_name, line, result.ok, result.body, domain)],
                              audit.acting(db.session))
        db.session.commit()
    return result


def control(app: Flask, request: MemberCommand) -> CommandResult:
    """A person's mute / unmute / kick from the widget, on the room's node."""
    if request.action == "kick":
        line = commands.conference_kick(request.name, request.member_id)
    else:
        line = commands.conference_mute(request.name, request.member_id, request.action == "mute")
    return _person_command(app, request.node, line, request.domain)


def end_now(app: Flask, room: Conference) -> CommandResult | None:
    """An admin's "end now": every member hung up on the room's node (mod_conference then
    destroys the room, and our events close the occurrence as for the 3-hour cut); None when
    the room is not running."""
    where = live.running(room)
    if where is None:
        return None
    return _person_command(app, where.node, commands.conference_hup_all(where.name), where.domain)


def dial_out_line(call: DialOut) -> str:
    """``bgapi originate {vars}sofia/gateway/<gw>/<number> &conference(<room>@<profile>[+flags{moderator}])``:
    bgapi because originate blocks until the callee answers; the uuid is the one the core
    expects in the room's events."""
    flags = "+flags{moderator}" if call.moderator else ""
    seconds = int(call.ring_seconds)
    if not 1 <= seconds <= 600:
        raise ValueError(f"ring time out of range: {seconds}")
    variables = ",".join([
        channel_var("origination_uuid", _checked(call.uuid, _UUID_RE, "uuid")),
        channel_var("origination_caller_id_name", safe_name(call.caller_id_name)),
        channel_var("origination_caller_id_number", _checked(call.caller_id_number, _DIGITS_RE, "number")),
        channel_var("originate_timeout", str(seconds)), channel_var(EXPECTED_VARIABLE, "true")])
    return (f"bgapi originate {{{variables}}}sofia/gateway/{_checked(call.gateway, _GATEWAY_RE, 'gateway')}/"
            f"{_checked(call.number, _DIGITS_RE, 'number')} "
            f"&conference({_checked(call.room, _CONFERENCE_RE, 'conference')}@"
            f"{_checked(call.profile, _PROFILE_RE, 'profile')}{flags})")


def call_into_room(app: Flask, call: DialOut) -> CommandResult:
    """Place ``call`` on the node hosting the room, audited in the name of the admin asking
    (like click-to-call); ok once FreeSWITCH accepted the job, the ringing goes on there."""
    return _person_command(app, call.node, dial_out_line(call), call.domain)


def recording_path(app: Flask, room: Conference, session_id: int) -> str:
    """A fresh file in the account's conference folder, created here first: ``conference
    record`` does not create folders."""
    storage = Storage.from_settings(app.config["PBX"])
    return storage.new_recording(room_domain(room), "conferences", f"room-{room.id}-{session_id}")


def set_recording(app: Flask, room: Conference, on: bool) -> CommandResult | None:
    """Turn a running room's recording on (a new file, kept as the occurrence's) or off, in the
    name of the person who changed the option; None when the room is not running."""
    where = live.running(room)
    if where is None:
        return None
    path = recording_path(app, room, where.session_id) if on else ""
    line = commands.conference_record(where.name, path) if on else commands.conference_norecord(where.name)
    result = _person_command(app, where.node, line, where.domain)
    if on and result.ok:
        live.recording_started(where.session_id, path)
        db.session.commit()
    return result


def send(app: Flask, node_name: str, batch: list[RoomCommand]) -> None:
    """Send ``batch`` in order from a greenlet of the hub (see the module docstring)."""
    def spawn() -> None:
        gevent.spawn(_send, app, node_name, list(batch)).link_exception(
            lambda g: log.error("conference commands died error=%r", g.exception))

    if threading.get_ident() == _HUB_THREAD:
        spawn()
    else:
        _HUB.loop.run_callback_threadsafe(spawn)
