"""The forms of a number's page (guide 5 "Comportement des numéros"): weekly editor, exception,
preview and treatment fields → core input, and the choices the selects offer.

The weekly editor posts, per weekday ``d`` (0 = Monday), a "closed all day" box ``d{d}_closed``
and rows ``d{d}_from_{r}`` / ``d{d}_to_{r}``; a row left entirely blank is ignored, a half-typed
row is an error beside the blank box. A day neither closed nor given a range is closed too
(what the call would get anyway), so nothing is guessed.
"""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from flask import url_for
from flask_babel import get_locale, gettext as _
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from fs_service import voicemail
from fs_service.extensions import rules as extensions
from fs_service.models import Account
from fs_service.numbers import menus, treatments
from fs_service.prompts import LANGUAGES
from schema.schedules import RangeSchema

from .common import text
from .voicemail_form import _treatment_labeller  # one wording for treatments across the UI

MIN_ROWS = 2
MAX_ROWS = 6
TIMEZONES = ("America/Toronto", "America/Montreal", "America/Halifax", "America/Moncton", "America/St_Johns",
             "America/Winnipeg", "America/Regina", "America/Edmonton", "America/Vancouver", "America/New_York",
             "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles", "UTC")


def weekday_names() -> list[str]:
    return [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]


def timezone_options(current: str | None) -> list[tuple[str, str]]:
    zones = list(TIMEZONES) + ([current] if current and current not in TIMEZONES else [])
    return [(zone, zone) for zone in zones]


def week_rows(ranges) -> list[dict[str, Any]]:
    """Per weekday: closed or not, and at least MIN_ROWS (from, to) rows, one spare to add a range."""
    days = []
    for day in range(7):
        own = [(f"{r.opens_at:%H:%M}", f"{r.closes_at:%H:%M}") for r in ranges if r.weekday == day]
        rows = own + [("", "")] * max(MIN_ROWS - len(own), 1 if own and len(own) < MAX_ROWS else 0)
        days.append({"closed": not own, "rows": rows})
    return days


def posted_week(form: MultiDict) -> list[dict[str, Any]]:
    """The editor as typed (to show it again after a refused save)."""
    days = []
    for day in range(7):
        rows = [(text(form, f"d{day}_from_{r}"), text(form, f"d{day}_to_{r}")) for r in range(MAX_ROWS)
                if f"d{day}_from_{r}" in form or f"d{day}_to_{r}" in form]
        days.append({"closed": f"d{day}_closed" in form, "rows": rows or [("", "")] * MIN_ROWS})
    return days


def week_payload(form: MultiDict) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Ranges for ``schedules.set_week`` and the per-input errors (keyed by input name)."""
    ranges, errors = [], {}
    for day in range(7):
        if f"d{day}_closed" in form:
            continue
        for row in range(MAX_ROWS):
            names = (f"d{day}_from_{row}", f"d{day}_to_{row}")
            typed = (text(form, names[0]), text(form, names[1]))
            if not any(typed):
                continue
            try:
                ranges.append(RangeSchema().load({"weekday": day, "opens_at": typed[0], "closes_at": typed[1]}))
            except ValidationError as exc:
                for field, messages in exc.messages.items():
                    key = names[0] if field == "opens_at" else names[1]
                    errors.setdefault(key, []).extend(messages if isinstance(messages, list) else [str(messages)])
    return ranges, errors


def treatment_options(account: Account, default: str) -> list[tuple[str, str]]:
    """The account's treatments after a first "default" choice (empty value = None)."""
    rows = treatments.list_treatments(account)
    label = _treatment_labeller(account) if rows else None
    return [("", default)] + ([(str(row.id), label(row)) for row in rows] if label else [])


def treatment_targets(account: Account) -> dict[str, list[tuple[str, str]]]:
    """Choices of the "create a treatment" form."""
    return {"kind": [("extension", _("Ring an extension")), ("mailbox", _("Leave a voicemail message")),
                     ("voicemail_login", _("Voicemail access")), ("menu", _("Welcome menu")),
                     ("message", _("Recorded message")), ("conference", _("Conference entry (room number, then code)")),
                     ("hangup", _("Hang up"))],
            "extension_id": [("", "—")] + [(str(e.id), e.number) for e in extensions.list_extensions(account)],
            "mailbox_id": [("", "—")] + [(str(u.mailbox.id), u.mailbox.number)
                                         for u in voicemail.list_mailboxes(account)],
            "menu_id": [("", "—")] + [(str(m.id), m.name) for m in menus.list_menus(account)],
            "message_then": [("hangup", _("then hang up")), ("continue", _("then continue to"))],
            "message_path": sound_options(account)}


