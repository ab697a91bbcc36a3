"""Creating a conference (guide 16 "Créer une conférence", CONF-1..3), and editing or deleting one.

The guide's four steps -- type, general information, participants, summary -- are four
server-rendered pages. What was typed is kept in the signed session cookie as the raw strings
of the forms (a datetime or a list of objects would not survive the cookie), one draft per
account, and every step re-checks it with the shared schemas (schema/conferences.py) and the
core's room rules, so a step that was skipped by typing its URL is caught, never stored. The
room, its participants and their invitations are written together on "Create the conference".
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from fs_service import access
from fs_service.conferences import invitations, rooms as core, rules
from fs_service.db import db
from fs_service.errors import ValidationFailed
from fs_service.models import Account, Conference
from schema.conferences import ParticipantCreateSchema, RoomCreateSchema
from web.switch import switch

from .common import FORM_LEVEL, account_context, discard_changes, error_map, login_required, non_empty, text

bp = Blueprint("wizard", __name__, url_prefix="/accounts/<int:account_id>/conferences")
DRAFT = "conference_draft"
OPTIONS = ("record_audio", "email_report", "announce_members", "web_broadcast")
CHECKBOXES = ("add_me", *OPTIONS)
TYPED_FIELDS = ("title", "language", "starts_at", "duration_minutes", "timezone")
PARTICIPANT_FIELDS = ("name", "email", "role", "language")
# The draft rides in the session cookie (4 KB at most in browsers): 40 people with random
# names and addresses measured 2.3 KB signed and compressed. More are added from the room page.
MAX_DRAFT_PARTICIPANTS = 50
DURATIONS = tuple(range(15, 181, 15))
ZONES = (("America/Toronto", "Montréal / Toronto"), ("America/Halifax", "Halifax"),
         ("America/Winnipeg", "Winnipeg"), ("America/Edmonton", "Edmonton"),
         ("America/Vancouver", "Vancouver"), ("Europe/Paris", "Paris"), ("UTC", "UTC"))


def _admin_account(account_id: int) -> Account:
    user, account, _admin = account_context(account_id)
    access.require_admin(user, account)
    return account


def _draft(account: Account) -> dict:
    """This account's draft: {"kind": str, "info": {field: raw}, "participants": [{field: raw}]}."""
    drafts = session.get(DRAFT) or {}
    return drafts.get(str(account.id)) or {"kind": "", "info": {}, "participants": []}


def _save_draft(account: Account, draft: dict | None) -> None:
    drafts = dict(session.get(DRAFT) or {})
    if draft is None:
        drafts.pop(str(account.id), None)
    else:
        drafts[str(account.id)] = draft
    session[DRAFT] = drafts


def _posted_info(form) -> dict[str, str]:
    """The info form as typed; an unticked box is "off" (kept as a choice, not as missing)."""
    return {**{name: text(form, name) for name in TYPED_FIELDS},
            **{name: "on" if form.get(name) else "off" for name in CHECKBOXES}}


def _room_input(kind: str, info: dict[str, str]) -> dict[str, str]:
    """What the schema reads: empty boxes left out (so "required" names them); the planned
    start, duration and zone only mean something for a single-use room."""
    planned = ("starts_at", "duration_minutes", "timezone")
    values = {k: v for k, v in info.items() if v and (kind == "single_use" or k not in planned)}
    return {"kind": kind, **values}


def _check_info(kind: str, info: dict[str, str]) -> dict:
    """The room as the schema and the core's rules see it; raises naming the field."""
    values = RoomCreateSchema().load(_room_input(kind, info))
    core.check_room(values)
    return values


def check_participant(raw: dict[str, str]) -> dict:
    """One invited person as typed (empty boxes are missing, so "required" names them)."""
    return ParticipantCreateSchema().load({k: v for k, v in raw.items() if v})


def form_labels() -> dict:
    return {"kinds": {"permanent": _("Permanent"), "single_use": _("Single use")},
            "roles": [("participant", _("Participant")), ("admin", _("Administrator"))],
            "durations": [(str(m), f"{m // 60} h {m % 60:02d}" if m >= 60 else f"{m} min") for m in DURATIONS],
            "zones": ZONES}


