"""The inbox of received faxes (FAX-7): newest first, each with a first-page preview, its
pages, who sent it, and the PDF to open or download.

The inbox is the account's fax machine: admins and users with the fax right see it all.
A fax still being converted shows as such; one whose TIFF could not be read says so.
"""
from __future__ import annotations

from flask import Blueprint, render_template, request

from fs_service.fax import inbound
from fs_service.models._columns import as_utc

from .common import account_context, login_required
from .fax_common import file_response, require_inbox, stored_pdf, tab_context, thumbnail_response
from .voicemail_messages import received_at

bp = Blueprint("fax_inbox", __name__, url_prefix="/accounts/<int:account_id>/fax/inbox")
bp.context_processor(tab_context)
ONE = "/<int:received_id>"


def _opened(account_id: int):
    user, account, _admin = account_context(account_id)
    require_inbox(user, account)
    return account


@bp.get("")
@login_required
def inbox(account_id: int):
    account = _opened(account_id)
    faxes = inbound.list_received(account)
    return render_template("fax/inbox.html", account=account, faxes=faxes,
                           when={f.id: received_at(as_utc(f.created_at), account.timezone) for f in faxes})


@bp.get(f"{ONE}/pdf")
@login_required
def pdf(account_id: int, received_id: int):
    account = _opened(account_id)
    fax = inbound.get_received(account, received_id)
    return file_response(stored_pdf(fax), f"fax-{fax.id}-{fax.caller_number or 'unknown'}.pdf", "application/pdf",
                         download=request.args.get("download", "1") != "0")


@bp.get(f"{ONE}/thumbnail.png")
@login_required
def thumbnail(account_id: int, received_id: int):
    account = _opened(account_id)
    fax = inbound.get_received(account, received_id)
    return thumbnail_response(stored_pdf(fax), f"fax-{fax.id}.png")
