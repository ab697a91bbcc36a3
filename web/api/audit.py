"""The audit log over the API (issue 14): an account's (its admins, the operator) or all of it
(the operator), newest first, paged with ``before_id``."""
from __future__ import annotations

from fs_service import audit
from fs_service.paging import Page
from schema.audit import AuditPageSchema, AuditQuerySchema

from .base import PREFIX, ApiBlueprint, actor

bp = ApiBlueprint("api_audit", __name__, url_prefix=PREFIX, description="Audit log: who changed what")


@bp.route("/audit-events", methods=["GET"])
@bp.arguments(AuditQuerySchema, location="query")
@bp.response(200, AuditPageSchema)
def all_events(query: dict) -> Page:
    """Operators: every event, those of no account included; an admin: their account's."""
    return audit.events(actor(), **query)


@bp.route("/accounts/<int:account_id>/audit-events", methods=["GET"])
@bp.arguments(AuditQuerySchema, location="query")
@bp.response(200, AuditPageSchema)
def account_events(query: dict, account_id: int) -> Page:
    """One account's events: its admins and the operator; users 403, other tenants 404."""
    return audit.events(actor(), account_id, **query)
