"""0019_phones on a database of its own (SQLite, or PostgreSQL when PBX_TEST_POSTGRES_URL is
set): up, down and up again, an existing phone keeps its line keys and gets a secret, the
result equal to the model."""
from __future__ import annotations

from datetime import datetime, timezone

import flask_migrate
import pytest
import sqlalchemy as sa

from fs_service.db import db
from pbx.app import MIGRATIONS
from tests.migration_support import fresh_url, model_diffs  # noqa: F401 (fixture)

BEFORE, AFTER = "0018_address_books", "0019_phones"
NAMES = ("provisioning_failures", "secret", "configure_books", "company_book", "ix_devices_reboot_pending")


def _insert(table_name: str, /, **values) -> None:
    """A row as the schema before 0019 takes it: required columns not given get a plain value."""
    table = sa.Table(table_name, sa.MetaData(), autoload_with=db.engine)
    for column in table.columns:
        if column.name in values or column.nullable or column.server_default is not None or column.primary_key:
            continue
        python = column.type.python_type
        values[column.name] = {bool: False, int: 0, str: "x", datetime: datetime.now(timezone.utc)}[python]
    db.session.execute(table.insert().values(**values))


def _seed() -> None:
    _insert("accounts", id=1, name="Acme", sip_domain="acme.test")
    _insert("extensions", id=1, account_id=1, number="101")
    _insert("devices", id=1, account_id=1, mac="001565aabbcc", name="Desk")
    _insert("device_lines", id=1, device_id=1, extension_id=1, line_key=1)
    db.session.commit()


def _lines() -> int:
    return db.session.scalar(sa.text("SELECT count(*) FROM device_lines"))


@pytest.mark.filterwarnings("ignore:Cannot correctly sort tables")
def test_0019_goes_up_down_and_up_again_and_matches_the_model(fresh_url, make_app):
    app = make_app(database_url=fresh_url)
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision=BEFORE)
        _seed()
        flask_migrate.upgrade(directory=MIGRATIONS, revision=AFTER)
        secret = db.session.scalar(sa.text("SELECT secret FROM devices WHERE id = 1"))
        assert len(secret) == 43 and _lines() == 1
        db.session.commit()
        flask_migrate.downgrade(directory=MIGRATIONS, revision=BEFORE)
        assert "provisioning_failures" not in sa.inspect(db.engine).get_table_names() and _lines() == 1
        db.session.commit()
        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        assert _lines() == 1 and model_diffs(*NAMES) == []
        db.session.remove()
        db.engine.dispose()
