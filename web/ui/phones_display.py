"""A phone's display list (BOOK-4, guide 7.5 "Gérer l'affichage des contacts sur les
téléphones"): pick a book, add its contacts one by one or the whole book, order the list
(positions, or ▲ ▼), tick favourites (company extensions only: BLF), "configure address
books on the phone", save, reboot; copy the list to other phones after a confirmation.
Works without JavaScript: every button is a form submit.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from marshmallow import ValidationError

from fs_service.books import queries as books
from fs_service.books.search import search as search_contacts
from fs_service.db import db
from fs_service.errors import ValidationFailed
from fs_service.phones import display, queries, reboot, rules
from schema.phones import CopyDisplaySchema, DisplaySchema

from .common import account_context, discard_changes, error_map, login_required, text

bp = Blueprint("phones_display", __name__, url_prefix="/accounts/<int:account_id>/phones/<int:phone_id>/display")


def _context(account_id: int, phone_id: int):
    user, account, _admin = account_context(account_id)
    return user, account, queries.phone_for(user, account, phone_id)


def _back(account, device):
    return redirect(url_for("phones_display.edit", account_id=account.id, phone_id=device.id,
                            book=request.args.get("book", "")))


@bp.get("")
@login_required
def edit(account_id: int, phone_id: int):
    user, account, device = _context(account_id, phone_id)
    return _page(user, account, device, display.entries_of(device), {})


def _page(user, account, device, entries, errors: dict, status: int = 200):
    visible = [book for book in books.visible_books(user, account) if book.kind != "all"]
    chosen = next((b for b in visible if b.ref == request.args.get("book")), visible[0] if visible else None)
    search = text(request.args, "search")[:80]
    page = search_contacts(user, chosen, search, limit=50, account=account) if chosen else None
    return render_template(
        "phones/display.html", account=account, device=device, entries=entries, errors=errors,
        names=display.describe(account, entries), books=visible, chosen=chosen, search=search, page=page,
        phones=queries.phones_for(user, account), listed={(e.kind, e.ref) for e in entries}), status


def _posted_rows() -> list[dict]:
    """The list as posted (rows not ticked "remove"), each with its row number ``row``."""
    rows = []
    for index in range(int(request.form.get("count", "0") or 0)):
        if request.form.get(f"remove-{index}"):
            continue
        position, ref = text(request.form, f"position-{index}"), text(request.form, f"ref-{index}")
        rows.append({"row": index, "kind": text(request.form, f"kind-{index}"),
                     "ref": int(ref) if ref.isdigit() else None,
                     "favourite": bool(request.form.get(f"favourite-{index}")),
                     "position": int(position) if position.isdigit() else position})
    return rows


def _moved(rows: list[dict], move: str) -> list[dict]:
    """▲ / ▼ on a row: swap it with its neighbour in the current order, then number 1..n."""
    ordered = sorted(rows, key=lambda row: row["position"] if isinstance(row["position"], int) else 0)
    row, _, direction = move.partition(":")
    index = next((i for i, r in enumerate(ordered) if str(r["row"]) == row), -1)
    other = index - 1 if direction == "up" else index + 1
    if index >= 0 and 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    return [{**r, "position": n} for n, r in enumerate(ordered, start=1)]


@bp.post("")
@login_required
def save(account_id: int, phone_id: int):
    user, account, device = _context(account_id, phone_id)
    rows, action = _posted_rows(), request.form.get("action", "save")
    if action.startswith("move-"):
        rows = _moved(rows, action.removeprefix("move-"))
    try:
        data = DisplaySchema().load({"entries": [{k: v for k, v in r.items() if k != "row"} for r in rows],
                                     "configure_books": bool(request.form.get("configure_books"))})
        display.set_display(user, account, device, [display.Entry(**row) for row in data["entries"]])
        rules.update_phone(device, {"configure_books": data["configure_books"]})
        later = action == "save_reboot" and not reboot.request_reboot(device)
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        entries = [display.Entry(r["kind"], r["ref"], r["favourite"], r["position"] if isinstance(r["position"], int)
                                 else 0) for r in rows]
        return _page(user, account, device, entries, error_map(exc), 400)
    db.session.commit()
    flash(_("Saved. Reboot the phone to show the new list.") if action != "save_reboot" else
          _("Saved; the phone will reboot when its call ends.") if later else
          _("Saved; the phone is rebooting (it can take up to 5 minutes)."), "success")
    return _back(account, device)


@bp.post("/add")
@login_required
def add(account_id: int, phone_id: int):
    """Append a contact, a colleague (company extension) or a whole book at the end of the list."""
    user, account, device = _context(account_id, phone_id)
    entries = display.entries_of(device)
    ref = text(request.form, "ref")
    new = display.Entry(text(request.form, "kind"), int(ref) if ref.isdigit() else None, False,
                        max((e.position for e in entries), default=0) + 1)
    try:
        display.set_display(user, account, device, entries + [new])
    except ValidationFailed as exc:
        discard_changes()
        return _page(user, account, device, entries, error_map(exc), 400)
    db.session.commit()
    return _back(account, device)


@bp.route("/copy", methods=["GET", "POST"])
@login_required
def copy(account_id: int, phone_id: int):
    user, account, device = _context(account_id, phone_id)
    others = [p for p in queries.phones_for(user, account) if p.id != device.id]
    if request.method == "GET":
        return render_template("phones/copy.html", account=account, device=device, others=others, errors={})
    try:
        data = CopyDisplaySchema().load({"targets": [int(t) for t in request.form.getlist("targets") if t.isdigit()],
                                         "confirm": bool(request.form.get("confirm"))})
        copied = display.copy_display(device, [queries.phone_for(user, account, t) for t in data["targets"]])
    except (ValidationError, ValidationFailed) as exc:
        discard_changes()
        return render_template("phones/copy.html", account=account, device=device, others=others,
                               errors=error_map(exc)), 400
    db.session.commit()
    flash(ngettext("List copied to %(num)d phone. Reboot it to apply.", "List copied to %(num)d phones. Reboot them to apply.",
                   copied), "success")
    return _back(account, device)
