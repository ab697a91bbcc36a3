"""Dialplan section: FreeSWITCH's channel data in, the core's plan rendered out."""
from __future__ import annotations

import logging
from typing import Iterator, Mapping

from fs_service.callplan import plan_call
from fs_service.calls.model import CallRequest

from .dialplan import RenderOptions, render
from .documents import NOT_FOUND
from .request import FsRequest

log = logging.getLogger("pbx.dialplan")
_PREFIX = "variable_"
# Variables the planner reads that FreeSWITCH sends as other fields: name -> (field, default).
# pbx_privacy_hide_number is FreeSWITCH's own reading of the caller's privacy (Privacy: id,
# RPID privacy=full…).
_DERIVED = {"pbx_privacy_hide_number": ("Caller-Privacy-Hide-Number", "false")}


class ChannelVariables(Mapping[str, str]):
    """``variable_*`` fields read by name, decoded only when the planner asks: a request carries
    ~100 of them and a plan reads a handful (decoding them all was most of a fetch's cost)."""

    def __init__(self, params: Mapping[str, str]) -> None:
        self._params = params

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def get(self, name: str, default=None):  # no KeyError round trip: most lookups miss
        derived = _DERIVED.get(name)
        if derived is not None:
            return self._params.get(derived[0], derived[1])
        return self._params.get(_PREFIX + name, default)

    def __iter__(self) -> Iterator[str]:
        yield from _DERIVED
        yield from (k[len(_PREFIX):] for k in self._params if k.startswith(_PREFIX))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:  # `variables or {}` must not count them
        return True


def call_request(req: FsRequest) -> CallRequest:
    """Only what the planner uses: context, destination, caller ID, uuid and channel variables."""
    variables = ChannelVariables(req.params)
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
    # Refusals at INFO (what support is asked about); every other decision at DEBUG: a switch
    # plans hundreds of calls a second, and a line each cost ~10 % of the fetch rate (the WSGI
    # server writes no access line either). FreeSWITCH logs the actions it runs.
    level = logging.INFO if plan.refused else logging.DEBUG
    if log.isEnabledFor(level):
        log.log(level, "call planned uuid=%s context=%s destination=%s reason=%r", call.uuid, call.context,
                call.destination, plan.reason)
    return render(plan, call.context, RenderOptions(voicemail_socket)), plan.reason or "planned"
