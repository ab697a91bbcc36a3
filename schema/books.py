"""Address books and contacts: inputs and outputs (BOOK-1..3, guide 7), shared by the API and
the forms. The core (fs_service.books) checks the same rules again for the CSV import.

Phone numbers are digits only and refused otherwise ("514 907-3400" is a 400 naming ``phone``),
never silently cleaned: what is stored is what the phone will dial.
"""
from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import ValidationError, fields, post_load, validate
from werkzeug.datastructures import FileStorage

from fs_service.books.contacts import EMAIL_MAX, NAME_MAX
from fs_service.books.csv_io import MAX_BYTES
from fs_service.books.queries import BOOK_KINDS
from fs_service.books.rules import NAME_MAX as BOOK_NAME_MAX
from fs_service.books.text import PHONE, PHONE_ERROR
from fs_service.db import MAX_ID, row_id

from .common import StrictSchema, name_field

PHONE_RULE = validate.Regexp(PHONE, error=PHONE_ERROR)
BOOK_REF_ERROR = f'"mine" or the id (1 to {MAX_ID}) of a shared address book'


def book_ref(ref: str) -> None:
    """``"mine"`` or an id that can exist (a larger one is refused here, not looked up)."""
    if ref != "mine" and row_id(ref) is None:
        raise ValidationError(BOOK_REF_ERROR)
PAGE_MAX = 500


class BookNameSchema(StrictSchema):
    name = name_field(BOOK_NAME_MAX, required=True, validate=validate.Length(min=1, error="must not be empty"))


class BookCreateSchema(BookNameSchema):
    user_ids = fields.List(fields.Integer(strict=True, validate=validate.Range(min=1)), load_default=list,
                           metadata={"description": "users of the account who see the book (admins always do)"})


class BookAccessSchema(StrictSchema):
    user_ids = fields.List(fields.Integer(strict=True, validate=validate.Range(min=1)), required=True,
                           metadata={"description": "exactly the users who see the book from now on"})


class BookSchema(StrictSchema):
    ref = fields.String(dump_only=True, metadata={"description": '"all", "mine", "company" or the shared id'})
    id = fields.Integer(dump_only=True, allow_none=True)
    kind = fields.String(dump_only=True, validate=validate.OneOf(BOOK_KINDS))
    name = fields.String(dump_only=True)
    contact_count = fields.Integer(dump_only=True)
    writable = fields.Boolean(dump_only=True)
    manageable = fields.Boolean(dump_only=True)


class BookAccessEntrySchema(StrictSchema):
    user_id = fields.Integer(dump_only=True)
    email = fields.String(dump_only=True)
    first_name = fields.String(dump_only=True)
    last_name = fields.String(dump_only=True)
    visible = fields.Boolean(dump_only=True)


class DeletionImpactSchema(StrictSchema):
    contacts_deleted = fields.Integer(dump_only=True)
    contacts_kept = fields.Integer(dump_only=True)


class BookDeleteSchema(StrictSchema):
    """Deleting a book deletes the contacts only it holds: it must be confirmed (guide 7.3)."""
    confirm = fields.Boolean(required=True, validate=validate.Equal(True, error="confirm to delete the book"))


class ContactUpdateSchema(StrictSchema):
    phone = fields.String(validate=PHONE_RULE, metadata={"description": "digits only, 2 to 20"})
    first_name = name_field(NAME_MAX)
    last_name = name_field(NAME_MAX)
    email = fields.Email(allow_none=True, validate=validate.Length(max=EMAIL_MAX))


class ContactCreateSchema(ContactUpdateSchema):
    phone = fields.String(required=True, validate=PHONE_RULE, metadata={"description": "digits only, 2 to 20"})
    first_name = name_field(NAME_MAX, load_default="")
    last_name = name_field(NAME_MAX, load_default="")
    books = fields.List(fields.String(validate=book_ref, metadata={"pattern": r"^(mine|[0-9]{1,10})$",
                                                                  "description": BOOK_REF_ERROR}), required=True,
                        validate=validate.Length(min=1, max=100, error="choose at least one address book"),
                        metadata={"description": '"mine" and/or ids of shared books (admins): added to all at once'})


class ContactSchema(StrictSchema):
    id = fields.Integer(dump_only=True, allow_none=True, metadata={"description": "null for company entries"})
    extension_id = fields.Integer(dump_only=True, allow_none=True)
    phone = fields.String(dump_only=True)
    first_name = fields.String(dump_only=True)
    last_name = fields.String(dump_only=True)
    email = fields.String(dump_only=True, allow_none=True)


class ContactPageSchema(StrictSchema):
    contacts = fields.List(fields.Nested(ContactSchema), dump_only=True)
    total = fields.Integer(dump_only=True)


class ContactSearchSchema(StrictSchema):
    search = fields.String(load_default="", validate=validate.Length(max=80),
                           metadata={"description": "matched in phone, names and email (case and accents ignored)"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=PAGE_MAX))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=1_000_000))


class ImportResultSchema(StrictSchema):
    created = fields.Integer(dump_only=True)
    skipped = fields.Integer(dump_only=True, metadata={"description": "lines already in the book"})


class CsvUploadSchema(StrictSchema):
    file = Upload(required=True, metadata={"description": "UTF-8 CSV with a header row: phone,first_name,"
                                                          f"last_name,email; at most {MAX_BYTES // 1_000_000} MB"})

    @post_load
    def _read(self, data: dict, **kwargs) -> dict:
        """``{"text": str}``; never reads more than the limit (plus one byte to know)."""
        upload = data["file"]
        if not isinstance(upload, FileStorage):
            raise ValidationError({"file": ["not a file upload"]})
        content = upload.stream.read(MAX_BYTES + 1)
        if not content:
            raise ValidationError({"file": ["choose a CSV file: this one is empty"]})
        if len(content) > MAX_BYTES:
            raise ValidationError({"file": [f"the file is larger than {MAX_BYTES // 1_000_000} MB"]})
        try:
            return {"text": content.decode("utf-8")}
        except UnicodeDecodeError:
            raise ValidationError({"file": ["the file is not UTF-8 text (save it as CSV UTF-8)"]}) from None
