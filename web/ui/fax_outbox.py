"""The outbox (FAX-5): every fax with its live status and "page x / y", send again, cancel a
waiting one, download.

The page is complete without JavaScript (reload to refresh); with it, the rows of faxes still
on their way are refreshed every 2 s from ``outbox/status`` (JSON, the same data as the API),
which keeps the 2-second freshness the live status pages promise without a socket per tab.
"""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from fs_service.db import db
from fs_service.errors import Conflict, ValidationFailed
from fs_service.fax import outbox as core, rights
from fs_service.fax.retention import FilesPurged
from fs_service.models._columns import as_utc

from .common import account_context, discard_changes, login_required
from .fax_common import failure_label, fax_message, file_response, state_label, storage, stored_pdf, tab_context
from .voicemail_messages import received_at

bp = Blueprint("fax_outbox", __name__, url_prefix="/accounts/<int:account_id>/fax/outbox")
bp.context_processor(tab_context)
ONE = "/<int:job_id>"


def row(job, timezone: str) -> dict:
    """One outbox line as the template and the live script show it."""
    data = core.progress(job)
    shown = "awaiting" if data["awaiting_outcome"] else job.state  # a try ended unheard, its record awaited
    data.update(state_label=state_label(shown), failure_label=failure_label(job.failure_class),
                active=job.state in core.ACTIVE, created=received_at(as_utc(job.created_at), timezone),
                next_attempt=received_at(as_utc(job.next_attempt_at), timezone) if data["next_attempt_at"] else "")
    return data


def _visible(account_id: int):
    user, account, is_admin = account_context(account_id)
    if not is_admin:
        rights.require_sender(user, account)  # 403 with the reason
    return user, account, is_admin


@bp.get("")
@login_required
def outbox(account_id: int):
    user, account, is_admin = _visible(account_id)
    jobs = core.list_jobs(account, user)
    rows = {j.id: row(j, account.timezone) for j in jobs}
    return render_template("fax/outbox.html", account=account, jobs=jobs, rows=rows, is_admin=is_admin,
                           can_send=rights.can_send(user, account))


@bp.get("/status")
@login_required
def status(account_id: int):
    """Live rows: ``?ids=1,2,3`` (those still on their way), or the latest 50."""
    user, account, _admin = _visible(account_id)
    wanted = {int(i) for i in (request.args.get("ids") or "").split(",") if i.isdigit()}
    jobs = core.list_jobs(account, user, limit=50 if not wanted else 200)
    return jsonify([row(j, account.timezone) for j in jobs if not wanted or j.id in wanted])


@bp.post(f"{ONE}/resend")
@login_required
def resend(account_id: int, job_id: int):
    return _act(account_id, job_id, lambda account, user, job: core.resend(account, user, job, storage()),
                lambda job: _("Fax queued again for %(destination)s.", destination=job.destination))


@bp.post(f"{ONE}/cancel")
@login_required
def cancel(account_id: int, job_id: int):
    """Stop a waiting fax (its sender or an admin)."""
    return _act(account_id, job_id, core.cancel,
                lambda job: _("Fax to %(destination)s cancelled.", destination=job.destination))


def _act(account_id: int, job_id: int, action, done):
    """Run ``action`` on one fax of the outbox; its refusal (being sent, over, pages deleted,
    destination no longer allowed) is flashed on the outbox with the reason."""
    user, account, _admin = _visible(account_id)
    job = core.get_job(account, user, job_id)
    try:
        job = action(account, user, job)
    except (Conflict, ValidationFailed, FilesPurged) as exc:
        discard_changes()
        reasons = [m for items in exc.details.values() for m in items] or [exc.message]
        flash(" ".join(fax_message(m) for m in reasons), "error")
        return redirect(url_for("fax_outbox.outbox", account_id=account.id, _anchor=f"job-{job_id}"))
    db.session.commit()
    flash(done(job), "success")
    return redirect(url_for("fax_outbox.outbox", account_id=account.id, _anchor=f"job-{job.id}"))


@bp.get(f"{ONE}/pdf")
@login_required
def pdf(account_id: int, job_id: int):
    """The pages as faxed (cover included), converted back from the TIFF that was sent."""
    user, account, _admin = _visible(account_id)
    job = core.get_job(account, user, job_id)
    return file_response(stored_pdf(job), f"fax-{job.id}-{job.destination}.pdf", "application/pdf",
                         download=request.args.get("download", "1") != "0")
