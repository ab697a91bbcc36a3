"""Sending faxes over the API (FAX-2..6): check documents, send (cover fields + PDFs as
multipart), list the outbox with live progress, read one fax, send it again, cancel it while
it waits, download its PDF (410 ``fax_files_purged`` after the retention period).

Users with the fax right send and see their own faxes; admins see every fax of the account.
A refused send queues nothing: 400 ``validation_error`` naming the field, or 400
``fax_documents_rejected`` with one sentence per refused file in ``details.documents`` (the
machine-readable reason of each is in ``documents_rejected``: file, page, ``pdf_<code>``).
"""
from __future__ import annotations

from flask import Response, jsonify, request
from flask_smorest.fields import Upload
from marshmallow import fields

from fs_service.fax import outbox, rights, sending
from fs_service.models import FaxJob
from schema.common import StrictSchema
from schema.fax import DocumentVerdictSchema, FaxJobSchema, FaxSendSchema, normalised
from web.ui.fax_common import file_response, storage, stored_pdf

from .base import PREFIX, ApiBlueprint, commit, scoped

bp = ApiBlueprint("api_fax", __name__, url_prefix=f"{PREFIX}/accounts/<int:account_id>/fax",
                  description="Faxes: send, outbox with progress, resend, download")
ONE = "/jobs/<int:job_id>"
PDF = {200: {"description": "The faxed pages as PDF, cover included",
             "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


class FaxSendFormSchema(FaxSendSchema):
    documents = Upload(load_only=True, metadata={"description": "PDF files (repeat the part for several)"})


class DocumentsSchema(StrictSchema):
    documents = Upload(load_only=True, metadata={"description": "PDF files (repeat the part for several)"})


class OutboxQuerySchema(StrictSchema):
    active = fields.Boolean(load_default=False, metadata={"description": "only faxes still on their way"})


def _documents() -> list[sending.Document]:
    return [sending.Document(f.filename or "document.pdf", f.read()) for f in request.files.getlist("documents")]


def _rejected(exc: sending.DocumentsRejected):
    body = exc.to_dict()
    body["documents_rejected"] = [{"file": r.filename, "page": r.page, "error_id": r.error_id, "message": r.reason}
                                  for r in exc.rejections]
    return jsonify(body), exc.status


@bp.route("/documents/check", methods=["POST"])
@bp.arguments(DocumentsSchema, location="files", required=False)
@bp.response(200, DocumentVerdictSchema(many=True))
def check_documents(_files: dict, account_id: int) -> list[dict]:
    """Each file's verdict (FAX-4) without sending anything; the same sandboxed check as a send."""
    user, account = scoped(account_id)
    rights.require_sender(user, account)
    verdicts = []
    for doc in _documents():
        try:
            pages = sending.check_documents([doc])[0].page_count
            verdicts.append({"filename": doc.filename, "ok": True, "pages": pages})
        except sending.DocumentsRejected as exc:
            reason = exc.rejections[0]
            verdicts.append({"filename": doc.filename, "ok": False, "error_id": reason.error_id,
                             "message": reason.reason})
    return verdicts


@bp.route("/jobs", methods=["POST"])
@bp.arguments(FaxSendFormSchema, location="form", content_type="multipart/form-data")
@bp.response(201, FaxJobSchema)
def send_fax(data: dict, account_id: int):
    """Check everything, build the cover, render and queue; the job comes back ``queued``."""
    user, account = scoped(account_id)
    data.pop("documents", None)
    try:
        job = sending.submit(account, user, sending.FaxRequest(**normalised(data)), _documents(), storage())
    except sending.DocumentsRejected as exc:
        return _rejected(exc)
    commit()
    return job


@bp.route("/jobs", methods=["GET"])
@bp.arguments(OutboxQuerySchema, location="query")
@bp.response(200, FaxJobSchema(many=True))
def list_jobs(query: dict, account_id: int) -> list[FaxJob]:
    """Newest first; ``pages_sent`` / ``pages_total`` is the live "page x / y"."""
    user, account = scoped(account_id)
    if not rights.can_read_all(user, account):
        rights.require_sender(user, account)
    jobs = outbox.list_jobs(account, user)
    return [j for j in jobs if j.state in outbox.ACTIVE] if query["active"] else jobs


@bp.route(ONE, methods=["GET"])
@bp.response(200, FaxJobSchema)
def get_job(account_id: int, job_id: int) -> FaxJob:
    user, account = scoped(account_id)
    return outbox.get_job(account, user, job_id)


@bp.route(f"{ONE}/resend", methods=["POST"])
@bp.response(201, FaxJobSchema)
def resend(account_id: int, job_id: int) -> FaxJob:
    """A new job with the same pages, from the top of the retry ladder (409 while still sending)."""
    user, account = scoped(account_id)
    job = outbox.resend(account, user, outbox.get_job(account, user, job_id), storage())
    commit()
    return job


@bp.route(f"{ONE}/cancel", methods=["POST"])
@bp.response(200, FaxJobSchema)
def cancel(account_id: int, job_id: int) -> FaxJob:
    """The sender or an admin stops a fax that is ``queued`` or ``retrying``: it becomes
    ``cancelled`` and is never placed. 409 ``fax_sending`` while a try is on the line (it cannot
    be stopped), 409 ``fax_not_cancellable`` once it is over."""
    user, account = scoped(account_id)
    job = outbox.cancel(account, user, outbox.get_job(account, user, job_id))
    commit()
    return job


@bp.route(f"{ONE}/pdf", methods=["GET"])
@bp.doc(responses=PDF)
def job_pdf(account_id: int, job_id: int) -> Response:
    user, account = scoped(account_id)
    job = outbox.get_job(account, user, job_id)
    return file_response(stored_pdf(job), f"fax-{job.id}-{job.destination}.pdf", "application/pdf")
