"""Welcome menus (the guide's "sacbienvue", 1.2): greeting, keys 0–9, dial-by-extension.

A menu is used through a treatment of kind ``menu`` (a number's open behaviour, typically).
During the greeting the caller may press a key (its treatment), type any extension number of
the account (when dial-by-extension is on), 8500 for voicemail login or 8400 to record the
number's closure message. After ``repeat_count`` timeouts or invalid entries the call goes to
the menu's timeout treatment (or is hung up). FreeSWITCH runs it live: see callplan/ivr_menu.py.
The greeting is a sound path, usually a WAV uploaded through the UI or API (sound_uploads.py).
"""
from __future__ import annotations

from typing import Mapping

import sqlalchemy as sa

from .. import call_versions
from ..access import owned
from ..db import db
from ..errors import NotFound, ValidationFailed
from ..models import Account, Treatment, WelcomeMenu, WelcomeMenuKey
from ..models.numbers import LANGUAGES
from ..sound_files import sound_problem
from . import sound_uploads
from .treatments import owned_treatment_id

FIELDS = ("name", "language", "greeting_path", "timeout_seconds", "repeat_count", "dial_by_extension",
          "timeout_treatment_id")
DIGITS = tuple("0123456789")
TIMEOUT_RANGE = (1, 30)
REPEAT_RANGE = (1, 10)


def get_menu(account: Account, menu_id: int) -> WelcomeMenu:
    return owned(account, WelcomeMenu, menu_id, "menu not found")


def list_menus(account: Account) -> list[WelcomeMenu]:
    return list(db.session.scalars(sa.select(WelcomeMenu).where(WelcomeMenu.account_id == account.id)
                                   .order_by(WelcomeMenu.name)))


def _in_range(field: str, value, bounds: tuple[int, int]) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not bounds[0] <= value <= bounds[1]:
        raise ValidationFailed.field(field, f"must be a whole number from {bounds[0]} to {bounds[1]}")
    return value


def _replays_itself(account: Account, treatment_id: int | None, menu_id: int | None) -> bool:
    """A timeout treatment that is this very menu would replay it forever to a silent caller."""
    treatment = db.session.get(Treatment, treatment_id) if treatment_id is not None else None
    return menu_id is not None and treatment is not None and treatment.kind == "menu" and treatment.menu_id == menu_id


def _check(account: Account, values: dict, own_id: int | None) -> dict:
    name = (values.get("name") or "").strip()
    if not name or len(name) > 80:
        raise ValidationFailed.field("name", "required, at most 80 characters")
    if values.get("language") not in LANGUAGES:
        raise ValidationFailed.field("language", "must be one of: " + ", ".join(LANGUAGES))
    greeting = values.get("greeting_path")
    if greeting is not None and (problem := sound_problem(account.sip_domain, greeting)):
        raise ValidationFailed.field("greeting_path", problem)
    timeout_treatment = owned_treatment_id(account, values.get("timeout_treatment_id"), "timeout_treatment_id")
    if _replays_itself(account, timeout_treatment, own_id):
        raise ValidationFailed.field("timeout_treatment_id", "cannot be this same menu")
    return dict(name=name, language=values["language"], greeting_path=greeting,
                timeout_seconds=_in_range("timeout_seconds", values.get("timeout_seconds"), TIMEOUT_RANGE),
                repeat_count=_in_range("repeat_count", values.get("repeat_count"), REPEAT_RANGE),
                dial_by_extension=bool(values.get("dial_by_extension")), timeout_treatment_id=timeout_treatment)


def create_menu(account: Account, *, name: str, language: str | None = None, greeting_path: str | None = None,
                timeout_seconds: int = 5, repeat_count: int = 3, dial_by_extension: bool = True,
                timeout_treatment_id: int | None = None) -> WelcomeMenu:
    values = dict(name=name, language=language or account.language, greeting_path=greeting_path,
                  timeout_seconds=timeout_seconds, repeat_count=repeat_count, dial_by_extension=dial_by_extension,
                  timeout_treatment_id=timeout_treatment_id)
    menu = WelcomeMenu(account_id=account.id, **_check(account, values, None))
    db.session.add(menu)
    call_versions.touch(account.id, routing=True)
    db.session.flush()
    return menu


def update_menu(account: Account, menu: WelcomeMenu, changes: dict) -> WelcomeMenu:
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationFailed.field(sorted(unknown)[0], "this field cannot be changed")
    current = {name: getattr(menu, name) for name in FIELDS}
    checked = _check(account, current | changes, menu.id)
    owner = sound_uploads.menu_owner(menu)
    sound_uploads.release(account, owner, menu.greeting_path, checked["greeting_path"])  # our old file, after commit
    for name, value in checked.items():
        setattr(menu, name, value)
    call_versions.touch(account.id, routing=True)
    return menu


def remove_greeting(account: Account, menu: WelcomeMenu) -> WelcomeMenu:
    """Back to the default greeting; an uploaded file is deleted after the commit."""
    return update_menu(account, menu, {"greeting_path": None})


def delete_menu(account: Account, menu: WelcomeMenu) -> None:
    """Its keys go with it; treatments that ran it now fall back to their default."""
    call_versions.touch(account.id, routing=True)
    sound_uploads.release(account, sound_uploads.menu_owner(menu), menu.greeting_path)
    db.session.delete(menu)


def menu_keys(menu: WelcomeMenu) -> dict[str, int]:
    rows = db.session.execute(sa.select(WelcomeMenuKey.digit, WelcomeMenuKey.treatment_id)
                              .where(WelcomeMenuKey.menu_id == menu.id))
    return {digit: treatment_id for digit, treatment_id in sorted(rows)}


def set_menu_keys(account: Account, menu: WelcomeMenu, keys: Mapping[str, int | None]) -> dict[str, int]:
    """Replace the menu's keys: digit "0".."9" → treatment id (None or absent: no key)."""
    if menu.account_id != account.id:
        raise NotFound("menu not found")
    clean: dict[str, int] = {}
    for digit, treatment_id in keys.items():
        if digit not in DIGITS:
            raise ValidationFailed.field("keys", f"{digit!r} is not a key: use 0 to 9")
        if treatment_id is not None:
            clean[digit] = owned_treatment_id(account, treatment_id, f"keys.{digit}")
    db.session.execute(sa.delete(WelcomeMenuKey).where(WelcomeMenuKey.menu_id == menu.id))
    db.session.add_all(WelcomeMenuKey(menu_id=menu.id, digit=d, treatment_id=t) for d, t in clean.items())
    call_versions.touch(account.id, routing=True)
    db.session.flush()
    return menu_keys(menu)


def upload_menu_greeting(account: Account, menu: WelcomeMenu, data: bytes, field: str = "file") -> WelcomeMenu:
    """Store the uploaded WAV as the menu's greeting (the previous file goes after the commit)."""
    if menu.account_id != account.id:
        raise NotFound("menu not found")
    path = sound_uploads.store_upload(account, sound_uploads.menu_owner(menu), "greeting", data, field)
    return update_menu(account, menu, {"greeting_path": path})
