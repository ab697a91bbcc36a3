"""Extension settings: who may change what (EXT-3 vs EXT-4), one save, and quick edit (EXT-5).

A user changes the EXT-3 settings of their own extensions; the EXT-4 ones are the account
administrators' (refused to users with 403, never silently ignored). Every change is checked
as a whole against the resulting settings (extensions.settings_rules) before anything is
written, so a refused save — or one bad cell of a quick edit — stores nothing. Saving only
changes columns: the planner reads them on the next call (the dialplan is never cached), and
the directory entry, which FreeSWITCH may cache, is flushed when one of its variables changed.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import sqlalchemy as sa

from .. import outbox
from ..db import db
from ..errors import Forbidden, ValidationFailed
from ..models import Account, Extension, PhoneNumber
from . import settings_rules as rules

USER_FIELDS = (
    "language", "music_on_hold", "ring_seconds", "dnd", "dnd_mode", "busy_behaviour",
    "forward_mode", "forward_destination", "voicemail_enabled", "voicemail_email",
    "fmfm_enabled", "fmfm_number", "fmfm_ring_seconds", "fmfm_music_on_hold", "fmfm_screening",
    "fmfm_skip_greeting", "fmfm_pass_caller_id", "fmfm_extra_attempts",
)
ADMIN_ONLY_FIELDS = (
    "caller_id_name", "recording", "pickup_allowed", "listed_in_directory", "long_distance",
    "long_distance_code", "international", "international_code", "uc_enabled", "video_enabled",
    "outbound_caller_id_name", "outbound_caller_id_number", "hide_caller_id",
)
ADMIN_FIELDS = USER_FIELDS + ADMIN_ONLY_FIELDS
# Columns rendered as variables of the directory entry (xml_curl/directory.py _variables).
DIRECTORY_COLUMNS = frozenset({
    "caller_id_name", "language", "music_on_hold", "long_distance", "international",
    "outbound_caller_id_name", "outbound_caller_id_number_id", "hide_caller_id",
})
DEFAULT_MOH = ("default", "moh")  # pbx.config's default; the web passes the configured classes
RESERVED = "this setting is reserved to the account administrators"
UNKNOWN = "this setting does not exist"


def fields_for(*, as_admin: bool) -> tuple[str, ...]:
    return ADMIN_FIELDS if as_admin else USER_FIELDS


def read_settings(ext: Extension, *, as_admin: bool) -> dict[str, Any]:
    """The settings the reader may see, with the extension's id and number and current warnings."""
    values = {name: getattr(ext, name) for name in fields_for(as_admin=as_admin)
              if name != "outbound_caller_id_number"}
    if as_admin:
        number = ext.outbound_caller_id_number
        values["outbound_caller_id_number"] = number.e164 if number is not None else None
    values.update(id=ext.id, number=ext.number, warnings=rules.warnings_for(ext, as_admin=as_admin))
    return values


def caller_id_numbers(account: Account) -> list[PhoneNumber]:
    """The account's numbers an extension may show as outbound caller ID (EXT-4)."""
    return list(db.session.scalars(sa.select(PhoneNumber).where(PhoneNumber.account_id == account.id)
                                   .order_by(PhoneNumber.e164)))


def _allowed(changes: Mapping[str, Any], *, as_admin: bool, replace: bool) -> None:
    """403 for an admin-only setting sent by a user, before any other answer about it."""
    reserved = [name for name in changes if name in ADMIN_ONLY_FIELDS and not as_admin]
    if reserved:
        raise Forbidden(RESERVED, {name: [RESERVED] for name in reserved})
    unknown = {name: [UNKNOWN] for name in changes if name not in ADMIN_FIELDS}
    if replace:  # PUT: every setting the caller may change must be given
        unknown.update({name: ["Missing data for required field."]
                        for name in fields_for(as_admin=as_admin) if name not in changes})
    if unknown:
        raise ValidationFailed(f"invalid input: {', '.join(sorted(unknown))}", unknown)


def _differs(ext: Extension, name: str, value: Any) -> bool:
    if name == "outbound_caller_id_number":
        current = ext.outbound_caller_id_number
        return (current.e164 if current else None) != (rules.as_e164(value) if value else None)
    return getattr(ext, name) != value


