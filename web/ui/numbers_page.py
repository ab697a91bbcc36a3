"""Renders one number's page from its stored state, overridden by what was just typed."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from fs_service import access
from fs_service.numbers import schedules, sound_uploads, treatments

from .common import actor
from .numbers_form import timezone_options, treatment_options, treatment_targets, week_rows, weekday_names
from .sound_forms import upload_hint


def stored_values(number) -> dict:
    return {"label": number.label, "timezone": number.timezone, "open_treatment_id": number.open_treatment_id,
            "closed_treatment_id": number.closed_treatment_id}


def decision_view(account, number, decision) -> dict | None:
    """The preview's answer in words: state, where the call goes, and the rule that decided."""
    if decision is None:
        return None
    states = {"open": _("Open"), "closed": _("Closed"), "exception": _("Exception")}
    treatment = treatments.get_treatment(account, decision.treatment_id) if decision.treatment_id else None
    labels = dict(treatment_options(account, ""))
    if treatment is not None:
        goes_to = labels.get(str(treatment.id), treatment.kind)
    elif decision.state == "open":
        goes_to = _("Not set: the \"not in service\" message")
    else:
        goes_to = _("Default closed behaviour: the \"office closed\" message")
    rule = None
    if decision.state == "exception":
        rule = next((e for e in number.exceptions if e.id == decision.rule_id), None)
    elif decision.state == "open":
        rule = next((r for r in number.schedule if r.id == decision.rule_id), None)
    return {"state": decision.state, "state_label": states.get(decision.state, decision.state),
            "goes_to": goes_to, "reason": decision.reason, "rule": rule, "local_time": decision.local_time,
            "closure_message_first": decision.default_closed and bool(number.closure_message_path)}


def number_page(account, number, *, values=None, days=None, errors=None, decision=None, treatment_values=None,
                status: int = 200):
    return render_template(
        "numbers/detail.html", account=account, number=number, values=values or stored_values(number),
        days=days or week_rows(schedules.week(account, number)), weekday_names=weekday_names(),
        errors=errors or {}, timezones=timezone_options(number.timezone),
        open_options=treatment_options(account, _("Not set: the \"not in service\" message")),
        closed_options=treatment_options(account, _("Default closed behaviour: the \"office closed\" message")),
        exceptions=schedules.list_exceptions(account, number), exception_labels=dict(
            treatment_options(account, _("Default closed behaviour"))),
        decision=decision_view(account, number, decision), targets=treatment_targets(account),
        next_options=treatment_options(account, "—"), treatment_values=treatment_values or {"t_kind": "extension"},
        is_operator=access.is_operator(actor()), upload_hint=upload_hint(), closure_playable=sound_uploads.stored_file(
            account, sound_uploads.number_owner(number), number.closure_message_path) is not None), status
