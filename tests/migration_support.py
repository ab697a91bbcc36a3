"""What every migration test needs: a database of its own (``fresh_url``, SQLite or a scratch
PostgreSQL database when PBX_TEST_POSTGRES_URL is set) and the differences that remain between
the migrated schema and the models, for the objects a migration is about."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from fs_service.db import db
from tests.conftest import scratch_database


@pytest.fixture
def fresh_url(tmp_path):
    with scratch_database(tmp_path / "migrate.sqlite3", prefix="pbx_mig") as url:
        yield url


def model_diffs(*names: str) -> list:
    """Alembic's schema-vs-models differences whose description names any of ``names``
    (tables, columns or indexes); [] once the migration built exactly what the models say."""
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), db.metadata)
    flat = [d for diff in diffs for d in (diff if isinstance(diff, list) else [diff])]
    return [d for d in flat if any(name in repr(d) for name in names)]
