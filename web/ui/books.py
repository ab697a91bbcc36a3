"""Address book pages (BOOK-1..3, guide 7 "Carnets d'adresses"): the books with their counts and
one book's contacts (search, add in place), a contact added to several books at once, edit,
delete from every book; admins create shared books, rename, delete (consequences shown first)
and tick who sees them ("select all" ticks every user that exists now). CSV import and export.

Phone numbers are digits only: "514 907-3400" is refused beside the field, never cleaned.
"""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from fs_service import access as access_rules
from fs_service.books import contacts as contact_rules, csv_io, queries, rules, search as book_search
from fs_service.db import db
from fs_service.errors import NotFound, PbxError
from schema.books import (BookCreateSchema, BookNameSchema, ContactCreateSchema, ContactSearchSchema,
                          ContactUpdateSchema, CsvUploadSchema)

from ..messages import translate
from .common import account_context, discard_changes, error_map, lenient_query, login_required, text

bp = Blueprint("books", __name__, url_prefix="/accounts/<int:account_id>")
FIELDS = ("phone", "first_name", "last_name", "email")
PAGE = 50


def _book_url(account, ref) -> str:
    return url_for("books.book", account_id=account.id, book_ref=ref)


def _contact_values() -> dict:
    values = {name: text(request.form, name) for name in FIELDS}
    values["email"] = values["email"] or None
    return values


def _page(user, account, book, values=None, errors=None, status=200):
    query = lenient_query(ContactSearchSchema)
    offset = query.get("offset", 0)
    found = book_search.search(user, book, query.get("search", ""), limit=PAGE, offset=offset, account=account)
    return render_template("books/index.html", account=account, books=queries.visible_books(user, account),
                           book=book, page=found, search=query.get("search", ""), offset=offset, page_size=PAGE,
                           values=values or {}, errors=errors or {}), status


@bp.get("/books")
@login_required
def index(account_id: int):
    user, account, _admin = account_context(account_id)
    return _page(user, account, queries.find_book(user, queries.ALL, account))


@bp.get("/books/<book_ref>")
@login_required
def book(account_id: int, book_ref: str):
    user, account, _admin = account_context(account_id)
    return _page(user, account, queries.find_book(user, book_ref, account))


@bp.route("/books/new", methods=["GET", "POST"])
@login_required
def new_book(account_id: int):
    user, account, _admin = account_context(account_id)
    access_rules.require_admin(user, account)
    users = rules.account_users(account)
    if request.method == "GET":
        return render_template("books/new.html", account=account, users=users, chosen=set(), values={}, errors={})
    chosen = _ticked(users)
    try:
        data = BookCreateSchema().load({"name": text(request.form, "name"), "user_ids": sorted(chosen)})
        created = rules.create_shared_book(user, account, data["name"], data["user_ids"])
    except (ValidationError, PbxError) as exc:
        discard_changes()
        return render_template("books/new.html", account=account, users=users, chosen=chosen,
                               values={"name": text(request.form, "name")}, errors=error_map(exc)), 400
    db.session.commit()
    flash(_("Address book added: %(name)s.", name=created.name), "success")
    return redirect(_book_url(account, created.id))


def _ticked(users) -> set[int]:
    """The users ticked, or all of them with "select all" (works without JavaScript)."""
    if request.form.get("select_all"):
        return {u.id for u in users}
    known = {str(u.id): u.id for u in users}
    return {known[value] for value in request.form.getlist("user_ids") if value in known}


def _shared(account_id: int, book_ref: str):
    user, account, _admin = account_context(account_id)
    if not book_ref.isdigit():
        raise NotFound("address book not found")
    return user, account, rules.shared_book(user, account, int(book_ref))


@bp.route("/books/<book_ref>/access", methods=["GET", "POST"])
@login_required
def access(account_id: int, book_ref: str):
    user, account, shared = _shared(account_id, book_ref)
    users = rules.account_users(account)
    if request.method == "POST":
        rules.set_access(user, account, shared, sorted(_ticked(users)))
        db.session.commit()
        flash(_("Access saved for %(name)s.", name=shared.name), "success")
        return redirect(_book_url(account, shared.id))
    return render_template("books/access.html", account=account, shared=shared, users=users,
                           chosen=rules.access_user_ids(shared))


@bp.route("/books/<book_ref>/rename", methods=["GET", "POST"])
@login_required
def rename(account_id: int, book_ref: str):
    user, account, shared = _shared(account_id, book_ref)
    if request.method == "GET":
        return render_template("books/rename.html", account=account, shared=shared, values={"name": shared.name},
                               errors={})
    try:
        rules.rename_book(user, account, shared, BookNameSchema().load({"name": text(request.form, "name")})["name"])
    except (ValidationError, PbxError) as exc:
        discard_changes()
        return render_template("books/rename.html", account=account, shared=shared,
                               values={"name": text(request.form, "name")}, errors=error_map(exc)), 400
    db.session.commit()
    flash(_("Address book renamed: %(name)s.", name=shared.name), "success")
    return redirect(_book_url(account, shared.id))


