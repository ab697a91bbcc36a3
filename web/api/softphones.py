"""Softphones of an extension (DEV-2): each one its own SIP account, so one can be revoked
without touching the desk phone. Open to admins and to the extension's own user."""
from __future__ import annotations

from fs_service.access import extension_for
from fs_service.extensions import rules as core
from fs_service.models import Account, Extension, Softphone
from schema.extensions import SoftphoneSchema, SoftphoneUpdateSchema

from .base import PREFIX, ApiBlueprint, commit, scoped, settings

bp = ApiBlueprint("api_softphones", __name__,
                  url_prefix=f"{PREFIX}/accounts/<int:account_id>/extensions/<int:extension_id>/softphones",
                  description="Softphone SIP accounts of an extension")
ONE = "/<int:softphone_id>"


def _extension(account_id: int, extension_id: int) -> tuple[Account, Extension]:
    user, account = scoped(account_id)
    return account, extension_for(user, account, extension_id)


def _softphone(account_id: int, extension_id: int, softphone_id: int) -> tuple[Account, Softphone]:
    account, ext = _extension(account_id, extension_id)
    return account, core.get_softphone(account, ext, softphone_id)


def _out(account: Account, phone: Softphone) -> dict:
    """The softphone with everything a client needs to register."""
    return {"id": phone.id, "extension_id": phone.extension_id, "label": phone.label,
            "sip_username": phone.sip_username, "sip_password": phone.sip_password,
            "sip_domain": account.sip_domain, "sip_server": settings().resolved_sip_server}


@bp.route("", methods=["GET"])
@bp.response(200, SoftphoneSchema(many=True))
def list_softphones(account_id: int, extension_id: int) -> list[dict]:
    account, ext = _extension(account_id, extension_id)
    return [_out(account, phone) for phone in ext.softphones]


@bp.route("", methods=["POST"])
@bp.arguments(SoftphoneSchema, required=False)
@bp.response(201, SoftphoneSchema)
def create_softphone(data: dict, account_id: int, extension_id: int) -> dict:
    account, ext = _extension(account_id, extension_id)
    phone = core.create_softphone(account, ext, data["label"])
    commit()
    return _out(account, phone)


@bp.route(ONE, methods=["GET"])
@bp.response(200, SoftphoneSchema)
def get_softphone(account_id: int, extension_id: int, softphone_id: int) -> dict:
    return _out(*_softphone(account_id, extension_id, softphone_id))


@bp.route(ONE, methods=["PATCH"])
@bp.arguments(SoftphoneUpdateSchema)
@bp.response(200, SoftphoneSchema)
def update_softphone(data: dict, account_id: int, extension_id: int, softphone_id: int) -> dict:
    account, phone = _softphone(account_id, extension_id, softphone_id)
    core.update_softphone(account, phone, data["label"])
    commit()
    return _out(account, phone)


@bp.route(ONE, methods=["DELETE"])
@bp.response(204)
def delete_softphone(account_id: int, extension_id: int, softphone_id: int) -> None:
    account, phone = _softphone(account_id, extension_id, softphone_id)
    core.delete_softphone(account, phone)
    commit()


@bp.route(f"{ONE}/password", methods=["POST"])
@bp.response(200, SoftphoneSchema)
def regenerate_password(account_id: int, extension_id: int, softphone_id: int) -> dict:
    """A new password for this softphone only; the extension's other devices keep theirs."""
    account, phone = _softphone(account_id, extension_id, softphone_id)
    core.regenerate_softphone_password(account, phone)
    commit()
    return _out(account, phone)
