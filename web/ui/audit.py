"""The audit log page (issue 14): an account's, for its admins and the operator; everything,
for the operator. Filters and paging are plain query strings: the page needs no script."""
from __future__ import annotations

from flask import Blueprint, render_template

from fs_service import audit
from schema.audit import AuditQuerySchema

from .common import actor, admin_scope, lenient_query, login_required, older_url

bp = Blueprint("audit", __name__)


def _page(account_id: int | None):
    account, query = admin_scope(account_id), lenient_query(AuditQuerySchema)
    page = audit.events(actor(), account.id if account else None, **query)
    return render_template("audit/list.html", account=account, page=page, query=query,
                           actions=audit.ACTIONS, older=older_url(query, page.next_before_id))


@bp.get("/accounts/<int:account_id>/audit")
@login_required
def account_log(account_id: int):
    return _page(account_id)


@bp.get("/operator/audit")
@login_required
def everything():
    return _page(None)
