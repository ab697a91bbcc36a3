"""Audio conferences: inputs and outputs (CONF-1..3). The core checks the rules that need the
room as a whole (start and time zone of a single-use room, 3 h at most, no web broadcast on a
permanent room)."""
from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from fs_service.conferences import broadcast
from fs_service.conferences.rules import DURATION_RANGE
from fs_service.models.conferences import CONFERENCE_KINDS, PARTICIPANT_ROLES

from .common import LANGUAGE, StrictSchema, Timestamp, id_field, name_field

KIND = validate.OneOf(CONFERENCE_KINDS, error="must be one of: " + ", ".join(CONFERENCE_KINDS))
ROLE = validate.OneOf(PARTICIPANT_ROLES, error="must be one of: " + ", ".join(PARTICIPANT_ROLES))
# The core's limit for a single-use room; a permanent room is always open (its duration unused).
DURATION = validate.Range(*DURATION_RANGE, error=f"must be from {DURATION_RANGE[0]} to {DURATION_RANGE[1]} minutes "
                                                 "(3 hours at most)")


class RoomUpdateSchema(StrictSchema):
    title = name_field(120, validate=validate.Length(min=1))
    language = fields.String(validate=LANGUAGE)
    starts_at = fields.DateTime(allow_none=True)  # no offset: wall-clock time in ``timezone``
    duration_minutes = fields.Integer(validate=DURATION)
    timezone = fields.String(validate=validate.Length(min=1, max=64))
    record_audio = fields.Boolean()
    email_report = fields.Boolean()
    announce_members = fields.Boolean()
    web_broadcast = fields.Boolean()


class RoomCreateSchema(RoomUpdateSchema):
    kind = fields.String(required=True, validate=KIND, metadata={
        "description": "A single_use room needs starts_at (wall-clock time in its timezone)."})
    title = name_field(120, required=True, validate=validate.Length(min=1))
    language = fields.String(load_default="fr", validate=LANGUAGE)
    duration_minutes = fields.Integer(load_default=60, validate=DURATION)
    timezone = fields.String(load_default="America/Toronto", validate=validate.Length(min=1, max=64))
    add_me = fields.Boolean(load_default=False)


class RoomSchema(RoomCreateSchema):
    id = fields.Integer(dump_only=True)
    starts_at = Timestamp(allow_none=True)
    room_number = fields.String(dump_only=True)
    access_code = fields.String(dump_only=True)
    admin_code = fields.String(dump_only=True)
    add_me = fields.Boolean(dump_only=True, dump_default=False)
    # The web broadcast's listen-only link (anyone who has it can listen), on this server.
    broadcast_path = fields.Function(
        lambda room: f"/listen/{room.id}/{broadcast.token(room)}" if broadcast.broadcasts(room) else None,
        dump_only=True, allow_none=True)


class ParticipantCreateSchema(StrictSchema):
    name = name_field(120, required=True, validate=validate.Length(min=1))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    role = fields.String(load_default="participant", validate=ROLE)
    language = fields.String(load_default="fr", validate=LANGUAGE)
    invite = fields.Boolean(load_default=True, load_only=True)  # email the invitation now
    # Call them into the running room now, at this number (fs_service.conferences.dialout).
    phone = fields.String(load_only=True, validate=validate.Regexp(r"^\+?[0-9]{3,15}$",
                                                                   error="digits only, 3 to 15"))
    call_now = fields.Boolean(load_default=False, load_only=True)

    @validates_schema
    def _number_to_call(self, data: dict, **kwargs) -> None:
        if data.get("call_now") and not data.get("phone"):
            raise ValidationError("required to call the participant now", "phone")


class ParticipantSchema(ParticipantCreateSchema):
    id = fields.Integer(dump_only=True)
    code = fields.String(dump_only=True)
    invited_at = Timestamp(allow_none=True)


class AttendeeSchema(StrictSchema):
    name = fields.String()
    caller_number = fields.String()
    role = fields.String()
    joined_at = Timestamp()
    left_at = Timestamp(allow_none=True)


class OccurrenceSchema(StrictSchema):
    """An ended conference; the recording is downloadable until ``recording_expires_at``."""
    id = fields.Integer()
    room_id = fields.Integer()
    title = fields.String()
    room_number = fields.String()
    started_at = Timestamp()
    ended_at = Timestamp()
    duration_seconds = fields.Integer()
    has_recording = fields.Function(lambda o: o.recording_path is not None)
    recording_expires_at = Timestamp()
    attendees = fields.List(fields.Nested(AttendeeSchema))


class HistoryQuerySchema(StrictSchema):
    room_id = id_field(load_default=None)


class MemberSchema(StrictSchema):
    """Someone connected now (the widget's list)."""
    id = fields.Integer()
    participant_id = fields.Integer(allow_none=True)
    name = fields.String()
    caller_number = fields.String()
    role = fields.String()
    talking = fields.Boolean()
    muted = fields.Boolean()
    held = fields.Boolean()
    joined_at = Timestamp(allow_none=True)


class MemberActionSchema(StrictSchema):
    action = fields.String(required=True, validate=validate.OneOf(("mute", "unmute", "kick"),
                                                                  error="must be one of: mute, unmute, kick"))


class MemberActionResultSchema(StrictSchema):
    ok = fields.Boolean()
    reply = fields.String()
