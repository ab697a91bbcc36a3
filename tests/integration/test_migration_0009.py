"""0009_parked_calls_per_node on a database of its own (SQLite, or PostgreSQL when
PBX_TEST_POSTGRES_URL is set): up, down and up again with live rows, and the migrated schema
equal to the models for the tables it touches."""
from __future__ import annotations

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from fs_service.db import db
from pbx.app import MIGRATIONS
from tests.factories import make_account
from tests.migration_support import fresh_url  # noqa: F401 (fixture)

BEFORE = "0008_fax_retention"
TABLES = {"parked_calls", "live_versions"}


def parked(account_id: int, node: str | None, uuid: str, slot: str = "701") -> dict:
    return {"account_id": account_id, "node": node, "lot": "acme.test", "slot": slot, "uuid": uuid,
            "caller_number": "", "caller_name": "", "created_at": sa.func.now()}


def insert(row: dict) -> None:
    db.session.execute(sa.text("INSERT INTO parked_calls (account_id, node, lot, slot, uuid, caller_number, "
                               "caller_name, created_at) VALUES (:account_id, :node, :lot, :slot, :uuid, "
                               ":caller_number, :caller_name, CURRENT_TIMESTAMP)"), row)
    db.session.commit()


def uuids() -> list[str]:
    db.session.close()
    return sorted(db.session.scalars(sa.text("SELECT uuid FROM parked_calls")))


@pytest.mark.filterwarnings("ignore:Cannot correctly sort tables")
def test_0009_goes_up_down_and_up_again_keeping_what_each_model_can_hold(fresh_url, make_app):
    app = make_app(database_url=fresh_url)
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        account, _ = make_account(sip_domain="acme.test")
        account_id = account.id
        insert(parked(account_id, "fs1", "fs1-701"))
        insert(parked(account_id, "fs2", "fs2-701"))  # the same slot on another node
        with pytest.raises(sa.exc.IntegrityError):
            insert(parked(account_id, "fs1", "again"))
        db.session.rollback()
        db.session.execute(sa.text("INSERT INTO live_versions (account_id, token) VALUES (:a, 'x')"),
                           {"a": account_id})
        db.session.commit()
        db.session.close()

        flask_migrate.downgrade(directory=MIGRATIONS, revision=BEFORE)
        assert uuids() == ["fs1-701"]  # one per (lot, slot): the older row
        assert "live_versions" not in sa.inspect(db.engine).get_table_names()
        insert(parked(account_id, None, "before-0004", slot="702"))  # no node: no listener owns it
        db.session.close()

        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        assert uuids() == ["fs1-701"]
        with db.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), db.metadata)
        ours = [d for d in _flatten(diffs) if _table_of(d) in TABLES]
        assert ours == []
        db.session.remove()
        db.engine.dispose()


def _flatten(diffs):
    for diff in diffs:
        yield from (diff if isinstance(diff, list) else [diff])


def _table_of(diff) -> str | None:
    """("add_table", Table), ("remove_constraint", Constraint), ("modify_nullable", schema, table, ...)."""
    for item in diff[1:]:
        if isinstance(item, sa.Table):
            return item.name
        table = getattr(item, "table", None)
        if isinstance(table, sa.Table):
            return table.name
        if isinstance(item, str) and item in TABLES:
            return item
    return None