# Which inputs each kind uses: the page shows only those (numbers_treatment.js), and only those are sent.
KIND_FIELDS = {"extension": ("extension_id",), "mailbox": ("mailbox_id",), "menu": ("menu_id",),
               "message": ("message_path", "message_then", "next_treatment_id")}


def sound_options(account: Account) -> list[dict[str, str]]:
    """The "recorded message" select: the account's own sounds then the shipped prompts (in the
    page's language), each with the URL its play button loads."""
    language = str(get_locale() or "fr")[:2]
    language = language if language in LANGUAGES else "fr"
    options = []
    for choice in treatments.sound_choices(account, language):
        if choice.source == "closure":
            label = _("Closure message of %(number)s", number=choice.label)
            audio = url_for("numbers.closure_audio", account_id=account.id, number_id=choice.owner_id)
        elif choice.source == "greeting":
            label = _("Greeting of the menu %(name)s", name=choice.label)
            audio = url_for("menus.greeting_audio", account_id=account.id, menu_id=choice.owner_id)
        else:
            label = choice.label
            audio = url_for("prompt_audio.audio", language=language, prompt_id=choice.path[4:-4])
        options.append({"value": choice.path, "label": label, "audio": audio,
                        "group": "prompt" if choice.source == "prompt" else "own"})
    return options


TREATMENT_FIELDS = ("kind", "extension_id", "mailbox_id", "menu_id", "message_path", "message_then",
                    "next_treatment_id")


def treatment_payload(form: MultiDict) -> dict[str, Any]:
    """Inputs are named ``t_<field>`` (the page has other forms). Only the target the kind
    needs is sent: the other selects keep their values but are ignored."""
    kind = text(form, "t_kind")
    payload: dict[str, Any] = {"kind": kind}
    for name in KIND_FIELDS.get(kind, ()):
        payload[name] = text(form, f"t_{name}") or None
    if payload.get("message_then") is None and kind == "message":
        payload["message_then"] = "hangup"
    return payload


EXCEPTION_TEXT = ("label", "start_date", "end_date", "kind", "closed_from", "closed_until", "treatment_id")


def exception_payload(form: MultiDict) -> dict[str, Any]:
    """Blank optional fields are None (a single day, the default closed behaviour); the two
    times only go with "closed between"."""
    payload: dict[str, Any] = {name: text(form, name) or None for name in EXCEPTION_TEXT}
    payload["label"] = text(form, "label")
    payload["kind"] = text(form, "kind") or "all_day"
    payload["repeat_yearly"] = "repeat_yearly" in form
    if payload["kind"] == "all_day":
        payload.pop("closed_from"), payload.pop("closed_until")
    if payload["start_date"] is None:
        payload.pop("start_date")
    return payload


def exception_values(exc) -> dict[str, Any]:
    def shown(value):
        return value.strftime("%H:%M") if isinstance(value, time) else value.isoformat() if value else ""
    return {"label": exc.label, "start_date": shown(exc.start_date),
            "end_date": shown(exc.end_date) if exc.end_date != exc.start_date else "", "kind": exc.kind,
            "closed_from": shown(exc.closed_from), "closed_until": shown(exc.closed_until),
            "repeat_yearly": exc.repeat_yearly, "treatment_id": exc.treatment_id}


def preview_moment(args: MultiDict) -> tuple[datetime | None, dict[str, list[str]]]:
    """The "what if someone calls at" date and time (wall clock of the number's zone)."""
    day, hour = text(args, "at_date"), text(args, "at_time")
    if not day and not hour:
        return None, {}
    errors: dict[str, list[str]] = {}
    try:
        parsed_day = date.fromisoformat(day)
    except ValueError:
        errors["at_date"] = [_("Not a valid date (YYYY-MM-DD).")]
    try:
        parsed_time = time.fromisoformat(hour)
    except ValueError:
        errors["at_time"] = [_("Not a valid time (HH:MM).")]
    if errors:
        return None, errors
    return datetime.combine(parsed_day, parsed_time), {}