@bp.route("/books/<book_ref>/delete", methods=["GET", "POST"])
@login_required
def delete_book(account_id: int, book_ref: str):
    user, account, shared = _shared(account_id, book_ref)
    if request.method == "GET":
        return render_template("books/delete.html", account=account, shared=shared,
                               impact=rules.deletion_impact(shared))
    name = shared.name
    impact = rules.delete_book(user, account, shared)
    db.session.commit()
    flash(_("Address book deleted: %(name)s (%(count)s contacts deleted with it).", name=name,
            count=impact.contacts_deleted), "success")
    return redirect(url_for("books.index", account_id=account.id))


@bp.get("/books/<book_ref>/export.csv")
@login_required
def export(account_id: int, book_ref: str):
    user, account, _admin = account_context(account_id)
    found = queries.find_book(user, book_ref, account)
    page = book_search.search(user, found, limit=queries.EXPORT_MAX, account=account)
    return Response(csv_io.export_csv(page.contacts), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="contacts-{found.ref}.csv"'})


@bp.post("/books/<book_ref>/import")
@login_required
def import_csv(account_id: int, book_ref: str):
    user, account, _admin = account_context(account_id)
    found = queries.find_book(user, book_ref, account)
    try:
        result = csv_io.import_csv(user, account, book_ref, CsvUploadSchema().load(request.files)["text"])
    except (ValidationError, PbxError) as exc:
        discard_changes()
        return _page(user, account, found, errors={"import": _import_errors(exc)}, status=400)
    db.session.commit()
    flash(_("%(created)s contacts imported, %(skipped)s already there.", created=result.created,
            skipped=result.skipped), "success")
    return redirect(_book_url(account, found.ref))


def _field_labels() -> dict[str, str]:
    return {"phone": _("Phone"), "first_name": _("First name"), "last_name": _("Last name"), "email": _("Email")}


def _import_errors(exc) -> list[str]:
    """"Line 3 — phone: <the rule>" lines, each part in the visitor's language."""
    out = []
    for where, messages in error_map(exc).items():
        for message in messages:
            field, _sep, rule = message.partition(": ")
            shown = _("%(field)s: %(rule)s", field=_field_labels().get(field, field), rule=translate(rule)) \
                if rule else message
            out.append(shown if not where.startswith("line ") else
                       _("Line %(line)s — %(message)s", line=where.removeprefix("line "), message=shown))
    return out


@bp.route("/contacts/new", methods=["GET", "POST"])
@login_required
def new_contact(account_id: int):
    """The full form: the contact and the books it goes to (one or several at once). The inline
    row of a book page posts here too, with that one book."""
    user, account, _admin = account_context(account_id)
    writable = [b for b in queries.visible_books(user, account) if b.writable]
    chosen = request.form.getlist("books") if request.method == "POST" else request.args.getlist("books")
    if request.method == "GET":
        return render_template("books/contact.html", account=account, writable=writable, chosen=chosen,
                               values={}, errors={}, contact=None)
    try:
        data = ContactCreateSchema().load({**{k: v for k, v in _contact_values().items() if v is not None},
                                           "books": chosen})
        contact_rules.create_contact(user, account, data, data.pop("books"))
    except (ValidationError, PbxError) as exc:
        discard_changes()
        return render_template("books/contact.html", account=account, writable=writable, chosen=chosen,
                               values=_contact_values(), errors=error_map(exc), contact=None), 400
    db.session.commit()
    flash(_("Contact added successfully."), "success")
    back = request.form.get("back")
    return redirect(_book_url(account, back if back in [b.ref for b in writable] else chosen[0]))


def _writable_contact(account_id: int, contact_id: int):
    user, account, _admin = account_context(account_id)
    return user, account, contact_rules.get_contact(user, account, contact_id, write=True)


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@login_required
def edit_contact(account_id: int, contact_id: int):
    user, account, contact = _writable_contact(account_id, contact_id)
    if request.method == "GET":
        values = {name: getattr(contact, name) for name in FIELDS}
        return render_template("books/contact.html", account=account, contact=contact, values=values, errors={})
    try:
        contact_rules.update_contact(user, account, contact, ContactUpdateSchema().load(_contact_values()))
    except (ValidationError, PbxError) as exc:
        discard_changes()
        return render_template("books/contact.html", account=account, contact=contact, values=_contact_values(),
                               errors=error_map(exc)), 400
    db.session.commit()
    flash(_("Contact saved."), "success")
    return redirect(url_for("books.index", account_id=account.id))


@bp.route("/contacts/<int:contact_id>/delete", methods=["GET", "POST"])
@login_required
def delete_contact(account_id: int, contact_id: int):
    user, account, contact = _writable_contact(account_id, contact_id)
    if request.method == "GET":
        return render_template("books/delete_contact.html", account=account, contact=contact)
    contact_rules.delete_contact(user, account, contact)
    db.session.commit()
    flash(_("Contact deleted from every address book."), "success")
    return redirect(url_for("books.index", account_id=account.id))
