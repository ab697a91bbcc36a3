"""Live status of an account and click-to-call (STAT-1..3, PARK-2).

Users and admins of the account may read the status and place calls from their own extension;
another tenant's account is 404. A call is accepted (202) once FreeSWITCH accepted the job: the
user's phone then rings and, once answered, the target is called.
"""
from __future__ import annotations

from fs_service.errors import PbxError
from fs_service.status.queries import LiveStatus
from schema.status import CallCreateSchema, CallPlacedSchema, LiveStatusSchema, StatusQuerySchema
from web.live import account_status, call_extension

from .base import PREFIX, ApiBlueprint, scoped

bp = ApiBlueprint("api_status", __name__, url_prefix=f"{PREFIX}/accounts/<int:account_id>",
                  description="Live extension status, parked calls and click-to-call")


class CallNotPlaced(PbxError):
    """FreeSWITCH is unreachable or refused the originate (its cause is in the message)."""
    status = 503
    error_id = "call_not_placed"


@bp.route("/status", methods=["GET"])
@bp.arguments(StatusQuerySchema, location="query")
@bp.response(200, LiveStatusSchema)
def get_status(query: dict, account_id: int) -> LiveStatus:
    """Every extension's state (filter ``state``, ``q`` on number or name, ``sort`` number or
    name), the parked calls by slot and whether each FreeSWITCH node is reachable."""
    _, account = scoped(account_id)
    return account_status(account, state=query["state"], search=query["q"], sort=query["sort"])


@bp.route("/calls", methods=["POST"])
@bp.arguments(CallCreateSchema)
@bp.response(202, CallPlacedSchema)
def place_call(data: dict, account_id: int) -> dict:
    """Click-to-call: ring the caller's own phone, then ``target``. 400 no_extension /
    same_extension, 404 target_not_found, 409 phone_not_registered, 503 call_not_placed."""
    user, account = scoped(account_id)
    placed, result = call_extension(user, account, data["target"])
    if not result.ok:
        raise CallNotPlaced(f"the call could not be placed: {result.body.removeprefix('-ERR').strip()}")
    return {"job_id": result.job_id, "from_extension": placed.from_extension,
            "destination": placed.destination, "ring_seconds": placed.ring_seconds}
