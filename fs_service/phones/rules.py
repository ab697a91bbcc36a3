"""Phones of an account: add by MAC, settings (name, model, time zone), line keys, delete.

A MAC is accepted as printed on the box or typed by hand (``00:15:65:AA:BB:CC``,
``00-15-65-aa-bb-cc``, ``0015.65aa.bbcc``, ``001565aabbcc``) and stored as 12 lowercase hex
digits: the form phones use in their file names. It is unique across all accounts (a phone
fetches its configuration by MAC alone, so two owners would be ambiguous); the refusal does
not say which account holds it.
"""
from __future__ import annotations

import re
import secrets
from zoneinfo import available_timezones

import sqlalchemy as sa

from ..access import owned
from ..db import db
from ..errors import NotFound, ValidationFailed
from ..extensions.rules import get_extension
from ..models import Account, Device, DeviceLine
from .models import MODELS, model_of

MAC_SEPARATORS = re.compile(r"[\s:.\-]")
MAC = re.compile(r"^[0-9a-f]{12}$")
MAC_ERROR = "12 hexadecimal digits (0-9, a-f), optionally separated by ':', '-' or '.'"
DEFAULT_TIMEZONE = "America/Toronto"  # the guide: "HNE" by default
_TIMEZONES = frozenset(available_timezones())


def normalise_mac(value: str) -> str:
    """``00:15:65:AA:BB:CC`` → ``001565aabbcc``; anything else is a 400 naming ``mac``."""
    mac = MAC_SEPARATORS.sub("", value or "").lower()
    if not MAC.match(mac):
        raise ValidationFailed.field("mac", MAC_ERROR, error_id="invalid_mac")
    if mac == "000000000000" or int(mac[1], 16) & 1:
        raise ValidationFailed.field("mac", "not the address of one device (all zeros or multicast)",
                                     error_id="invalid_mac")
    return mac


def new_secret() -> str:
    """43 URL-safe characters (256 bits): part of the provisioning URL, never guessable."""
    return secrets.token_urlsafe(32)


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed.field("name", "required")
    return name


def _check_model(code: str | None) -> str | None:
    if code is not None and code not in MODELS:
        raise ValidationFailed.field("model", "must be one of: " + ", ".join(MODELS), error_id="unknown_model")
    return code


def check_timezone(name: str) -> str:
    if name not in _TIMEZONES:
        raise ValidationFailed.field("timezone", "an IANA time zone such as America/Toronto", error_id="bad_timezone")
    return name


def add_phone(account: Account, *, mac: str, name: str, model: str | None = None,
              timezone: str = DEFAULT_TIMEZONE, configure_books: bool = False) -> Device:
    mac = normalise_mac(mac)
    if db.session.scalar(sa.select(Device.id).where(Device.mac == mac)) is not None:
        raise ValidationFailed.field("mac", "this phone is already registered", error_id="duplicate_mac")
    device = Device(account_id=account.id, mac=mac, name=_check_name(name), model=_check_model(model),
                    timezone=check_timezone(timezone), secret=new_secret(), reboot_pending=False,
                    configure_books=bool(configure_books))
    db.session.add(device)
    db.session.flush()
    return device


def get_phone(account: Account, device_id: int) -> Device:
    return owned(account, Device, device_id, "phone not found")


SETTINGS = ("name", "model", "timezone", "configure_books")


def update_phone(device: Device, changes: dict) -> Device:
    """Name, model, time zone, "configure address books on the phone". A model with fewer keys
    than the phone's lines use is refused (the phone would lose an extension silently)."""
    if "name" in changes:
        device.name = _check_name(changes["name"])
    if "model" in changes:
        model = model_of(_check_model(changes["model"]))
        highest = max((line.line_key for line in lines_of(device)), default=0)
        if model is not None and highest > model.line_keys:
            raise ValidationFailed.field("model", f"this model has {model.line_keys} line keys; "
                                         f"line key {highest} is in use", error_id="too_few_keys")
        device.model = changes["model"]
    if "timezone" in changes:
        device.timezone = check_timezone(changes["timezone"])
    if "configure_books" in changes:
        device.configure_books = bool(changes["configure_books"])
    if device.secret is None:
        device.secret = new_secret()
    return device


def renew_secret(device: Device) -> str:
    """A new provisioning URL: the old one stops working at once (e.g. a leaked URL)."""
    device.secret = new_secret()
    return device.secret


def delete_phone(device: Device) -> None:
    db.session.delete(device)  # its line keys and display list go with it (ON DELETE CASCADE)
    db.session.flush()


def lines_of(device: Device) -> list[DeviceLine]:
    return list(db.session.scalars(sa.select(DeviceLine).where(DeviceLine.device_id == device.id)
                                   .order_by(DeviceLine.line_key)))


def assign(account: Account, device: Device, extension_id: int, line_key: int) -> DeviceLine:
    """Put one of the account's extensions on a line key of the phone (guide 14, 14.2): one
    phone carries several extensions on different keys; the same key twice is refused, and so
    is the same extension twice on one phone. The model must be chosen first: it decides the
    keys (a wrong model "does not work", the guide warns)."""
    model = model_of(device.model)
    if model is None:
        raise ValidationFailed.field("model", "choose the phone's model before assigning it", error_id="model_required")
    ext = get_extension(account, extension_id)
    if not isinstance(line_key, int) or not 1 <= line_key <= model.line_keys:
        raise ValidationFailed.field("line_key", f"a key from 1 to {model.line_keys} on a {model.label}",
                                     error_id="bad_line_key")
    for line in lines_of(device):
        if line.line_key == line_key:
            raise ValidationFailed.field("line_key", f"line key {line_key} is already used on this phone",
                                         error_id="line_key_taken")
        if line.extension_id == ext.id:
            raise ValidationFailed.field("extension_id", f"extension {ext.number} is already on line key "
                                         f"{line.line_key} of this phone", error_id="already_assigned")
    line = DeviceLine(device_id=device.id, extension_id=ext.id, line_key=line_key)
    db.session.add(line)
    db.session.flush()
    return line


def unassign(device: Device, line_id: int) -> None:
    line = db.session.get(DeviceLine, line_id)
    if line is None or line.device_id != device.id:
        raise NotFound("line key not found")
    db.session.delete(line)
    db.session.flush()
