"""8400 from a phone of the account: record a number's exceptional closure message (HRS-4).

The recording service (the outbound-socket IVR engine) asks for the number's access code and
password, records, and calls fs_service.numbers.rules.record_closure_message. The same service is
reached from a number's welcome menu (8400 during the greeting), then for that number only.
"""
from __future__ import annotations

from ..calls import stages
from ..calls.model import AccountDirectory, AccountRouting, CallRequest
from ..calls.steps import Plan, RecordClosure
from ..numbering import CLOSURE_RECORDING
from .internal import caller_extension_number


def plan_closure_recording(req: CallRequest, routing: AccountRouting, directory: AccountDirectory) -> Plan | None:
    """The plan for 8400 dialed by an authenticated extension; None leaves the call to the
    internal planner (which refuses strangers the usual way)."""
    if req.destination != CLOSURE_RECORDING or req.var(stages.VARIABLE):
        return None
    if req.var("domain_name").lower() != routing.domain or directory.extension(caller_extension_number(req)) is None:
        return None
    return Plan.of(RecordClosure(routing.domain), reason="closure message recording")
