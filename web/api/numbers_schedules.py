"""Weekly hours (HRS-1) and exceptions (HRS-2) of a number. The week is saved whole, as the
UI's editor does: a weekday with no range is closed all day; several ranges make a lunch
closure; overlapping ranges are refused. Admin-only; other tenants 404."""
from __future__ import annotations

from fs_service.models import ScheduleException
from fs_service.numbers import rules as numbers, schedules as core
from schema.schedules import ExceptionCreateSchema, ExceptionSchema, ExceptionUpdateSchema, WeekSchema

from .base import PREFIX, ApiBlueprint, commit, scoped

bp = ApiBlueprint("api_schedules", __name__, url_prefix=f"{PREFIX}/accounts/<int:account_id>/numbers/<int:number_id>",
                  description="Business hours and exceptions of a number")
ONE = "/exceptions/<int:exception_id>"


def _number(account_id: int, number_id: int):
    _, account = scoped(account_id, admin=True)
    return account, numbers.get_number(account, number_id)


def _exception(account, number, exception_id: int) -> ScheduleException:
    exc = core.get_exception(account, exception_id)
    if exc.number_id != number.id:
        return core.get_exception(account, -1)  # 404: another number's
    return exc


@bp.route("/schedule", methods=["GET"])
@bp.response(200, WeekSchema)
def get_week(account_id: int, number_id: int) -> dict:
    account, number = _number(account_id, number_id)
    return {"ranges": core.week(account, number)}


@bp.route("/schedule", methods=["PUT"])
@bp.arguments(WeekSchema)
@bp.response(200, WeekSchema)
def set_week(data: dict, account_id: int, number_id: int) -> dict:
    """``weekday`` 0 = Monday; ``closes_at`` 00:00 = midnight; before ``opens_at`` = past midnight."""
    account, number = _number(account_id, number_id)
    ranges = core.set_week(account, number, data["ranges"])
    commit()
    return {"ranges": ranges}


@bp.route("/exceptions", methods=["GET"])
@bp.response(200, ExceptionSchema(many=True))
def list_exceptions(account_id: int, number_id: int) -> list[ScheduleException]:
    account, number = _number(account_id, number_id)
    return core.list_exceptions(account, number)


@bp.route("/exceptions", methods=["POST"])
@bp.arguments(ExceptionCreateSchema)
@bp.response(201, ExceptionSchema)
def create_exception(data: dict, account_id: int, number_id: int) -> ScheduleException:
    """``end_date`` null: one day. ``kind`` all_day or between (``closed_from``/``closed_until``).
    ``treatment_id`` null: the number's default closed behaviour (closure message first)."""
    account, number = _number(account_id, number_id)
    exc = core.create_exception(account, number, **data)
    commit()
    return exc


@bp.route(ONE, methods=["GET"])
@bp.response(200, ExceptionSchema)
def get_exception(account_id: int, number_id: int, exception_id: int) -> ScheduleException:
    account, number = _number(account_id, number_id)
    return _exception(account, number, exception_id)


@bp.route(ONE, methods=["PATCH"])
@bp.arguments(ExceptionUpdateSchema)
@bp.response(200, ExceptionSchema)
def update_exception(changes: dict, account_id: int, number_id: int, exception_id: int) -> ScheduleException:
    account, number = _number(account_id, number_id)
    exc = core.update_exception(account, _exception(account, number, exception_id), changes)
    commit()
    return exc


@bp.route(ONE, methods=["DELETE"])
@bp.response(204)
def delete_exception(account_id: int, number_id: int, exception_id: int) -> None:
    account, number = _number(account_id, number_id)
    core.delete_exception(account, _exception(account, number, exception_id))
    commit()
