"""Company numbers of an account (HRS-1..4): list, read, change (label, time zone, open and
closed treatments), closure message and its code, the schedule preview; the operator adds and
removes numbers. Treatments (where a call goes) are here too: they exist for the numbers.

Admin-only: users get 403, other tenants 404. Hours and exceptions: numbers_schedules.py.
"""
from __future__ import annotations

from flask import Response

from fs_service import access
from fs_service.models import PhoneNumber, Treatment
from fs_service.numbers import rules as core, schedules, sound_uploads, treatments
from schema.numbers import (ClosureMessageSchema, DecisionSchema, NumberCreateSchema, NumberSchema, NumberUpdateSchema,
                            PreviewQuerySchema, TreatmentSchema)
from schema.sound_uploads import SoundUploadSchema
from web.sound_access import AUDIO_DOC, sound_response

from .base import PREFIX, ApiBlueprint, actor, commit, scoped

bp = ApiBlueprint("api_numbers", __name__, url_prefix=f"{PREFIX}/accounts/<int:account_id>/numbers",
                  description="Company numbers: behaviour, closure message, schedule preview")
treatments_bp = ApiBlueprint("api_treatments", __name__,
                             url_prefix=f"{PREFIX}/accounts/<int:account_id>/treatments",
                             description="Treatments: where a call goes (extension, mailbox, menu, message…)")
ONE = "/<int:number_id>"


def _number(account_id: int, number_id: int):
    _, account = scoped(account_id, admin=True)
    return account, core.get_number(account, number_id)


@bp.route("", methods=["GET"])
@bp.response(200, NumberSchema(many=True))
def list_numbers(account_id: int) -> list[PhoneNumber]:
    _, account = scoped(account_id, admin=True)
    return core.list_numbers(account)


@bp.route("", methods=["POST"])
@bp.arguments(NumberCreateSchema)
@bp.response(201, NumberSchema)
def create_number(data: dict, account_id: int) -> PhoneNumber:
    """Operator only. Any NANP spelling is accepted and stored as ``+1NXXNXXXXXX``; the time
    zone defaults to the account's. The number gets a closure code and password."""
    _, account = scoped(account_id, admin=True)
    access.require_operator(actor())
    number = core.create_number(account, **data)
    commit()
    return number


@bp.route(ONE, methods=["GET"])
@bp.response(200, NumberSchema)
def get_number(account_id: int, number_id: int) -> PhoneNumber:
    return _number(account_id, number_id)[1]


@bp.route(ONE, methods=["PATCH"])
@bp.arguments(NumberUpdateSchema)
@bp.response(200, NumberSchema)
def update_number(changes: dict, account_id: int, number_id: int) -> PhoneNumber:
    """``open_treatment_id`` / ``closed_treatment_id`` null: the defaults ("not in service" /
    "office closed" message). Saved = live on the next call. ``is_fax`` and
    ``fax_confirmation_email`` are the operator's (403 naming the field for an admin), the same
    rule as ``PATCH …/fax/numbers/<id>`` (fs_service.fax.rights)."""
    account, number = _number(account_id, number_id)
    core.update_number(account, number, changes, actor=actor())
    commit()
    return number


@bp.route(ONE, methods=["DELETE"])
@bp.response(204)
def delete_number(account_id: int, number_id: int) -> None:
    """Operator only; the number's hours and exceptions go with it."""
    account, number = _number(account_id, number_id)
    access.require_operator(actor())
    core.delete_number(account, number)
    commit()


@bp.route(f"{ONE}/closure-message", methods=["PUT"])
@bp.arguments(ClosureMessageSchema)
@bp.response(200, NumberSchema)
def set_closure_message(data: dict, account_id: int, number_id: int) -> PhoneNumber:
    """A sound path plays the message before the usual closed behaviour; null deletes it (as
    recording a short silence by phone does)."""
    account, number = _number(account_id, number_id)
    core.set_closure_message(account, number, data["closure_message_path"])
    commit()
    return number


