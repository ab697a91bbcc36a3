"""The call planner: a dialplan request in, a :class:`Plan` (data) out (DESIGN "flow 2")."""
from __future__ import annotations

from ..calls.context import DbDirectory, account_view_by_domain
from ..calls.model import CallRequest
from ..calls.steps import Plan
from ..numbering import PUBLIC_CONTEXT
from .closure import plan_closure_recording
from .internal import plan_internal
from .public_context import plan_public_call


def plan_call(req: CallRequest) -> Plan | None:
    """The plan for this call, or None when the context is not ours (FreeSWITCH "not found")."""
    if req.context == PUBLIC_CONTEXT:  # from the carrier, on a company number (flow 3)
        return plan_public_call(req)
    view = account_view_by_domain(req.context)
    if view is None:
        return None
    directory = DbDirectory(view)
    return plan_closure_recording(req, view.routing, directory) or plan_internal(req, view.routing, directory)
