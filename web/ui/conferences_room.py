"""A room's page with its control widget (guide 16.1 and 16.3, CONF-6): who is connected now
(name, role, talking, muted) pushed to the browser, mute / unmute / kick of one of them, the
invited people with a connected mark and "resend the invitation", and "add a participant"
(who gets the invitation email and, with a phone number and "call them now", a call into the
running room: fs_service.conferences.dialout). Admins of the account only; other tenants 404.

The push reuses the status page's machinery (status_stream.StatusStream): a stream per open
page reads the room's view every tick and sends the widget's fragment only when its
fingerprint changed. Without JavaScript the buttons are plain forms and a reload shows the
current state.
"""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from marshmallow import ValidationError

from fs_service import access
from fs_service.conferences import broadcast, dialout, invitations, live, rooms as core, rules
from fs_service.db import db
from fs_service.errors import Conflict, PbxError, ValidationFailed
from fs_service.extensions import rules as extensions
from fs_service.models import Account, Conference
from fs_service.switch_commands import CommandResult
from schema.conferences import MemberActionSchema, RoomUpdateSchema
from web.switch import switch

from .common import FORM_LEVEL, account_context, actor, discard_changes, error_map, login_required, text
from .conferences_wizard import OPTIONS, PARTICIPANT_FIELDS, check_participant, form_labels, save_room
from .status_stream import StatusStream

DIAL_OUT_FIELDS = ("phone", "call_now")  # the widget only: the wizard invites, the room is not running yet
bp = Blueprint("room", __name__, url_prefix="/accounts/<int:account_id>/conferences/<int:room_id>")


def _room(account_id: int, room_id: int) -> tuple[Account, Conference]:
    user, account, _admin = account_context(account_id)
    access.require_admin(user, account)
    return account, core.get_room(account, room_id)


def _labels() -> dict:
    labels = form_labels()
    return {**labels, "role_labels": dict(labels["roles"])}


def _fragment(account_id: int, room_id: int, view: live.RoomView, csrf_value: str) -> dict:
    return {"view": view, "account_id": account_id, "room_id": room_id, "csrf_value": csrf_value, **_labels()}


def _page(account: Account, room: Conference, values: dict, errors: dict, status: int = 200):
    context = _fragment(account.id, room.id, live.room_view(room), generate_csrf())
    start = rules.wall_clock(room.starts_at, room.timezone) if room.starts_at else None
    listen = url_for("conferences.broadcast.listen", room_id=room.id, token=broadcast.token(room), _external=True) \
        if broadcast.broadcasts(room) else None
    return render_template("conferences/room.html", account=account, room=room, values=values, errors=errors,
                           start=start, listen=listen, **context), status


def _flash_errors(exc: ValidationError | PbxError) -> None:
    flash(" ".join(m for messages in error_map(exc).values() for m in messages), "error")


def _flash_result(result: CommandResult, done: str) -> None:
    """FreeSWITCH's answer to a command a person asked for: ``done``, or its refusal."""
    if result.ok:
        flash(done, "success")
    else:
        flash(_("FreeSWITCH did not accept it (%(reason)s).", reason=result.body.removeprefix("-ERR").strip() or "?"),
              "error")


def _back(account: Account, room: Conference):
    return redirect(url_for("conferences.room.page", account_id=account.id, room_id=room.id))


@bp.get("")
@login_required
def page(account_id: int, room_id: int):
    account, room = _room(account_id, room_id)
    return _page(account, room, {"role": "participant", "language": "fr"}, {})


