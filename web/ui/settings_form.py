"""HTML forms ↔ the settings schema's input, for the settings page and the quick edit table.

Forms cannot say "false": an unticked checkbox is simply absent, so every checkbox of the
page is read as a boolean. The forward block is shown as the guide does (an on/off switch, a
rule, "external number" or "extension") and folded here into forward_mode/forward_destination.
"""
from __future__ import annotations

from typing import Any, Mapping

from fs_service.extensions.settings import ADMIN_ONLY_FIELDS

from .common import text

USER_TEXT = ("language", "music_on_hold", "ring_seconds", "dnd_mode", "busy_behaviour", "voicemail_email",
             "fmfm_number", "fmfm_ring_seconds", "fmfm_extra_attempts")
USER_CHECKS = ("dnd", "voicemail_enabled", "fmfm_enabled", "fmfm_music_on_hold", "fmfm_screening",
               "fmfm_skip_greeting", "fmfm_pass_caller_id")
ADMIN_TEXT = ("caller_id_name", "recording", "long_distance", "long_distance_code", "international",
              "international_code", "outbound_caller_id_name", "outbound_caller_id_number")
ADMIN_CHECKS = ("pickup_allowed", "listed_in_directory", "uc_enabled", "video_enabled", "hide_caller_id")
FORWARD_INPUTS = ("forward_enabled", "forward_rule", "forward_kind", "forward_external", "forward_extension")
# The quick edit table's columns (EXT-5), each cell an input named "<extension id>.<field>".
QUICK_TEXT = ("caller_id_name", "outbound_caller_id_name", "outbound_caller_id_number", "language",
              "music_on_hold", "ring_seconds", "recording", "fmfm_number", "fmfm_ring_seconds",
              "forward_mode", "forward_destination", "long_distance", "long_distance_code",
              "international", "international_code")
QUICK_CHECKS = ("dnd", "voicemail_enabled", "fmfm_enabled", "uc_enabled")


def posted_admin_fields(form: Mapping[str, str]) -> list[str]:
    """Admin-only inputs in a user's form: refused, never silently dropped."""
    return [name for name in ADMIN_ONLY_FIELDS if name in form]


def _forward(form: Mapping[str, str]) -> dict[str, Any]:
    enabled = "forward_enabled" in form
    kind = text(form, "forward_kind") or "external"
    destination = text(form, "forward_extension" if kind == "extension" else "forward_external")
    return {"forward_mode": (text(form, "forward_rule") or "no_answer") if enabled else "off",
            "forward_destination": destination or None}


def settings_payload(form: Mapping[str, str], *, as_admin: bool) -> dict[str, Any]:
    """The whole page's input, shaped for UserSettingsSchema / AdminSettingsSchema."""
    names, checks = (USER_TEXT + ADMIN_TEXT, USER_CHECKS + ADMIN_CHECKS) if as_admin else (USER_TEXT, USER_CHECKS)
    payload: dict[str, Any] = {name: text(form, name) for name in names}
    payload.update({name: name in form for name in checks})
    payload.update(_forward(form))
    return payload


def form_values(settings: Mapping[str, Any], extension_numbers: set[str]) -> dict[str, Any]:
    """Stored settings → what the page's inputs show (the forward block's own inputs included)."""
    values = dict(settings)
    destination = settings.get("forward_destination") or ""
    is_extension = destination in extension_numbers
    values.update(forward_enabled=settings.get("forward_mode") != "off",
                  forward_rule=settings.get("forward_mode") if settings.get("forward_mode") != "off" else "no_answer",
                  forward_kind="extension" if is_extension else "external",
                  forward_external="" if is_extension else destination,
                  forward_extension=destination if is_extension else "")
    return values


def retyped_values(form: Mapping[str, str], payload: Mapping[str, Any]) -> dict[str, Any]:
    """A refused form is shown again exactly as typed."""
    values = dict(payload)
    values.update({name: text(form, name) for name in FORWARD_INPUTS})
    values["forward_enabled"] = "forward_enabled" in form
    return values


def quick_edit_rows(form: Mapping[str, str], ids: list[int]) -> list[dict[str, Any]]:
    """One input row per extension listed in the hidden ``row`` inputs of the table."""
    rows = []
    for ext_id in ids:
        row: dict[str, Any] = {"id": ext_id}
        row.update({name: text(form, f"{ext_id}.{name}") for name in QUICK_TEXT})
        row.update({name: f"{ext_id}.{name}" in form for name in QUICK_CHECKS})
        rows.append(row)
    return rows
