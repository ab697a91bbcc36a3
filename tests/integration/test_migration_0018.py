"""0018_address_books on a database of its own (SQLite, or PostgreSQL when PBX_TEST_POSTGRES_URL
is set): up fills the folded search column of existing contacts, down keeps them and their
book entries (no table rebuild of the parent), up again equals the model."""
from __future__ import annotations

import flask_migrate
import pytest
import sqlalchemy as sa

from fs_service.db import db
from pbx.app import MIGRATIONS
from tests.migration_support import fresh_url, model_diffs  # noqa: F401 (fixture)

BEFORE, REVISION = "0017_schedule_exception_index", "0018_address_books"
INDEX, OLD = "ix_contacts_account_id_search_text", "ix_contacts_account_id"


def _seed() -> None:
    with db.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO accounts (id, name, sip_domain, language, timezone, enabled, "
                             "admins_require_two_factor, created_at, updated_at) VALUES (1, 'Acme', 'acme.test', "
                             "'fr', 'America/Toronto', true, false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        conn.execute(sa.text("INSERT INTO address_books (id, account_id, kind, name, created_at) "
                             "VALUES (1, 1, 'shared', 'Clients', CURRENT_TIMESTAMP)"))
        conn.execute(sa.text("INSERT INTO contacts (id, account_id, phone, first_name, last_name, email, created_at) "
                             "VALUES (1, 1, '5145550100', 'Hélène', 'Côté', NULL, CURRENT_TIMESTAMP)"))
        conn.execute(sa.text("INSERT INTO address_book_contacts (book_id, contact_id) VALUES (1, 1)"))


def _indexes() -> set[str]:
    return {i["name"] for i in sa.inspect(db.engine).get_indexes("contacts")}


def _count(table: str) -> int:
    with db.engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()


@pytest.mark.filterwarnings("ignore:Cannot correctly sort tables")
def test_0018_goes_up_down_and_up_again_and_matches_the_model(fresh_url, make_app):
    app = make_app(database_url=fresh_url)
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision=BEFORE)
        _seed()
        assert model_diffs("search_text", INDEX) and OLD in _indexes()
        flask_migrate.upgrade(directory=MIGRATIONS, revision=REVISION)
        assert INDEX in _indexes() and OLD not in _indexes()
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT search_text FROM contacts")).scalar() == "5145550100|helene|cote|"
        flask_migrate.downgrade(directory=MIGRATIONS, revision=BEFORE)
        assert "search_text" not in {c["name"] for c in sa.inspect(db.engine).get_columns("contacts")}
        assert _count("contacts") == 1 and _count("address_book_contacts") == 1
        assert OLD in _indexes() and INDEX not in _indexes()
        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        assert model_diffs("contacts", "search_text", INDEX, OLD) == []
        assert _count("address_book_contacts") == 1
        db.session.remove()
        db.engine.dispose()
