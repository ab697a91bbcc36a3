"""Sending a fax (guide 6.2–6.4, FAX-2..5): the cover page fields, the options, the PDFs.

The form works without JavaScript: a refused send comes back as typed with each field's
message beside it and, per attached file, the reason it cannot be faxed (the file inputs
themselves cannot be refilled by a browser, so the page asks to attach them again); nothing is
queued (400). With JavaScript, each file is checked as soon as it is chosen (``documents/check``
— the same sandboxed validation), so the reasons show before the form is even sent.
"""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from marshmallow import ValidationError

from fax.rejections import describe
from fs_service.db import db
from fs_service.errors import PbxError
from fs_service.fax import rights, sending
from schema.fax import FaxSendSchema, normalised

from .common import FORM_LEVEL, account_context, discard_changes, login_required, non_empty
from .fax_common import fax_message, storage, tab_context

bp = Blueprint("fax", __name__, url_prefix="/accounts/<int:account_id>/fax")
bp.context_processor(tab_context)
TEXT_FIELDS = ("destination", "sender_number_id", "sender_phone_id", "language", "subject", "to_name",
               "to_company", "to_phone", "from_name", "from_company", "comments")
CHECKBOXES = ("hide_recipient_phone", "hide_sender_phone", "hide_sender_fax", "remember_subject",
              "remember_company")


def _lang() -> str:
    return str(get_locale() or "fr")[:2]


def remembered(user, account) -> dict:
    """FAX-2: what the user asked us to remember, and sensible defaults for the rest."""
    numbers = rights.fax_numbers(account)
    return {"language": user.fax_language or account.language, "subject": user.fax_subject or "",
            "remember_subject": bool(user.fax_subject), "from_company": user.fax_company or account.name,
            "remember_company": bool(user.fax_company), "from_name": user.full_name,
            "hide_recipient_phone": user.fax_hide_recipient_phone, "hide_sender_phone": user.fax_hide_sender_phone,
            "hide_sender_fax": user.fax_hide_sender_fax,
            "sender_number_id": str(numbers[0].id) if len(numbers) == 1 else ""}


def _payload(form) -> dict:
    payload = non_empty(form, TEXT_FIELDS)
    payload.update({name: True for name in CHECKBOXES if form.get(name)})
    return payload


def _documents() -> list[sending.Document]:
    return [sending.Document(f.filename or "document.pdf", f.read()) for f in request.files.getlist("documents")
            if f and (f.filename or f.content_length)]


def _page(account, values: dict, errors: dict, file_errors: list[str], status: int = 200):
    return render_template("fax/send.html", account=account, values=values, errors=errors,
                           file_errors=file_errors, fax_numbers=rights.fax_numbers(account),
                           numbers=rights.account_numbers(account)), status


def _errors(exc: ValidationError | PbxError) -> tuple[dict, list[str]]:
    """(per-field messages, per-file reasons), in the reader's language."""
    if isinstance(exc, sending.DocumentsRejected):
        return {}, [describe(r, _lang()) for r in exc.rejections]
    details = exc.messages if isinstance(exc, ValidationError) else (exc.details or {FORM_LEVEL: [exc.message]})
    errors: dict[str, list[str]] = {}
    for field, messages in details.items():
        items = messages if isinstance(messages, list) else [str(messages)]
        errors.setdefault(FORM_LEVEL if field == "_schema" else field, []).extend(fax_message(str(m)) for m in items)
    return errors, []


@bp.get("")
@login_required
def index(account_id: int):
    user, account, is_admin = account_context(account_id)
    if rights.can_send(user, account):
        return redirect(url_for("fax.send", account_id=account.id))
    target = "fax_admin.settings" if is_admin else "fax_inbox.inbox"
    return redirect(url_for(target, account_id=account.id))


@bp.route("/send", methods=["GET", "POST"])
@login_required
def send(account_id: int):
    user, account, _admin = account_context(account_id)
    if not rights.can_send(user, account):
        return render_template("fax/no_right.html", account=account), 403
    if request.method == "GET":
        return _page(account, remembered(user, account), {}, [])
    payload = _payload(request.form)
    try:
        data = normalised(FaxSendSchema().load(payload))
        job = sending.submit(account, user, sending.FaxRequest(**data), _documents(), storage())
    except (ValidationError, PbxError) as exc:
        discard_changes()
        errors, file_errors = _errors(exc)
        return _page(account, {**payload, **{k: bool(payload.get(k)) for k in CHECKBOXES}}, errors, file_errors,
                     exc.status if isinstance(exc, PbxError) else 400)
    db.session.commit()
    flash(ngettext("Fax queued for %(destination)s: %(num)s page including the cover page.",
                   "Fax queued for %(destination)s: %(num)s pages including the cover page.",
                   job.pages_total, destination=job.destination), "success")
    return redirect(url_for("fax_outbox.outbox", account_id=account.id, _anchor=f"job-{job.id}"))


@bp.post("/documents/check")
@login_required
def check_documents(account_id: int):
    """Each uploaded file's verdict, for the send form's script (JSON, nothing stored)."""
    user, account, _admin = account_context(account_id)
    rights.require_sender(user, account)
    verdicts = []
    for doc in _documents():
        try:
            info = sending.check_documents([doc])[0]
            verdicts.append({"filename": doc.filename, "ok": True, "pages": info.page_count})
        except sending.DocumentsRejected as exc:
            rejection = exc.rejections[0]
            verdicts.append({"filename": doc.filename, "ok": False, "error_id": rejection.error_id,
                             "message": describe(rejection, _lang())})
    return jsonify(verdicts)
