"""Welcome menus of an account (guide 1.2): greeting, language, timeout, repeats,
dial-by-extension, and keys 0–9 → treatment (``/keys``, replaced whole), the greeting as an
uploaded WAV file (``/greeting``: upload, listen, delete). Admin-only; other tenants 404. A menu
plays when a treatment of kind ``menu`` points at it."""
from __future__ import annotations

from flask import Response

from fs_service.models import WelcomeMenu
from fs_service.numbers import menus as core, sound_uploads
from schema.menus import MenuCreateSchema, MenuKeysSchema, MenuSchema, MenuUpdateSchema
from schema.sound_uploads import SoundUploadSchema
from web.sound_access import AUDIO_DOC, sound_response

from .base import PREFIX, ApiBlueprint, commit, scoped

bp = ApiBlueprint("api_menus", __name__, url_prefix=f"{PREFIX}/accounts/<int:account_id>/menus",
                  description="Welcome menus: greeting, keys 0-9, dial-by-extension")
ONE = "/<int:menu_id>"


def _menu(account_id: int, menu_id: int):
    _, account = scoped(account_id, admin=True)
    return account, core.get_menu(account, menu_id)


@bp.route("", methods=["GET"])
@bp.response(200, MenuSchema(many=True))
def list_menus(account_id: int) -> list[WelcomeMenu]:
    _, account = scoped(account_id, admin=True)
    return core.list_menus(account)


@bp.route("", methods=["POST"])
@bp.arguments(MenuCreateSchema)
@bp.response(201, MenuSchema)
def create_menu(data: dict, account_id: int) -> WelcomeMenu:
    """``language`` null: the account's; ``greeting_path`` null: the default greeting;
    ``timeout_treatment_id`` null: hang up after ``repeat_count`` tries."""
    _, account = scoped(account_id, admin=True)
    menu = core.create_menu(account, **data)
    commit()
    return menu


@bp.route(ONE, methods=["GET"])
@bp.response(200, MenuSchema)
def get_menu(account_id: int, menu_id: int) -> WelcomeMenu:
    return _menu(account_id, menu_id)[1]


@bp.route(ONE, methods=["PATCH"])
@bp.arguments(MenuUpdateSchema)
@bp.response(200, MenuSchema)
def update_menu(changes: dict, account_id: int, menu_id: int) -> WelcomeMenu:
    account, menu = _menu(account_id, menu_id)
    core.update_menu(account, menu, changes)
    commit()
    return menu


@bp.route(ONE, methods=["DELETE"])
@bp.response(204)
def delete_menu(account_id: int, menu_id: int) -> None:
    account, menu = _menu(account_id, menu_id)
    core.delete_menu(account, menu)
    commit()


@bp.route(f"{ONE}/keys", methods=["GET"])
@bp.response(200, MenuKeysSchema)
def get_keys(account_id: int, menu_id: int) -> dict:
    return {"keys": core.menu_keys(_menu(account_id, menu_id)[1])}


@bp.route(f"{ONE}/keys", methods=["PUT"])
@bp.arguments(MenuKeysSchema)
@bp.response(200, MenuKeysSchema)
def set_keys(data: dict, account_id: int, menu_id: int) -> dict:
    """Every key of the menu: ``{"keys": {"1": 12, "2": null}}``; absent or null: no key."""
    account, menu = _menu(account_id, menu_id)
    keys = core.set_menu_keys(account, menu, data["keys"])
    commit()
    return {"keys": keys}


@bp.route(f"{ONE}/greeting", methods=["PUT"])
@bp.arguments(SoundUploadSchema, location="files")
@bp.response(200, MenuSchema)
def upload_greeting(data: dict, account_id: int, menu_id: int) -> WelcomeMenu:
    """Upload the greeting as multipart part ``file``: a WAV file (checked by content: RIFF/WAVE
    PCM at 8 or 16 kHz; stereo and 8-bit are converted to 16-bit mono). Live on the next call;
    the previous uploaded file is deleted. 400 ``invalid_audio`` naming ``file`` otherwise."""
    account, menu = _menu(account_id, menu_id)
    core.upload_menu_greeting(account, menu, data["data"])
    commit()
    return menu


@bp.route(f"{ONE}/greeting", methods=["GET"])
@bp.doc(responses=AUDIO_DOC)
def greeting_audio(account_id: int, menu_id: int) -> Response:
    """The uploaded greeting for a player; 404 when there is none or it is a shared sound path."""
    account, menu = _menu(account_id, menu_id)
    return sound_response(account, sound_uploads.menu_owner(menu), menu.greeting_path, f"menu-{menu.id}-greeting")


@bp.route(f"{ONE}/greeting", methods=["DELETE"])
@bp.response(204)
def delete_greeting(account_id: int, menu_id: int) -> None:
    """Back to the default greeting; an uploaded file is deleted."""
    account, menu = _menu(account_id, menu_id)
    core.remove_greeting(account, menu)
    commit()
