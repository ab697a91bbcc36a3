"""fastread: single-row reads outside the ORM see the latest commit, and on PostgreSQL survive a
connection the server dropped (a restarted database) without the caller noticing."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from fs_service import fastread
from fs_service.db import db
from fs_service.models import Account
from tests.factories import make_account

BY_DOMAIN = sa.select(Account.id, Account.name).where(Account.sip_domain == sa.bindparam("domain"))


def test_a_read_sees_the_latest_commit(app):
    account, _ = make_account(name="Acme", sip_domain="acme.test")
    assert fastread.fetch_one(BY_DOMAIN, {"domain": "acme.test"}) == (account.id, "Acme")
    account.name = "Acme Inc"
    db.session.commit()
    assert fastread.fetch_one(BY_DOMAIN, {"domain": "acme.test"}).name == "Acme Inc"
    assert fastread.fetch_one(BY_DOMAIN, {"domain": "nobody.test"}) is None


def test_a_connection_the_server_dropped_is_replaced_on_postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no server to drop a connection")
    account, _ = make_account(sip_domain="acme.test")
    assert fastread.fetch_one(BY_DOMAIN, {"domain": "acme.test"}).id == account.id
    db.session.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    db.session.commit()
    assert fastread.fetch_one(BY_DOMAIN, {"domain": "acme.test"}).id == account.id
