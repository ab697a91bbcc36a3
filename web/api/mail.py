"""Emails over the API (issue 16.3): each one's delivery state -- queued (with its next try),
sent, failed (with the server's answer). An account's (its admins, the operator) or all of them
(the operator only: they include mails of no account, e.g. reset requests), newest first,
paged with ``before_id``."""
from __future__ import annotations

from fs_service import mail_queue
from fs_service.paging import Page
from schema.mail import MailPageSchema, MailQuerySchema

from .base import PREFIX, ApiBlueprint, actor

bp = ApiBlueprint("api_mail", __name__, url_prefix=PREFIX, description="Emails: delivery state")


@bp.route("/emails", methods=["GET"])
@bp.arguments(MailQuerySchema, location="query")
@bp.response(200, MailPageSchema)
def all_emails(query: dict) -> Page:
    """Operator only: every email, those of no account included (admins: their account's route)."""
    return mail_queue.deliveries(actor(), **query)


@bp.route("/accounts/<int:account_id>/emails", methods=["GET"])
@bp.arguments(MailQuerySchema, location="query")
@bp.response(200, MailPageSchema)
def account_emails(query: dict, account_id: int) -> Page:
    """One account's emails: its admins and the operator; users 403, other tenants 404."""
    return mail_queue.deliveries(actor(), account_id, **query)