def _step(template: str, account: Account, draft: dict, status: int = 200, **context):
    return render_template(f"conferences/wizard_{template}.html", account=account, draft=draft,
                           **form_labels(), **context), status


def _go(step: str, account: Account):
    return redirect(url_for(f"conferences.wizard.{step}", account_id=account.id))


# ---- step 1: type -----------------------------------------------------------------------

@bp.get("/new")
@login_required
def kind(account_id: int):
    """Starting the wizard from the list (``?restart=1``) forgets an earlier unfinished draft."""
    account = _admin_account(account_id)
    if request.args.get("restart"):
        _save_draft(account, None)
    return _step("type", account, _draft(account), errors={})


@bp.post("/new")
@login_required
def choose_kind(account_id: int):
    account = _admin_account(account_id)
    draft = _draft(account)
    try:
        chosen = RoomCreateSchema(only=("kind",)).load(non_empty(request.form, ("kind",)))["kind"]
    except ValidationError as exc:
        return _step("type", account, draft, 400, errors=error_map(exc))
    _save_draft(account, {**draft, "kind": chosen})
    return _go("info", account)


# ---- step 2: general information --------------------------------------------------------

@bp.get("/new/info")
@login_required
def info(account_id: int):
    account = _admin_account(account_id)
    draft = _draft(account)
    if not draft["kind"]:
        return _go("kind", account)
    values = draft["info"] or {"language": "fr", "duration_minutes": "60", "timezone": ZONES[0][0],
                               "add_me": "on", "record_audio": "on", "email_report": "on", "announce_members": "on"}
    return _step("info", account, draft, values=values, errors={})


@bp.post("/new/info")
@login_required
def save_info(account_id: int):
    account = _admin_account(account_id)
    draft = _draft(account)
    if not draft["kind"]:
        return _go("kind", account)
    typed = _posted_info(request.form)
    draft = {**draft, "info": typed}
    _save_draft(account, draft)  # kept even when refused: "Back" shows it again
    try:
        _check_info(draft["kind"], typed)
    except (ValidationError, ValidationFailed) as exc:
        return _step("info", account, draft, 400, values=typed, errors=error_map(exc))
    return _go("participants", account)


# ---- step 3: participants ---------------------------------------------------------------

@bp.get("/new/participants")
@login_required
def participants(account_id: int):
    account = _admin_account(account_id)
    draft = _draft(account)
    if not draft["info"]:
        return _go("info", account)
    return _step("participants", account, draft, values={"role": "participant", "language": "fr"}, errors={})


@bp.post("/new/participants")
@login_required
def edit_participants(account_id: int):
    """"Add the participant" appends one (checked now, naming the wrong field); "remove" drops
    one by its place in the list; "Next" goes to the summary."""
    account = _admin_account(account_id)
    draft = _draft(account)
    if not draft["info"]:
        return _go("info", account)
    people = list(draft["participants"])
    if request.form.get("remove", "").isdigit():
        index = int(request.form["remove"])
        people = people[:index] + people[index + 1:]
    elif request.form.get("action") == "add":
        typed = {name: text(request.form, name) for name in PARTICIPANT_FIELDS}
        if len(people) >= MAX_DRAFT_PARTICIPANTS:
            message = _("At most %(count)s people here: add the others from the conference's page once it is "
                        "created.", count=MAX_DRAFT_PARTICIPANTS)
            return _step("participants", account, draft, 400, values=typed, errors={FORM_LEVEL: [message]})
        try:
            check_participant(typed)
        except ValidationError as exc:
            return _step("participants", account, draft, 400, values=typed, errors=error_map(exc))
        people.append(typed)
    else:
        return _go("summary", account)
    _save_draft(account, {**draft, "participants": people})
    return _go("participants", account)


# ---- step 4: summary and creation -------------------------------------------------------

