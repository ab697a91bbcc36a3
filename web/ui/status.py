"""Extension status page (STAT-1..3, PARK-2; guide section 15): live states, parked calls,
click-to-call. Users and admins of the account see it; another tenant gets a 404."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from fs_service.db import db, utcnow
from fs_service.errors import PbxError
from fs_service.models import Account
from fs_service.status.queries import LiveStatus
from web.live import account_status, account_version, call_extension, lenient_filters

from ..messages import N_, translate
from .common import account_context, login_required, text
from .status_stream import StatusStream

bp = Blueprint("status", __name__, url_prefix="/accounts/<int:account_id>/status")

CALL_ERRORS = {
    "no_extension": N_("No extension is assigned to you: there is no phone to ring first."),
    "phone_not_registered": N_("Your phone is not connected, so it cannot ring. Check that it is on and registered."),
    "target_not_found": N_("This extension does not exist in this account."),
    "same_extension": N_("This is your own extension."),
}


def _state_labels() -> dict[str, str]:
    return {"available": _("Available"), "in_call": _("In call"), "disconnected": _("Disconnected")}


def _back(filters: dict, full: bool) -> dict[str, str]:
    """The page's own query, non-empty parts only: forms and links come back to the same view."""
    query = {"state": filters["state"] or "", "sort": filters["sort"] if filters["sort"] != "number" else "",
             "q": filters["search"], "full": "1" if full else ""}
    return {key: value for key, value in query.items() if value}


def _fragment(account_id: int, live: LiveStatus, back: dict, csrf_value: str) -> dict:
    return {"live": live, "account_id": account_id, "back": back, "csrf_value": csrf_value,
            "state_labels": _state_labels(), "now": utcnow()}


@bp.get("")
@login_required
def page(account_id: int):
    _user, account, _admin = account_context(account_id)
    filters, full = lenient_filters(request.args), request.args.get("full") == "1"
    back = _back(filters, full)
    toggled = {**{k: v for k, v in back.items() if k != "full"}, **({} if full else {"full": "1"})}
    context = _fragment(account.id, account_status(account, **filters), back, generate_csrf())
    return render_template("status/page.html", account=account, filters=filters, full=full,
                           full_url=url_for("status.page", account_id=account.id, **toggled), **context)


@bp.get("/stream")
def stream(account_id: int):
    """text/event-stream of the live fragment (same filters as the page). No login redirect:
    EventSource gives up on an error status instead of retrying a login page forever."""
    account_context(account_id)
    filters, full = lenient_filters(request.args), request.args.get("full") == "1"
    back, csrf_value = _back(filters, full), generate_csrf()

    def version() -> tuple | None:
        try:
            return account_version(account_id)
        finally:
            db.session.close()  # back to the pool until the next poll

    def read() -> LiveStatus | None:
        try:
            account = db.session.get(Account, account_id)
            return None if account is None else account_status(account, **filters)
        finally:
            db.session.close()

    def render(live: LiveStatus) -> str:  # indentation and blank lines are bytes sent for nothing
        html = render_template("status/_live.html", **_fragment(account_id, live, back, csrf_value))
        return "\n".join(line.strip() for line in html.splitlines() if line.strip())

    events = StatusStream(read, render, request.headers.get("Last-Event-ID"), version=version)
    return Response(stream_with_context(iter(events)), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@bp.post("/call")
@login_required
def call(account_id: int):
    """Click-to-call: the user's own phone rings first, then the clicked extension (STAT-3)."""
    user, account, _admin = account_context(account_id)
    target = text(request.form, "target")
    view = _back(lenient_filters(request.form), request.form.get("full") == "1")  # the page clicked from
    back = url_for("status.page", account_id=account.id, **view)
    try:
        placed, result = call_extension(user, account, target)
    except PbxError as exc:
        flash(_(CALL_ERRORS[exc.error_id]) if exc.error_id in CALL_ERRORS else translate(exc.message), "error")
        return redirect(back)
    if result.ok:
        flash(_("Your phone (extension %(own)s) will ring: pick it up to call %(target)s.",
                own=placed.from_extension, target=placed.destination), "success")
    else:
        reason = result.body.removeprefix("-ERR").strip() or "?"
        flash(_("The call could not be placed (FreeSWITCH: %(reason)s).", reason=reason), "error")
    return redirect(back)
