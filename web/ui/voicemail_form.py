"""The mailbox form (guide 3.1 "Ajouter une boîte vocale", 3.2 "Modifier la boîte vocale"):
form fields → schema input, stored box → form values, and the key 0 / * choices.

Every typed value goes to the schema as typed, so a blank or non-numeric limit is a per-field
error rather than a silent default; only the optional password at creation may be left blank
(the core then picks 6 random digits).
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from fs_service import voicemail
from fs_service.extensions import rules as extensions
from fs_service.models import Account, Mailbox, Treatment
from fs_service.numbers import menus, treatments

from .common import text

ADMIN_FIELDS = ("name", "pin", "max_message_seconds", "max_messages", "email", "email_only",
                "key0_treatment_id", "star_treatment_id")
KEY_FIELDS = ("key0_treatment_id", "star_treatment_id")


def mailbox_payload(form: MultiDict, fields: tuple[str, ...], creating: bool = False) -> dict[str, Any]:
    """Schema input for ``fields``: checkbox → bool, empty email / treatment → None (default)."""
    payload: dict[str, Any] = {}
    for name in fields:
        if name == "email_only":
            payload[name] = name in form
        elif name in ("email", *KEY_FIELDS) or (creating and name == "pin"):
            payload[name] = text(form, name) or None
        else:
            payload[name] = text(form, name)
    if creating:
        payload["number"] = text(form, "number")
        payload["extension_id"] = text(form, "extension_id") or None
    return payload


def posted_fields(form: MultiDict) -> set[str]:
    """The mailbox fields present in a posted form (a checkbox left unticked is not posted)."""
    return {name for name in (*ADMIN_FIELDS, "number", "extension_id") if name in form}


def retyped(form: MultiDict, payload: dict[str, Any]) -> dict[str, Any]:
    """What to show again after a refused save: what was typed, checkboxes included."""
    return {**payload, **form.to_dict(), "email_only": payload.get("email_only", False)}


def stored_values(box: Mailbox) -> dict[str, Any]:
    return {name: getattr(box, name) for name in ADMIN_FIELDS}


def new_box_values(extension_id: str | None, number: str) -> dict[str, Any]:
    """The guide's defaults: 180 s per message, 100 messages."""
    return {"number": number, "extension_id": extension_id, "name": "", "email_only": False,
            "max_message_seconds": voicemail.DEFAULT_MAX_SECONDS, "max_messages": voicemail.DEFAULT_MAX_MESSAGES}


def key_options(account: Account) -> dict[str, list[tuple[str, str]]]:
    """Choices for keys 0 and *: the default (reception / voicemail access), then the account's
    call treatments. With no treatment defined, the default is the only choice."""
    rows = treatments.list_treatments(account)
    label = _treatment_labeller(account) if rows else None
    others = [(str(row.id), label(row)) for row in rows] if label else []
    return {"key0_treatment_id": [("", _("Default: the reception"))] + others,
            "star_treatment_id": [("", _("Default: voicemail access"))] + others}


def _treatment_labeller(account: Account):
    ext = {e.id: e.number for e in extensions.list_extensions(account)}
    boxes = {u.mailbox.id: u.mailbox.number for u in voicemail.list_mailboxes(account)}
    menu_names = {m.id: m.name for m in menus.list_menus(account)}

    def label(row: Treatment) -> str:
        if row.kind == "extension":
            return _("Extension %(number)s", number=ext.get(row.extension_id, "?"))
        if row.kind == "mailbox":
            return _("Mailbox %(number)s", number=boxes.get(row.mailbox_id, "?"))
        if row.kind == "menu":
            return _("Welcome menu %(name)s", name=menu_names.get(row.menu_id, "?"))
        return {"voicemail_login": _("Voicemail access"), "message": _("Recorded message"),
                "conference": _("Conference entry"), "hangup": _("Hang up")}.get(row.kind, row.kind)
    return label
