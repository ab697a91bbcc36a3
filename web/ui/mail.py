"""The "Emails" page (issue 16.3): every email the PBX owes or sent -- voicemail, invitations,
password resets -- with its delivery state: queued (next try), sent, or failed with the mail
server's answer. An account's, for its admins and the operator; all of them (mails of no
account included), for the operator. Filters and paging are plain query strings."""
from __future__ import annotations

from flask import Blueprint, render_template

from fs_service import mail_queue
from fs_service.models.mail import MAIL_STATES
from schema.mail import KINDS, MailQuerySchema

from .common import actor, admin_scope, lenient_query, login_required, older_url

bp = Blueprint("mail", __name__)


def _page(account_id: int | None):
    account, filters = admin_scope(account_id), lenient_query(MailQuerySchema)
    page = mail_queue.deliveries(actor(), account.id if account else None, **filters)
    return render_template("mail/list.html", account=account, page=page, query=filters, states=MAIL_STATES,
                           kinds=KINDS, older=older_url(filters, page.next_before_id))


@bp.get("/accounts/<int:account_id>/emails")
@login_required
def account_emails(account_id: int):
    return _page(account_id)


@bp.get("/operator/emails")
@login_required
def everything():
    return _page(None)
