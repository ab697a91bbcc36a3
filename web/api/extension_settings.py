"""Extension settings (EXT-3, EXT-4) and quick edit of many extensions (EXT-5).

A user reads and changes the EXT-3 settings of their own extensions; the EXT-4 fields are
absent from what they read and a 403 when they send them. A colleague's or another tenant's
extension is 404. The bulk PATCH is for admins and is all or nothing: a refused cell is a 400
whose ``details`` are keyed ``"<extension id>.<field>"``, and nothing is stored.
"""
from __future__ import annotations

from fs_service.access import extension_for, is_admin_of
from fs_service.extensions import settings as core
from schema.extension_settings import AdminSettingsSchema, QuickEditResultSchema, QuickEditSchema

from .base import PREFIX, ApiBlueprint, commit, scoped, settings

bp = ApiBlueprint("api_extension_settings", __name__, url_prefix=f"{PREFIX}/accounts/<int:account_id>/extensions",
                  description="Extension settings and quick edit")
SETTINGS = "/<int:extension_id>/settings"


def _save(changes: dict, account_id: int, extension_id: int, *, replace: bool) -> dict:
    user, account = scoped(account_id)
    ext = extension_for(user, account, extension_id)
    admin = is_admin_of(user, account)
    warnings = core.update_settings(account, ext, changes, as_admin=admin, replace=replace,
                                    moh_choices=settings().music_on_hold_choices)
    commit()
    return {**core.read_settings(ext, as_admin=admin), "warnings": warnings}


@bp.route(SETTINGS, methods=["GET"])
@bp.response(200, AdminSettingsSchema)
def get_settings(account_id: int, extension_id: int) -> dict:
    """Admins get every setting; a user gets the EXT-3 ones of their own extension."""
    user, account = scoped(account_id)
    ext = extension_for(user, account, extension_id)
    return core.read_settings(ext, as_admin=is_admin_of(user, account))


@bp.route(SETTINGS, methods=["PUT"])
@bp.arguments(AdminSettingsSchema)
@bp.response(200, AdminSettingsSchema)
def replace_settings(changes: dict, account_id: int, extension_id: int) -> dict:
    """Every setting the caller may change is required (users: EXT-3; admins: EXT-3 + EXT-4)."""
    return _save(changes, account_id, extension_id, replace=True)


@bp.route(SETTINGS, methods=["PATCH"])
@bp.arguments(AdminSettingsSchema)
@bp.response(200, AdminSettingsSchema)
def update_settings(changes: dict, account_id: int, extension_id: int) -> dict:
    """Only the settings sent change. ``warnings`` lists stored settings that may surprise."""
    return _save(changes, account_id, extension_id, replace=False)


@bp.route("", methods=["PATCH"])
@bp.arguments(QuickEditSchema)
@bp.response(200, QuickEditResultSchema)
def quick_edit(rows: dict, account_id: int) -> dict:
    """Admins: change many extensions in one transaction; one bad cell stores nothing."""
    _, account = scoped(account_id, admin=True)
    warnings = core.quick_edit(account, rows, as_admin=True, moh_choices=settings().music_on_hold_choices)
    commit()
    saved = core.extensions_by_id(account, list(rows))
    return {"extensions": [core.read_settings(ext, as_admin=True) for ext in saved],
            "warnings": {str(ext_id): found for ext_id, found in warnings.items() if found}}
