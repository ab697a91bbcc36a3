"""The call planner: a dialplan request in, a :class:`Plan` (data) out (DESIGN "flow 2")."""
from __future__ import annotations

from .context import DbDirectory, account_by_domain, routing_for
from .internal import plan_internal
from .model import CallRequest
from .steps import Plan


def plan_call(req: CallRequest) -> Plan | None:
    """The plan for this call, or None when the context is not ours (FreeSWITCH "not found")."""
    account = account_by_domain(req.context)
    if account is None:
        return None
    return plan_internal(req, routing_for(account), DbDirectory(account))
