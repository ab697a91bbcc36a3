"""Treatments: the one reusable "where does this call go" value (HRS-3, VM-3 keys 0 and *).

A treatment rings an extension (with all its settings), leaves a message in a mailbox, asks
for a mailbox and password (voicemail login), runs a welcome menu, plays a recorded message
then hangs up or continues to another treatment, or hangs up. Open/closed behaviours,
exceptions, menu keys and mailbox keys all point at treatments of the same account.

A chain of "message, then continue" may not loop back on itself: refused here, and the call
planner also stops a chain it has already visited (a row edited behind our back).
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from .. import call_versions
from ..access import owned
from ..db import db
from ..errors import NotFound, ValidationFailed
from ..models import Account, Extension, Mailbox, PhoneNumber, ScheduleException, Treatment, WelcomeMenu
from ..models.numbers import MESSAGE_THEN, TREATMENT_KINDS, new_token
from ..prompts import PROMPTS, path as prompt_path, text as prompt_text
from ..sound_files import sound_problem

TARGETS = {"extension": ("extension_id", Extension), "mailbox": ("mailbox_id", Mailbox),
           "menu": ("menu_id", WelcomeMenu)}
FIELDS = ("kind", "extension_id", "mailbox_id", "menu_id", "message_path", "message_then", "next_treatment_id")
MAX_CHAIN = 10


def get_treatment(account: Account, treatment_id: int) -> Treatment:
    return owned(account, Treatment, treatment_id, "treatment not found")


def owned_treatment_id(account: Account, treatment_id: int | None, field: str) -> int | None:
    """Validate a treatment reference coming from another resource (number, exception, menu key)."""
    if treatment_id is None:
        return None
    try:
        return get_treatment(account, treatment_id).id
    except NotFound:
        raise ValidationFailed.field(field, "no such treatment in this account") from None


def list_treatments(account: Account) -> list[Treatment]:
    return list(db.session.scalars(sa.select(Treatment).where(Treatment.account_id == account.id)
                                   .order_by(Treatment.id)))


def _owned(account: Account, model, row_id: int | None, field: str) -> int:
    row = db.session.get(model, row_id) if row_id is not None else None
    if row is None or row.account_id != account.id:
        raise ValidationFailed.field(field, "choose one of this account's")
    return row.id


def _loops_back(start_id: int | None, target_id: int | None) -> bool:
    """Following next_treatment_id from ``start_id`` reaches ``target_id`` (or never ends)."""
    current, steps = start_id, 0
    while current is not None and steps < MAX_CHAIN:
        if target_id is not None and current == target_id:
            return True
        row = db.session.get(Treatment, current)
        current = row.next_treatment_id if row is not None and row.kind == "message" else None
        steps += 1
    return current is not None


def _check(account: Account, values: dict, own_id: int | None) -> dict:
    """The stored shape for ``values``: fields of other kinds cleared, references owned."""
    kind = values.get("kind")
    if kind not in TREATMENT_KINDS:
        raise ValidationFailed.field("kind", "must be one of: " + ", ".join(TREATMENT_KINDS))
    clean = {name: None for name in FIELDS} | {"kind": kind, "message_then": "hangup"}
    if kind in TARGETS:
        field, model = TARGETS[kind]
        clean[field] = _owned(account, model, values.get(field), field)
    if kind == "message":
        if problem := sound_problem(account.sip_domain, values.get("message_path")):
            raise ValidationFailed.field("message_path", problem)
        clean["message_path"] = values["message_path"]
        clean["message_then"] = values.get("message_then") or "hangup"
        if clean["message_then"] not in MESSAGE_THEN:
            raise ValidationFailed.field("message_then", "must be one of: " + ", ".join(MESSAGE_THEN))
        if clean["message_then"] == "continue":
            clean["next_treatment_id"] = owned_treatment_id(account, values.get("next_treatment_id"),
                                                            "next_treatment_id")
            if clean["next_treatment_id"] is None:
                raise ValidationFailed.field("next_treatment_id", "choose what follows the message")
            if clean["next_treatment_id"] == own_id or _loops_back(clean["next_treatment_id"], own_id):
                raise ValidationFailed.field("next_treatment_id", "this would loop back to the same message")
    return clean


def create_treatment(account: Account, **values) -> Treatment:
    treatment = Treatment(account_id=account.id, **_check(account, values, None))
    db.session.add(treatment)
    call_versions.touch(account.id, routing=True)
    db.session.flush()
    return treatment


def update_treatment(account: Account, treatment: Treatment, changes: dict) -> Treatment:
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationFailed.field(sorted(unknown)[0], "this field cannot be changed")
    current = {name: getattr(treatment, name) for name in FIELDS}
    for name, value in _check(account, current | changes, treatment.id).items():
        setattr(treatment, name, value)
    call_versions.touch(account.id, routing=True)
    return treatment


def bump_numbers_using(treatment_id: int) -> None:
    """Numbers whose cached rules name this treatment recompile them on their next call."""
    in_exceptions = sa.select(ScheduleException.number_id).where(ScheduleException.treatment_id == treatment_id)
    db.session.execute(sa.update(PhoneNumber).where(sa.or_(
        PhoneNumber.open_treatment_id == treatment_id, PhoneNumber.closed_treatment_id == treatment_id,
        PhoneNumber.id.in_(in_exceptions))).values(rules_token=new_token()))


def delete_treatment(account: Account, treatment: Treatment) -> None:
    """Where it was used: numbers and exceptions fall back to their default, menu keys vanish."""
    bump_numbers_using(treatment.id)
    call_versions.touch(account.id, routing=True)
    db.session.delete(treatment)


def describe_treatment(treatment: Treatment | None) -> str:
    """A short English label for logs and the preview's "why"."""
    if treatment is None:
        return "default"
    target = {"extension": treatment.extension_id, "mailbox": treatment.mailbox_id,
              "menu": treatment.menu_id}.get(treatment.kind)
    if treatment.kind == "message":
        return f"message then {treatment.message_then}"
    return f"{treatment.kind} #{target}" if target is not None else treatment.kind


@dataclass(frozen=True)
class SoundChoice:
    """A sound a "recorded message" treatment may play: what is stored (``path``) and what the
    page needs to name it and let the admin listen (``source``: closure | greeting | prompt;
    ``owner_id``: the number or menu whose file it is; ``label``: its number, name or text)."""
    path: str
    source: str
    owner_id: int | None
    label: str


def sound_choices(account: Account, language: str) -> list[SoundChoice]:
    """The account's own sounds (closure messages, menu greetings), then the shipped prompts in
    ``language``: exactly what :func:`~.sound_files.sound_problem` accepts, so a form offering
    these never proposes a path the save would refuse (and nobody types a path any more)."""
    own = [SoundChoice(n.closure_message_path, "closure", n.id, n.e164) for n in db.session.scalars(
        sa.select(PhoneNumber).where(PhoneNumber.account_id == account.id,
                                     PhoneNumber.closure_message_path.is_not(None)).order_by(PhoneNumber.e164))]
    own += [SoundChoice(m.greeting_path, "greeting", m.id, m.name) for m in db.session.scalars(
        sa.select(WelcomeMenu).where(WelcomeMenu.account_id == account.id,
                                     WelcomeMenu.greeting_path.is_not(None)).order_by(WelcomeMenu.name))]
    own = [c for c in own if sound_problem(account.sip_domain, c.path) is None]
    shipped = sorted((SoundChoice(prompt_path(pid), "prompt", None, prompt_text(pid, language)) for pid in PROMPTS),
                     key=lambda c: c.label.lower())
    return own + shipped
