"""The home page and an account's dashboard."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from fs_service import access
from fs_service.accounts import rules as accounts
from fs_service.extensions import rules as extensions
from web.actor import current_actor

from .common import account_context, login_required

bp = Blueprint("accounts", __name__)


@bp.get("/")
def home():
    """Everyone lands on the page of their role: login, the operator's accounts, or their account."""
    user = current_actor()
    if user is None:
        return redirect(url_for("auth.login"))
    if access.is_operator(user):
        return redirect(url_for("operator.accounts_page"))
    return redirect(url_for("accounts.dashboard", account_id=user.account_id))


@bp.get("/accounts/<int:account_id>/")
@login_required
def dashboard(account_id: int):
    user, account, is_admin = account_context(account_id)
    own = extensions.list_extensions(account, None if is_admin else user)
    counts = {
        "extensions": len(own),
        "softphones": sum(len(ext.softphones) for ext in own),
        "users": len(accounts.list_users(account)) if is_admin else None,
    }
    return render_template("accounts/dashboard.html", account=account, is_admin=is_admin,
                           counts=counts, extensions=own[:10])
