"""What the status page, its push stream and the status API share (STAT-1..3, PARK-2): the
account's live view read with this process's settings, and click-to-call.

Click-to-call calls from the actor's own extension (the lowest-numbered one assigned to them);
the core decides and checks (fs_service.status.click_to_call), the switch port places it on the
node where that phone is registered and returns as soon as FreeSWITCH accepted the job.
"""
from __future__ import annotations

from flask import current_app

from fs_service.extensions import rules as extensions
from fs_service.models import Account, User
from fs_service.settings import parse_nodes
from fs_service.status.click_to_call import OriginateRequest, click_to_call
from fs_service.status.queries import SORTS, STATES, LiveStatus, live_status, live_version
from fs_service.switch_commands import CommandResult

from .switch import switch


def node_names() -> list[str]:
    return [node.name for node in parse_nodes(current_app.config["PBX"].freeswitch_nodes, "")]


def account_status(account: Account, state: str | None = None, search: str = "",
                   sort: str = "number") -> LiveStatus:
    settings = current_app.config["PBX"]
    return live_status(account, node_names(), settings.esl_probe_seconds, state=state, search=search,
                       sort=sort)


def account_version(account_id: int) -> tuple | None:
    """Changes whenever the account's live view may have (None: the account is gone): what
    the push stream reads each tick instead of the whole view."""
    return live_version(account_id, node_names(), current_app.config["PBX"].esl_probe_seconds)


def lenient_filters(args) -> dict:
    """The page's query string as filters; an unknown value shows everything rather than an
    error page (the API, stricter, answers 400 naming the field)."""
    state, sort = args.get("state") or None, args.get("sort") or "number"
    return {"state": state if state in STATES else None, "sort": sort if sort in SORTS else "number",
            "search": (args.get("q") or "").strip()[:40]}


def call_extension(user: User, account: Account, target: str) -> tuple[OriginateRequest, CommandResult]:
    """Ring the user's own phone, then ``target``. Raises the core's PbxError (no extension,
    target not found, own extension, phone not registered); FreeSWITCH's refusal or absence is
    the result's ``ok=False``."""
    own = next(iter(extensions.list_extensions(account, user)), None)
    settings = current_app.config["PBX"]
    request = click_to_call(account, own, target, ring_seconds=settings.click_to_call_ring_seconds)
    return request, switch().place_call(request)