@bp.route(f"{ONE}/closure-message", methods=["DELETE"])
@bp.response(204)
def delete_closure_message(account_id: int, number_id: int) -> None:
    """No closure message any more (as recording a short silence by phone); an uploaded or
    recorded file is deleted."""
    account, number = _number(account_id, number_id)
    core.clear_closure_message(account, number)
    commit()


@bp.route(f"{ONE}/closure-message/audio", methods=["PUT"])
@bp.arguments(SoundUploadSchema, location="files")
@bp.response(200, NumberSchema)
def upload_closure_message(data: dict, account_id: int, number_id: int) -> PhoneNumber:
    """Upload the closure message as multipart part ``file``: a WAV file (checked by content:
    RIFF/WAVE PCM at 8 or 16 kHz; stereo and 8-bit are converted to 16-bit mono). It plays
    from the next closed call; the previous uploaded or recorded file is deleted. 400
    ``invalid_audio`` naming ``file`` otherwise."""
    account, number = _number(account_id, number_id)
    core.upload_closure_message(account, number, data["data"])
    commit()
    return number


@bp.route(f"{ONE}/closure-message/audio", methods=["GET"])
@bp.doc(responses=AUDIO_DOC)
def closure_message_audio(account_id: int, number_id: int) -> Response:
    """The closure message's audio (uploaded or recorded by phone) for a player; 404 when there
    is none or it is a shared sound path."""
    account, number = _number(account_id, number_id)
    return sound_response(account, sound_uploads.number_owner(number), number.closure_message_path,
                          f"closure-{number.e164.lstrip('+')}")


@bp.route(f"{ONE}/closure-credentials", methods=["POST"])
@bp.response(200, NumberSchema)
def regenerate_closure_credentials(account_id: int, number_id: int) -> PhoneNumber:
    """A new code and password for recording the closure message by phone (8400)."""
    account, number = _number(account_id, number_id)
    core.regenerate_closure_credentials(account, number)
    commit()
    return number


@bp.route(f"{ONE}/preview", methods=["GET"])
@bp.arguments(PreviewQuerySchema, location="query")
@bp.response(200, DecisionSchema)
def preview(query: dict, account_id: int, number_id: int) -> schedules.Decision:
    """What a call at ``at`` gets and why (the dialplan's own decision). ``at`` without an
    offset is the number's local wall-clock time."""
    account, number = _number(account_id, number_id)
    return schedules.preview(account, number, query["at"])


@treatments_bp.route("", methods=["GET"])
@treatments_bp.response(200, TreatmentSchema(many=True))
def list_treatments(account_id: int) -> list[Treatment]:
    _, account = scoped(account_id, admin=True)
    return treatments.list_treatments(account)


@treatments_bp.route("", methods=["POST"])
@treatments_bp.arguments(TreatmentSchema)
@treatments_bp.response(201, TreatmentSchema)
def create_treatment(data: dict, account_id: int) -> Treatment:
    _, account = scoped(account_id, admin=True)
    found = treatments.create_treatment(account, **data)
    commit()
    return found


@treatments_bp.route("/<int:treatment_id>", methods=["GET"])
@treatments_bp.response(200, TreatmentSchema)
def get_treatment(account_id: int, treatment_id: int) -> Treatment:
    _, account = scoped(account_id, admin=True)
    return treatments.get_treatment(account, treatment_id)


@treatments_bp.route("/<int:treatment_id>", methods=["PUT"])
@treatments_bp.arguments(TreatmentSchema)
@treatments_bp.response(200, TreatmentSchema)
def update_treatment(data: dict, account_id: int, treatment_id: int) -> Treatment:
    """The whole treatment (fields of other kinds are cleared)."""
    _, account = scoped(account_id, admin=True)
    found = treatments.update_treatment(account, treatments.get_treatment(account, treatment_id), data)
    commit()
    return found


@treatments_bp.route("/<int:treatment_id>", methods=["DELETE"])
@treatments_bp.response(204)
def delete_treatment(account_id: int, treatment_id: int) -> None:
    """Numbers and exceptions using it fall back to their default; menu keys using it vanish."""
    _, account = scoped(account_id, admin=True)
    treatments.delete_treatment(account, treatments.get_treatment(account, treatment_id))
    commit()