@bp.get("/stream")
def stream(account_id: int, room_id: int):
    """text/event-stream of the widget's fragment. No login redirect (EventSource would retry
    a login page forever)."""
    _room(account_id, room_id)
    csrf_value = generate_csrf()

    def read() -> live.RoomView | None:
        try:
            room = db.session.get(Conference, room_id)
            return None if room is None or room.account_id != account_id else live.room_view(room)
        finally:
            db.session.close()  # back to the pool until the next poll

    def render(view: live.RoomView) -> str:
        html = render_template("conferences/_live.html", **_fragment(account_id, room_id, view, csrf_value))
        return "\n".join(line.strip() for line in html.splitlines() if line.strip())

    events = StatusStream(read, render, request.headers.get("Last-Event-ID"))
    return Response(stream_with_context(iter(events)), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@bp.post("/participants")
@login_required
def add_participant(account_id: int, room_id: int):
    """Guide 16.1: the person gets a code of their own and the invitation email; with a phone
    number and "call them now", a call into the running room (refused with the reason, nothing
    kept, when the room is not running or the number may not be called)."""
    account, room = _room(account_id, room_id)
    typed = {name: text(request.form, name) for name in (*PARTICIPANT_FIELDS, *DIAL_OUT_FIELDS)}
    try:
        values = check_participant(typed)
        phone, call_now = values.pop("phone", None), values.pop("call_now", False)
        values.pop("invite", None)
        participant = core.add_participant(room, values)
        own = next(iter(extensions.list_extensions(account, actor())), None) if call_now else None
        call = dialout.dial_out(room, participant, phone, own) if call_now else None
        if call is not None and not switch().knows_node(call.node):
            raise Conflict(_("The FreeSWITCH hosting this conference is not configured here."))
    except (ValidationError, PbxError) as exc:
        discard_changes()
        return _page(account, room, typed, error_map(exc, {"call_now": FORM_LEVEL}), 400)
    invitations.invite(participant)
    db.session.commit()
    flash(_("Invitation sent to %(email)s.", email=values["email"]), "success")
    if call is not None:
        _flash_result(switch().call_into_room(call),
                      _("Calling %(number)s: they join the room when they answer.", number=call.number))
    return _back(account, room)


@bp.post("/participants/<int:participant_id>/invitation")
@login_required
def resend_invitation(account_id: int, room_id: int, participant_id: int):
    account, room = _room(account_id, room_id)
    participant = core.get_participant(room, participant_id)
    invitations.invite(participant)
    db.session.commit()
    flash(_("Invitation sent again to %(email)s.", email=participant.email), "success")
    return _back(account, room)


@bp.post("/members/<int:member_id>")
@login_required
def control_member(account_id: int, room_id: int, member_id: int):
    """Mute, unmute or kick a connected person on the switch hosting the room; the widget shows
    the result when the switch's event comes back."""
    account, room = _room(account_id, room_id)
    try:
        action = MemberActionSchema().load({"action": text(request.form, "action")})["action"]
        command = live.member_command(room, member_id, action)
    except (ValidationError, PbxError) as exc:
        _flash_errors(exc)
        return _back(account, room)
    if not switch().knows_node(command.node):
        flash(_("The FreeSWITCH hosting this conference is not configured here."), "error")
    else:
        _flash_result(switch().control(command), _("Done: the list follows in a moment."))
    return _back(account, room)


@bp.post("/end")
@login_required
def end(account_id: int, room_id: int):
    """"End now": everyone in the running room is hung up; the widget empties when the switch's
    events come back."""
    account, room = _room(account_id, room_id)
    where = live.running(room)
    if where is not None and not switch().knows_node(where.node):
        flash(_("The FreeSWITCH hosting this conference is not configured here."), "error")
        return _back(account, room)
    result = switch().end_room(room) if where is not None else None
    if result is None:
        flash(_("This conference is not running."), "error")
    else:
        _flash_result(result, _("Ending the conference: everyone is being hung up."))
    return _back(account, room)


@bp.post("/options")
@login_required
def options(account_id: int, room_id: int):
    """The widget's options (guide 16.3, function 4): ticked or not, each one saved; recording
    acts on a running room at once. Web broadcast exists only for a single-use room."""
    account, room = _room(account_id, room_id)
    shown = OPTIONS if room.kind == "single_use" else tuple(o for o in OPTIONS if o != "web_broadcast")
    try:
        save_room(room, RoomUpdateSchema().load({name: "on" if request.form.get(name) else "off" for name in shown}))
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        _flash_errors(exc)
        return _back(account, room)
    flash(_("Options saved."), "success")
    return _back(account, room)