def _checked_draft(account: Account) -> tuple[dict, dict, list[dict]] | str:
    """The draft loaded through the schemas, or the step to go back to."""
    draft = _draft(account)
    if not draft["kind"]:
        return "kind"
    try:
        room = _check_info(draft["kind"], draft["info"])
    except (ValidationError, ValidationFailed):
        return "info"
    try:
        people = [check_participant(raw) for raw in draft["participants"]]
    except ValidationError:
        return "participants"
    return draft, room, people


@bp.get("/new/summary")
@login_required
def summary(account_id: int):
    account = _admin_account(account_id)
    checked = _checked_draft(account)
    if isinstance(checked, str):
        return _go(checked, account)
    draft, room, people = checked
    return _step("summary", account, draft, room=room, people=people)


@bp.post("/new/summary")
@login_required
def create(account_id: int):
    """The room, its participants and their invitations (guide: "un courriel d'invitation
    [...] sera alors automatiquement envoyé à tous les participants"), in one transaction."""
    user, account, _admin = account_context(account_id)
    access.require_admin(user, account)
    checked = _checked_draft(account)
    if isinstance(checked, str):
        return _go(checked, account)
    values, people = checked[1:]
    room = core.create_room(account, user, values, add_me=values.pop("add_me", False))
    for person in people:
        person.pop("invite", None)
        core.add_participant(room, person)
    for participant in core.list_participants(room):  # "add me" too: the owner needs their code
        invitations.invite(participant)
    db.session.commit()
    _save_draft(account, None)
    flash(_("Conference created: room %(number)s. The invitations are on their way.", number=room.room_number),
          "success")
    return redirect(url_for("conferences.room.page", account_id=account.id, room_id=room.id))


# ---- edit and delete --------------------------------------------------------------------

def _room_values(room) -> dict[str, str]:
    """The room as its edit form shows it: the start in the room's own time zone."""
    starts = ""
    if room.starts_at is not None:
        starts = f"{rules.wall_clock(room.starts_at, room.timezone):%Y-%m-%dT%H:%M}"
    values = {"title": room.title, "language": room.language, "starts_at": starts,
              "duration_minutes": str(room.duration_minutes), "timezone": room.timezone}
    values.update({name: "on" if getattr(room, name) else "off" for name in OPTIONS})
    return values


def save_room(room: Conference, changes: dict) -> None:
    """Stores checked ``changes`` (the core's room rules may still refuse them, naming the
    field, before anything is committed); the recording option changed while the room runs
    starts or stops the recording at once, as through the API."""
    was_recording = room.record_audio
    core.update_room(room, changes)
    db.session.commit()
    if room.record_audio != was_recording:
        switch().set_recording(room, room.record_audio)


@bp.route("/<int:room_id>/edit", methods=["GET", "POST"])
@login_required
def edit(account_id: int, room_id: int):
    """The general information of a room (its type cannot change)."""
    account = _admin_account(account_id)
    room = core.get_room(account, room_id)
    if request.method == "GET":
        return render_template("conferences/edit.html", account=account, room=room, values=_room_values(room),
                               errors={}, **form_labels())
    typed = _posted_info(request.form)
    typed.pop("add_me")
    given = _room_input(room.kind, typed)
    try:  # the creation schema: a title is required here too, and the type is the room's
        values = RoomCreateSchema().load(given)
        save_room(room, {name: value for name, value in values.items() if name in given})
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        return render_template("conferences/edit.html", account=account, room=room, values=typed,
                               errors=error_map(exc), **form_labels()), 400
    flash(_("Conference saved."), "success")
    return redirect(url_for("conferences.room.page", account_id=account.id, room_id=room.id))


@bp.route("/<int:room_id>/delete", methods=["GET", "POST"])
@login_required
def delete(account_id: int, room_id: int):
    account = _admin_account(account_id)
    room = core.get_room(account, room_id)
    if request.method == "GET":
        return render_template("conferences/delete.html", account=account, room=room)
    title = room.title
    core.delete_room(room)
    db.session.commit()
    flash(_("Conference deleted: %(title)s.", title=title), "success")
    return redirect(url_for("conferences.index", account_id=account.id))
