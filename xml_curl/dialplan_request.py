"""Dialplan section: FreeSWITCH's channel data in, the core's plan rendered out."""
from __future__ import annotations

import logging

from fs_service.callplan import plan_call
from fs_service.callplan.model import CallRequest

from .dialplan import RenderOptions, render
from .documents import NOT_FOUND
from .request import FsRequest

log = logging.getLogger("pbx.dialplan")
_PREFIX = "variable_"


def call_request(req: FsRequest) -> CallRequest:
    """Only what the planner uses: context, destination, caller ID, uuid and channel variables."""
    variables = {k[len(_PREFIX):]: v for k, v in req.params.items() if k.startswith(_PREFIX)}
    # FreeSWITCH's own reading of the caller's privacy (Privacy: id, RPID privacy=full…).
    variables["pbx_privacy_hide_number"] = req.get("Caller-Privacy-Hide-Number", "false")
    return CallRequest(context=req.get("Caller-Context") or req.get("Hunt-Context"),
                       destination=req.get("Caller-Destination-Number") or req.get("Hunt-Destination-Number"),
                       caller_number=req.get("Caller-Caller-ID-Number"),
                       caller_name=req.get("Caller-Caller-ID-Name"), uuid=req.get("Unique-ID"),
                       variables=variables)


def handle(req: FsRequest, *, voicemail_socket: str) -> tuple[bytes, str]:
    call = call_request(req)
    if not call.context or not call.destination:
        return NOT_FOUND, "no-destination"
    plan = plan_call(call)
    if plan is None:
        return NOT_FOUND, "unknown-context"
    log.info("call planned uuid=%s context=%s destination=%s reason=%r", call.uuid, call.context,
             call.destination, plan.reason)
    return render(plan, call.context, RenderOptions(voicemail_socket)), plan.reason or "planned"
