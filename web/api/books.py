"""Address books and contacts of an account (BOOK-1..3, guide 7).

Books are named by ``book_ref``: ``all`` (every contact one sees, read-only), ``mine`` (one's
private My contacts), ``company`` (the account's extensions listed in the directory, read-only,
always current) or a shared book's id. Everyone in the account lists the books they see; admins
create, rename, delete shared books and choose who sees them; users read the shared books they
were given. Contacts: ``phone`` is digits only — "514 907-3400" is refused (400 naming
``phone``), never rewritten. Another account's books and contacts are 404.
"""
from __future__ import annotations

from flask import Response

from fs_service.books import contacts as contact_rules, csv_io, queries, rules, search as book_search
from fs_service.errors import NotFound
from fs_service.models import Contact
from schema.books import (BookAccessEntrySchema, BookAccessSchema, BookCreateSchema, BookNameSchema, BookSchema,
                          ContactCreateSchema, ContactPageSchema, ContactSchema, ContactSearchSchema,
                          ContactUpdateSchema, CsvUploadSchema, DeletionImpactSchema, ImportResultSchema)

from .base import PREFIX, ApiBlueprint, commit, scoped

bp = ApiBlueprint("api_books", __name__, url_prefix=f"{PREFIX}/accounts/<int:account_id>",
                  description="Address books and contacts")
BOOK = "/books/<book_ref>"
CONTACT = "/contacts/<int:contact_id>"


def _shared(account_id: int, book_ref: str):
    user, account = scoped(account_id)
    if not book_ref.isdigit():  # all / mine / company are not shared books
        raise NotFound("address book not found")
    return user, account, rules.shared_book(user, account, int(book_ref))


@bp.route("/books", methods=["GET"])
@bp.response(200, BookSchema(many=True))
def list_books(account_id: int) -> list[queries.BookView]:
    """The books the caller sees with their contact counts: all, mine, shared ones, company."""
    user, account = scoped(account_id)
    return queries.visible_books(user, account)


@bp.route("/books", methods=["POST"])
@bp.arguments(BookCreateSchema)
@bp.response(201, BookSchema)
def create_book(data: dict, account_id: int) -> queries.BookView:
    """A shared book (admins). ``user_ids`` see it; users created later see it once given access."""
    user, account = scoped(account_id, admin=True)
    book = rules.create_shared_book(user, account, data["name"], data["user_ids"])
    commit()
    return queries.find_book(user, book.id, account)


@bp.route(BOOK, methods=["GET"])
@bp.response(200, BookSchema)
def get_book(account_id: int, book_ref: str) -> queries.BookView:
    """One book the caller sees (another's My contacts, an unshared book: 404)."""
    user, account = scoped(account_id)
    return queries.find_book(user, book_ref, account)


@bp.route(BOOK, methods=["PATCH"])
@bp.arguments(BookNameSchema)
@bp.response(200, BookSchema)
def rename_book(data: dict, account_id: int, book_ref: str) -> queries.BookView:
    """Rename a shared book (admins)."""
    user, account, book = _shared(account_id, book_ref)
    rules.rename_book(user, account, book, data["name"])
    commit()
    return queries.find_book(user, book.id, account)


@bp.route(BOOK, methods=["DELETE"])
@bp.response(200, DeletionImpactSchema)
def delete_book(account_id: int, book_ref: str) -> rules.DeletionImpact:
    """Delete a shared book (admins). The contacts that were in this book only are deleted too
    (``contacts_deleted``), those also in another book stay there (``contacts_kept``); phones
    that listed them lose them at their next provisioning. Cannot be undone."""
    user, account, book = _shared(account_id, book_ref)
    impact = rules.delete_book(user, account, book)
    commit()
    return impact


@bp.route(f"{BOOK}/access", methods=["GET"])
@bp.response(200, BookAccessEntrySchema(many=True))
def get_access(account_id: int, book_ref: str) -> list[dict]:
    """Every user of the account and whether they see this shared book (admins)."""
    _, account, book = _shared(account_id, book_ref)
    return _access_list(account, book)


