"""Desk phones of an account (DEV-1, DEV-3, DEV-4, BOOK-4): add by MAC, settings, line keys,
the display list (contacts, books, favourites), copying it, reboot.

Admins manage every phone; a user may read, set the display list of, and reboot a phone that
carries one of their extensions (others are 404). Only admins see the provisioning URL (it
holds the phone's secret) and change phones themselves.
"""
from __future__ import annotations

from dataclasses import asdict

from fs_service.access import is_admin_of
from fs_service.models import Account, Device, User
from fs_service.phones import display, queries, reboot, rules
from fs_service.phones.models import model_of
from schema.phones import (CopiedSchema, CopyDisplaySchema, DisplaySchema, LineSchema, PhoneCreateSchema, PhoneSchema,
                           PhoneUpdateSchema, RebootSchema)
from web.provisioning import base_url

from .base import PREFIX, ApiBlueprint, commit, scoped

bp = ApiBlueprint("api_phones", __name__, url_prefix=f"{PREFIX}/accounts/<int:account_id>/phones",
                  description="Desk phones: MAC, model, line keys, display list, provisioning, reboot")
ONE = "/<int:phone_id>"


def _out(user: User, account: Account, device: Device) -> dict:
    model = model_of(device.model)
    out = {"id": device.id, "mac": device.mac, "name": device.name, "model": device.model,
           "model_label": model.label if model else None, "timezone": device.timezone,
           "configure_books": device.configure_books, "reboot_pending": device.reboot_pending,
           "lines": [asdict(line) for line in queries.line_views(device)]}
    if is_admin_of(user, account) and device.secret:
        out["provisioning_url"] = base_url(device.secret) + "/"
    return out


def _phone(account_id: int, phone_id: int, *, admin: bool = False) -> tuple[User, Account, Device]:
    user, account = scoped(account_id, admin=admin)
    return user, account, queries.phone_for(user, account, phone_id)


@bp.route("", methods=["GET"])
@bp.response(200, PhoneSchema(many=True))
def list_phones(account_id: int) -> list[dict]:
    user, account = scoped(account_id)
    return [_out(user, account, device) for device in queries.phones_for(user, account)]


@bp.route("", methods=["POST"])
@bp.arguments(PhoneCreateSchema)
@bp.response(201, PhoneSchema)
def create_phone(data: dict, account_id: int) -> dict:
    """``mac`` as printed (``00:15:65:AA:BB:CC``, dashes, dots or none); unique across all accounts."""
    user, account = scoped(account_id, admin=True)
    device = rules.add_phone(account, **data)
    commit()
    return _out(user, account, device)


@bp.route(ONE, methods=["GET"])
@bp.response(200, PhoneSchema)
def get_phone(account_id: int, phone_id: int) -> dict:
    user, account, device = _phone(account_id, phone_id)
    return _out(user, account, device)


@bp.route(ONE, methods=["PATCH"])
@bp.arguments(PhoneUpdateSchema)
@bp.response(200, PhoneSchema)
def update_phone(changes: dict, account_id: int, phone_id: int) -> dict:
    user, account, device = _phone(account_id, phone_id, admin=True)
    rules.update_phone(device, changes)
    commit()
    return _out(user, account, device)


@bp.route(ONE, methods=["DELETE"])
@bp.response(204)
def delete_phone(account_id: int, phone_id: int) -> None:
    _, _, device = _phone(account_id, phone_id, admin=True)
    rules.delete_phone(device)
    commit()


@bp.route(f"{ONE}/secret", methods=["POST"])
@bp.response(200, PhoneSchema)
def renew_secret(account_id: int, phone_id: int) -> dict:
    """A new provisioning URL; the old one stops working (set the new one on the phone)."""
    user, account, device = _phone(account_id, phone_id, admin=True)
    rules.renew_secret(device)
    commit()
    return _out(user, account, device)


@bp.route(f"{ONE}/lines", methods=["POST"])
@bp.arguments(LineSchema)
@bp.response(201, PhoneSchema)
def assign(data: dict, account_id: int, phone_id: int) -> dict:
    """Put an extension on a line key; the same key twice (or extension twice) is a 400."""
    user, account, device = _phone(account_id, phone_id, admin=True)
    rules.assign(account, device, data["extension_id"], data["line_key"])
    commit()
    return _out(user, account, device)


@bp.route(f"{ONE}/lines/<int:line_id>", methods=["DELETE"])
@bp.response(204)
def unassign(account_id: int, phone_id: int, line_id: int) -> None:
    _, _, device = _phone(account_id, phone_id, admin=True)
    rules.unassign(device, line_id)
    commit()


def _entries(device: Device) -> dict:
    return {"entries": [asdict(entry) for entry in display.entries_of(device)], "configure_books": device.configure_books}


@bp.route(f"{ONE}/display", methods=["GET"])
@bp.response(200, DisplaySchema)
def get_display(account_id: int, phone_id: int) -> dict:
    _, _, device = _phone(account_id, phone_id)
    return _entries(device)


@bp.route(f"{ONE}/display", methods=["PUT"])
@bp.arguments(DisplaySchema)
@bp.response(200, DisplaySchema)
def set_display(data: dict, account_id: int, phone_id: int) -> dict:
    """The whole ordered list. ``kind`` contact / book / extension with ``ref`` (its id), or
    company (no ``ref``); ``favourite`` only on extensions; positions unique. The phone shows
    it after a reboot (``POST …/reboot``)."""
    user, account, device = _phone(account_id, phone_id)
    display.set_display(user, account, device, [display.Entry(**entry) for entry in data["entries"]])
    if "configure_books" in data:
        rules.update_phone(device, {"configure_books": data["configure_books"]})
    commit()
    return _entries(device)


@bp.route(f"{ONE}/display/copy", methods=["POST"])
@bp.arguments(CopyDisplaySchema)
@bp.response(200, CopiedSchema)
def copy_display(data: dict, account_id: int, phone_id: int) -> dict:
    """Give other phones this phone's list (``confirm: true`` required); they show it after a reboot."""
    user, account, device = _phone(account_id, phone_id)
    targets = [queries.phone_for(user, account, target) for target in data["targets"]]
    copied = display.copy_display(device, targets)
    commit()
    return {"copied": copied}


@bp.route(f"{ONE}/reboot", methods=["POST"])
@bp.response(202, RebootSchema)
def reboot_phone(account_id: int, phone_id: int) -> dict:
    """The switch asks the phone's registrations to re-provision (check-sync); a phone in a
    call reboots when the call ends (``rebooted: false``)."""
    _, _, device = _phone(account_id, phone_id)
    rebooted = reboot.request_reboot(device)
    commit()
    return {"rebooted": rebooted}
