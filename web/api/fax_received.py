"""Received faxes over the API (FAX-7): the inbox, one fax, its PDF and its first-page preview;
and the fax settings (FAX-1, 6, 7): fax numbers with their email options, users' fax right.

The inbox is the account's: admins and users with the fax right. Settings are the admins';
``is_fax`` and ``fax_confirmation_email`` are the operator's (fs_service.fax.rights).
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import Response

from fs_service.db import db
from fs_service.errors import NotFound
from fs_service.fax import inbound, rights
from fs_service.models import PhoneNumber, ReceivedFax, User
from schema.fax import FaxNumberSchema, FaxNumberUpdateSchema, FaxRightSchema, FaxUserSchema, ReceivedFaxSchema
from web.ui.fax_common import file_response, require_inbox, stored_pdf, thumbnail_response

from .base import PREFIX, ApiBlueprint, actor, commit, scoped

bp = ApiBlueprint("api_fax_received", __name__, url_prefix=f"{PREFIX}/accounts/<int:account_id>/fax",
                  description="Faxes: received faxes, fax numbers and fax rights")
ONE = "/received/<int:received_id>"
# OpenAPI 3.0.3 requires a description on every response, binary ones included.
PDF = {200: {"description": "The received pages as PDF",
             "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}
PNG = {200: {"description": "The first page as a PNG preview",
             "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}}}


def _inbox(account_id: int):
    user, account = scoped(account_id)
    require_inbox(user, account)
    return account


@bp.route("/received", methods=["GET"])
@bp.response(200, ReceivedFaxSchema(many=True))
def list_received(account_id: int) -> list[ReceivedFax]:
    """Newest first; ``ready`` once the PDF is stored."""
    return inbound.list_received(_inbox(account_id))


@bp.route(ONE, methods=["GET"])
@bp.response(200, ReceivedFaxSchema)
def get_received(account_id: int, received_id: int) -> ReceivedFax:
    return inbound.get_received(_inbox(account_id), received_id)


@bp.route(f"{ONE}/pdf", methods=["GET"])
@bp.doc(responses=PDF)
def received_pdf(account_id: int, received_id: int) -> Response:
    fax = inbound.get_received(_inbox(account_id), received_id)
    return file_response(stored_pdf(fax), f"fax-{fax.id}.pdf", "application/pdf")


@bp.route(f"{ONE}/thumbnail", methods=["GET"])
@bp.doc(responses=PNG)
def received_thumbnail(account_id: int, received_id: int) -> Response:
    fax = inbound.get_received(_inbox(account_id), received_id)
    return thumbnail_response(stored_pdf(fax), f"fax-{fax.id}.png")


@bp.route("/numbers", methods=["GET"])
@bp.response(200, FaxNumberSchema(many=True))
def list_numbers(account_id: int) -> list[PhoneNumber]:
    """Every number of the account with its fax settings."""
    _, account = scoped(account_id, admin=True)
    return rights.account_numbers(account)


@bp.route("/numbers/<int:number_id>", methods=["PATCH"])
@bp.arguments(FaxNumberUpdateSchema)
@bp.response(200, FaxNumberSchema)
def update_number(changes: dict, account_id: int, number_id: int) -> PhoneNumber:
    """Admins: ``fax_inbound_emails`` (up to 10, comma-separated); the operator also ``is_fax``
    and ``fax_confirmation_email`` (403 for an admin)."""
    _, account = scoped(account_id, admin=True)
    number = db.session.get(PhoneNumber, number_id)
    if number is None or number.account_id != account.id:
        raise NotFound("number not found")
    rights.update_fax_number(actor(), account, number, changes)
    commit()
    return number


@bp.route("/users", methods=["GET"])
@bp.response(200, FaxUserSchema(many=True))
def list_users(account_id: int) -> list[User]:
    _, account = scoped(account_id, admin=True)
    return list(db.session.scalars(sa.select(User).where(User.account_id == account.id).order_by(User.email)))


@bp.route("/users/<int:user_id>", methods=["PUT"])
@bp.arguments(FaxRightSchema)
@bp.response(200, FaxUserSchema)
def set_right(data: dict, account_id: int, user_id: int) -> User:
    """Grant (``true``) or withdraw (``false``) one user's fax right."""
    user, account = scoped(account_id, admin=True)
    person = rights.set_fax_right(user, account, user_id, data["can_fax"])
    commit()
    return person
