"""Audio conferences of an account (CONF-1..3, CONF-6): rooms (permanent or single-use) with their
room number and generic codes, invited participants each with a code of their own (invitation
emailed, resendable), and the live control of a running room (who is in, mute / unmute / kick).
Admin-only; other tenants 404."""
from __future__ import annotations

from fs_service.conferences import dialout, invitations, live, rooms as core
from fs_service.errors import Conflict, PbxError
from fs_service.extensions import rules as extensions
from fs_service.models import Conference, ConferenceParticipant
from schema.conferences import (MemberActionResultSchema, MemberActionSchema, MemberSchema, ParticipantCreateSchema,
                                ParticipantSchema, RoomCreateSchema, RoomSchema, RoomUpdateSchema)
from web.switch import switch

from .base import PREFIX, ApiBlueprint, actor, commit, scoped

bp = ApiBlueprint("api_conferences", __name__, url_prefix=f"{PREFIX}/accounts/<int:account_id>/conferences",
                  description="Audio conferences: rooms, codes, participants")
ONE = "/<int:room_id>"


class CommandNotSent(PbxError):
    """FreeSWITCH is unreachable or refused the room command (its answer is in the message)."""
    status = 503
    error_id = "command_not_sent"


def _room(account_id: int, room_id: int) -> Conference:
    _, account = scoped(account_id, admin=True)
    return core.get_room(account, room_id)


@bp.route("", methods=["GET"])
@bp.response(200, RoomSchema(many=True))
def list_rooms(account_id: int) -> list[Conference]:
    _, account = scoped(account_id, admin=True)
    return core.list_rooms(account)


@bp.route("", methods=["POST"])
@bp.arguments(RoomCreateSchema)
@bp.response(201, RoomSchema)
def create_room(data: dict, account_id: int) -> Conference:
    """``starts_at`` without an offset is read in ``timezone``; ``add_me`` invites you as admin."""
    user, account = scoped(account_id, admin=True)
    room = core.create_room(account, user, data, add_me=data.pop("add_me", False))
    commit()
    return room


@bp.route(ONE, methods=["GET"])
@bp.response(200, RoomSchema)
def get_room(account_id: int, room_id: int) -> Conference:
    return _room(account_id, room_id)


@bp.route(ONE, methods=["PATCH"])
@bp.arguments(RoomUpdateSchema)
@bp.response(200, RoomSchema)
def update_room(changes: dict, account_id: int, room_id: int) -> Conference:
    """``record_audio`` changed while the room runs starts or stops the recording at once (on the
    switch hosting it; the room is saved even if the switch does not answer)."""
    room = _room(account_id, room_id)
    was_recording = room.record_audio
    core.update_room(room, changes)
    commit()
    if room.record_audio != was_recording:
        switch().set_recording(room, room.record_audio)
    return room


@bp.route(ONE, methods=["DELETE"])
@bp.response(204)
def delete_room(account_id: int, room_id: int) -> None:
    core.delete_room(_room(account_id, room_id))
    commit()


@bp.route(f"{ONE}/participants", methods=["GET"])
@bp.response(200, ParticipantSchema(many=True))
def list_participants(account_id: int, room_id: int) -> list[ConferenceParticipant]:
    return core.list_participants(_room(account_id, room_id))


@bp.route(f"{ONE}/participants", methods=["POST"])
@bp.arguments(ParticipantCreateSchema)
@bp.response(201, ParticipantSchema)
def add_participant(data: dict, account_id: int, room_id: int) -> ConferenceParticipant:
    """The person gets a code of their own and, with ``invite`` (default), the invitation email;
    with ``call_now`` and ``phone``, a call into the running room (the toll rules of the admin
    asking apply). Refused before anything is kept: 409 room not running / node unknown, 400
    number refused; 503 FreeSWITCH did not accept the call (the participant is kept, invited)."""
    invite, phone, call_now = data.pop("invite", True), data.pop("phone", None), data.pop("call_now", False)
    _, account = scoped(account_id, admin=True)
    room = core.get_room(account, room_id)
    participant = core.add_participant(room, data)
    own = next(iter(extensions.list_extensions(account, actor())), None)
    call = dialout.dial_out(room, participant, phone, own) if call_now else None
    if call is not None and not switch().knows_node(call.node):
        raise Conflict("the FreeSWITCH hosting this conference is not configured here", error_id="node_not_configured")
    if invite:
        invitations.invite(participant)
    commit()
    if call is not None:
        _sent(switch().call_into_room(call))
    return participant


def _sent(result) -> None:
    if not result.ok:
        raise CommandNotSent(f"FreeSWITCH did not accept it: {result.body.removeprefix('-ERR').strip()}")


@bp.route(f"{ONE}/participants/<int:participant_id>/invitation", methods=["POST"])
@bp.response(202, ParticipantSchema)
def resend_invitation(account_id: int, room_id: int, participant_id: int) -> ConferenceParticipant:
    participant = core.get_participant(_room(account_id, room_id), participant_id)
    invitations.invite(participant)
    commit()
    return participant


@bp.route(f"{ONE}/participants/<int:participant_id>", methods=["DELETE"])
@bp.response(204)
def remove_participant(account_id: int, room_id: int, participant_id: int) -> None:
    core.remove_participant(core.get_participant(_room(account_id, room_id), participant_id))
    commit()


@bp.route(f"{ONE}/members", methods=["GET"])
@bp.response(200, MemberSchema(many=True))
def list_members(account_id: int, room_id: int) -> list:
    """Who is connected now: name, role, talking, muted, held (empty when the room is not running)."""
    return live.members(_room(account_id, room_id))


@bp.route(f"{ONE}/members/<int:member_id>", methods=["POST"])
@bp.arguments(MemberActionSchema)
@bp.response(200, MemberActionResultSchema)
def control_member(data: dict, account_id: int, room_id: int, member_id: int) -> dict:
    """Mute, unmute or kick one connected person, on the FreeSWITCH hosting the room. 404: not
    connected; 503: the switch did not accept it."""
    request = live.member_command(_room(account_id, room_id), member_id, data["action"])
    if not switch().knows_node(request.node):
        raise Conflict("the FreeSWITCH hosting this conference is not configured here",
                       error_id="node_not_configured")
    result = switch().control(request)
    _sent(result)
    return {"ok": True, "reply": result.body}


@bp.route(f"{ONE}/end", methods=["POST"])
@bp.response(200, MemberActionResultSchema)
def end_room(account_id: int, room_id: int) -> dict:
    """End the running occurrence now: everyone is hung up on the FreeSWITCH hosting the room
    (it goes to the history like any ended one). 409: not running; 503: the switch did not
    accept it."""
    room = _room(account_id, room_id)
    where = live.running(room)
    if where is not None and not switch().knows_node(where.node):
        raise Conflict("the FreeSWITCH hosting this conference is not configured here",
                       error_id="node_not_configured")
    result = switch().end_room(room) if where is not None else None
    if result is None:
        raise Conflict("this conference is not running", error_id="not_running")
    _sent(result)
    return {"ok": True, "reply": result.body}
