"""History of an account's conferences (CONF-7): ended occurrences that had participants, with
join/leave times, the audio recording (kept 7 days) and a PDF report. Admin-only; other tenants 404."""
from __future__ import annotations

from flask import Response, current_app, send_file

from fs_service.audio_storage import Storage
from fs_service.conferences import history, rules
from fs_service.conferences.report import report_pdf
from fs_service.conferences.rooms import get_room
from schema.conferences import HistoryQuerySchema, OccurrenceSchema

from .base import PREFIX, ApiBlueprint, scoped

bp = ApiBlueprint("api_conference_history", __name__,
                  url_prefix=f"{PREFIX}/accounts/<int:account_id>/conference-history",
                  description="Ended conferences: participants, recordings, PDF reports")
ONE = "/<int:session_id>"


@bp.route("", methods=["GET"])
@bp.arguments(HistoryQuerySchema, location="query")
@bp.response(200, OccurrenceSchema(many=True))
def list_history(query: dict, account_id: int) -> list[history.Occurrence]:
    """Newest first; ``room_id``: the sessions of one (permanent) room."""
    _, account = scoped(account_id, admin=True)
    return history.ended(account, query["room_id"])


@bp.route(ONE, methods=["GET"])
@bp.response(200, OccurrenceSchema)
def get_occurrence(account_id: int, session_id: int) -> history.Occurrence:
    _, account = scoped(account_id, admin=True)
    return history.occurrence(account, session_id)


@bp.route(f"{ONE}/recording", methods=["GET"])
@bp.alt_response(200, description="The recording (WAV)")
def get_recording(account_id: int, session_id: int) -> Response:
    _, account = scoped(account_id, admin=True)
    found = history.occurrence(account, session_id)
    storage = Storage.from_settings(current_app.config["PBX"])
    path = history.recording_file(account, found, storage.local_path)
    return send_file(path, mimetype="audio/wav", download_name=f"conference-{found.id}.wav", max_age=0)


@bp.route(f"{ONE}/report.pdf", methods=["GET"])
@bp.alt_response(200, description="The PDF report")
def get_report(account_id: int, session_id: int) -> Response:
    _, account = scoped(account_id, admin=True)
    found = history.occurrence(account, session_id)
    room = get_room(account, found.room_id)
    pdf = report_pdf(found, rules.zone(room.timezone) or rules.zone("UTC"), room.language)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="conference-{found.id}.pdf"'})