@bp.route(f"{BOOK}/access", methods=["PUT"])
@bp.arguments(BookAccessSchema)
@bp.response(200, BookAccessEntrySchema(many=True))
def set_access(data: dict, account_id: int, book_ref: str) -> list[dict]:
    """Exactly ``user_ids`` see the shared book from now on (admins always do)."""
    user, account, book = _shared(account_id, book_ref)
    rules.set_access(user, account, book, data["user_ids"])
    commit()
    return _access_list(account, book)


def _access_list(account, book) -> list[dict]:
    seen = rules.access_user_ids(book)
    return [dict(user_id=u.id, email=u.email, first_name=u.first_name, last_name=u.last_name, visible=u.id in seen)
            for u in rules.account_users(account)]


@bp.route(f"{BOOK}/contacts", methods=["GET"])
@bp.arguments(ContactSearchSchema, location="query")
@bp.response(200, ContactPageSchema)
def list_contacts(query: dict, account_id: int, book_ref: str) -> book_search.ContactPage:
    """A page of the book's contacts by last name; ``search`` matches phone, names or email
    (case and accents ignored; "514 907-3400" finds 5149073400). Company entries have no
    ``id`` and carry their ``extension_id``."""
    user, account = scoped(account_id)
    book = queries.find_book(user, book_ref, account)
    return book_search.search(user, book, query["search"], limit=query["limit"], offset=query["offset"], account=account)


@bp.route(f"{BOOK}/contacts.csv", methods=["GET"])
@bp.alt_response(200, description="The book's contacts as UTF-8 CSV: phone,first_name,last_name,email")
def export_contacts(account_id: int, book_ref: str) -> Response:
    """Every contact of the book as CSV, header row first (what the import reads back)."""
    user, account = scoped(account_id)
    book = queries.find_book(user, book_ref, account)
    page = book_search.search(user, book, limit=queries.EXPORT_MAX, account=account)
    return Response(csv_io.export_csv(page.contacts), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="contacts-{book.ref}.csv"'})


@bp.route(f"{BOOK}/contacts.csv", methods=["POST"])
@bp.arguments(CsvUploadSchema, location="files")
@bp.response(200, ImportResultSchema)
def import_contacts(data: dict, account_id: int, book_ref: str) -> csv_io.ImportResult:
    """Import multipart part ``file`` (CSV with a header row) into a book one may write (``mine``,
    or a shared book for admins). All or nothing: any bad line is a 400 ``csv_invalid`` whose
    ``details`` name each line and field, and nothing is stored. Lines identical to a contact
    already in the book are skipped."""
    user, account = scoped(account_id)
    result = csv_io.import_csv(user, account, book_ref, data["text"])
    commit()
    return result


@bp.route("/contacts", methods=["POST"])
@bp.arguments(ContactCreateSchema)
@bp.response(201, ContactSchema)
def create_contact(data: dict, account_id: int) -> Contact:
    """Add a contact to one or several books at once (``books``: ``mine`` and/or shared ids)."""
    user, account = scoped(account_id)
    books = data.pop("books")
    contact = contact_rules.create_contact(user, account, data, books)
    commit()
    return contact


@bp.route(CONTACT, methods=["GET"])
@bp.response(200, ContactSchema)
def get_contact(account_id: int, contact_id: int) -> Contact:
    """A contact in a book the caller sees."""
    user, account = scoped(account_id)
    return contact_rules.get_contact(user, account, contact_id)


@bp.route(CONTACT, methods=["PATCH"])
@bp.arguments(ContactUpdateSchema)
@bp.response(200, ContactSchema)
def update_contact(changes: dict, account_id: int, contact_id: int) -> Contact:
    """Change a contact: one's own (My contacts), or, for admins, one in a shared book."""
    user, account = scoped(account_id)
    contact = contact_rules.get_contact(user, account, contact_id, write=True)
    contact_rules.update_contact(user, account, contact, changes)
    commit()
    return contact


@bp.route(CONTACT, methods=["DELETE"])
@bp.response(204)
def delete_contact(account_id: int, contact_id: int) -> None:
    """Delete the contact from every book (and from phones at their next provisioning)."""
    user, account = scoped(account_id)
    contact_rules.delete_contact(user, account, contact_rules.get_contact(user, account, contact_id, write=True))
    commit()
