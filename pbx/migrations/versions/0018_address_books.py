"""address books and contacts (issue 19): a folded search column on contacts and its index

Revision ID: 0018_address_books
Revises: 0017_schedule_exception_index

The book tables exist since 0001. BOOK-3 asks a search over every field that stays fast at
50,000 contacts: ``search_text`` holds phone, names and email folded (lowercase, no accents;
fs_service/books/text.py) so one ``LIKE`` on one column answers on both databases, and the
index (account_id, search_text) lets it read the account's slice of the index alone instead of
the table's rows. It starts with account_id, so it also serves what the plain account index did
(the foreign key's ON DELETE CASCADE): that one is dropped, or SQLite's planner picks it for the
page query and reads every row. Added in place (ADD COLUMN): contacts is a parent whose children cascade, so
no SQLite table rebuild. Existing rows are filled here, with the fold frozen as it was written.
"""
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0018_address_books"
down_revision = "0017_schedule_exception_index"
branch_labels = None
depends_on = None

INDEX, OLD = "ix_contacts_account_id_search_text", "ix_contacts_account_id"


def _fold(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip()


def upgrade():
    op.add_column("contacts", sa.Column("search_text", sa.String(500), nullable=False, server_default=""))
    contacts = sa.table("contacts", sa.column("id"), sa.column("phone"), sa.column("first_name"),
                        sa.column("last_name"), sa.column("email"), sa.column("search_text"))
    bind = op.get_bind()
    rows = bind.execute(sa.select(contacts.c.id, contacts.c.phone, contacts.c.first_name, contacts.c.last_name,
                                  contacts.c.email)).all()
    for row in rows:
        folded = "|".join(_fold(part) for part in (row.phone, row.first_name, row.last_name, row.email or ""))
        bind.execute(contacts.update().where(contacts.c.id == row.id).values(search_text=folded))
    op.create_index(INDEX, "contacts", ["account_id", "search_text"])
    op.drop_index(OLD, table_name="contacts")


def downgrade():
    op.create_index(OLD, "contacts", ["account_id"])
    op.drop_index(INDEX, table_name="contacts")
    # A plain DROP COLUMN (SQLite >= 3.35 has one): a batch rebuild of this parent table would
    # delete the book entries and phone list rows that cascade from it.
    op.drop_column("contacts", "search_text")