def _prepare(facts: rules.AccountFacts, ext: Extension, changes: Mapping[str, Any], *,
             as_admin: bool) -> tuple[dict[str, Any], list[str], rules.Errors]:
    """Check one extension's change: (column values to write, warnings, per-field errors).

    Cross-field rules run for the fields that really change: a form or a quick edit table
    re-sends every value, and an unchanged one must not block the save of another."""
    touched = {name for name, value in changes.items() if _differs(ext, name, value)}
    columns = dict(changes)
    errors: rules.Errors = {}
    warnings: list[str] = []
    rules.resolve_caller_id_number(facts, columns, errors)
    result = rules.Result(ext, columns)
    rules.check_values(facts, ext, columns, errors)
    rules.check_forward(facts, result, touched, errors, warnings)
    rules.check_follow_me(facts, result, touched, errors)
    rules.check_access_codes(result, touched, errors)
    rules.check_caller_id(result, touched, errors)
    return columns, warnings + rules.warnings_for(result, as_admin=as_admin), errors


def _apply(account: Account, ext: Extension, columns: Mapping[str, Any]) -> None:
    changed = {name for name, value in columns.items() if getattr(ext, name) != value}
    for name in changed:
        setattr(ext, name, columns[name])
    if "voicemail_email" in changed and ext.mailbox is not None:
        ext.mailbox.email = ext.voicemail_email  # the mailbox sends the notifications (VM)
    if changed & DIRECTORY_COLUMNS:
        for user in [ext.number, *(phone.sip_username for phone in ext.softphones)]:
            outbox.queue(db.session, outbox.FlushDirectoryUser(user, account.sip_domain))


def update_settings(account: Account, ext: Extension, changes: Mapping[str, Any], *, as_admin: bool,
                    replace: bool = False, moh_choices: Sequence[str] = DEFAULT_MOH) -> list[str]:
    """Check and apply validated ``changes`` (schema names); the caller commits.

    Returns warnings: stored settings that may not behave as hoped (accents in the caller ID
    name, follow-me while forwarding is on, a forward that now needs an access code)."""
    _allowed(changes, as_admin=as_admin, replace=replace)
    facts = rules.AccountFacts(account, moh_choices)
    columns, warnings, errors = _prepare(facts, ext, changes, as_admin=as_admin)
    if errors:
        raise ValidationFailed(f"invalid input: {', '.join(sorted(errors))}", errors)
    _apply(account, ext, columns)
    return warnings


def extensions_by_id(account: Account, ids: Sequence[int]) -> list[Extension]:
    """The account's extensions among ``ids`` (others are ignored), in dialing order."""
    found = db.session.scalars(sa.select(Extension).where(Extension.account_id == account.id,
                                                          Extension.id.in_(list(ids))))
    return sorted(found, key=lambda ext: (len(ext.number), ext.number))


def _cells(ext_id: int, details: Mapping[str, list[str]]) -> rules.Errors:
    return {f"{ext_id}.{name}": list(messages) for name, messages in details.items()}


def _check_rows(facts: rules.AccountFacts, exts: dict[int, Extension], rows: Mapping[int, Mapping[str, Any]],
                as_admin: bool) -> tuple[dict[int, dict[str, Any]], dict[int, list[str]], rules.Errors]:
    prepared: dict[int, dict[str, Any]] = {}
    warnings: dict[int, list[str]] = {}
    errors: rules.Errors = {}
    for ext_id, changes in rows.items():
        if ext_id not in exts:
            errors[f"{ext_id}.id"] = ["extension not found"]
            continue
        try:
            _allowed(changes, as_admin=as_admin, replace=False)
        except Forbidden as exc:
            raise Forbidden(exc.message, _cells(ext_id, exc.details)) from None
        except ValidationFailed as exc:
            errors.update(_cells(ext_id, exc.details))
            continue
        prepared[ext_id], warnings[ext_id], row_errors = _prepare(facts, exts[ext_id], changes, as_admin=as_admin)
        errors.update(_cells(ext_id, row_errors))
    return prepared, warnings, errors


def quick_edit(account: Account, rows: Mapping[int, Mapping[str, Any]], *, as_admin: bool,
               moh_choices: Sequence[str] = DEFAULT_MOH) -> dict[int, list[str]]:
    """Save many extensions at once: every row is checked first, then all are written, or none.

    Errors are keyed ``"<extension id>.<field>"`` so the table can mark the very cell; the
    caller commits once (one transaction). Returns the warnings of each extension."""
    exts = {ext.id: ext for ext in extensions_by_id(account, list(rows))}
    facts = rules.AccountFacts(account, moh_choices)
    prepared, warnings, errors = _check_rows(facts, exts, rows, as_admin)
    if errors:
        raise ValidationFailed(f"invalid input: {', '.join(sorted(errors))}", errors)
    for ext_id, columns in prepared.items():
        _apply(account, exts[ext_id], columns)
    return warnings
