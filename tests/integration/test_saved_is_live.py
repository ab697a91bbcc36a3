"""Saved = live: FreeSWITCH hears of a change only after it is committed, and hears it even if
it was down at that moment."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from esl_handlers import dispatcher
from fs_service.db import db
from fs_service.extensions import rules as extensions
from fs_service.models import PendingFsCommand
from tests.factories import make_account, make_extension
from tests.fakes.fake_freeswitch import FakeFreeSwitch
from tests.helpers import until


@pytest.fixture
def fake_fs():
    server = FakeFreeSwitch(password="esl-secret")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def live_app(make_app, fake_fs):
    app = make_app(dispatch_fs=True, freeswitch_nodes=f"fs1=127.0.0.1:{fake_fs.port}", esl_timeout=1.0)
    with app.app_context():
        yield app


def flushes(fake_fs) -> list[str]:
    return [c for c in fake_fs.api_commands() if c.startswith("xml_flush_cache")]


def test_deleting_an_extension_flushes_it_after_the_commit(live_app, fake_fs):
    account, _ = make_account(sip_domain="acme.test")
    ext = make_extension(account, number="101")
    until(lambda: flushes(fake_fs))  # creation flushes a possibly stale cache entry too
    fake_fs.commands.clear()
    extensions.delete_extension(account, ext)
    db.session.flush()
    assert flushes(fake_fs) == []  # not before the commit
    db.session.commit()
    assert until(lambda: flushes(fake_fs)) == ["xml_flush_cache id 101 acme.test"]


def test_a_rolled_back_change_sends_nothing(live_app, fake_fs):
    account, _ = make_account(sip_domain="acme.test")
    ext = make_extension(account, number="101")
    until(lambda: flushes(fake_fs))
    fake_fs.commands.clear()
    extensions.regenerate_sip_password(account, ext)
    db.session.rollback()
    extensions.get_extension(account, ext.id)  # a later, unrelated transaction commits
    db.session.commit()
    make_extension(account, number="102")  # a marker change: once its flush arrives, all did
    assert until(lambda: flushes(fake_fs)) == ["xml_flush_cache id 102 acme.test"]


def test_softphone_changes_flush_exactly_that_sip_user(live_app, fake_fs):
    account, _ = make_account(sip_domain="acme.test")
    ext = make_extension(account, number="101")
    phone = extensions.create_softphone(account, ext, "laptop")
    db.session.commit()
    until(lambda: "xml_flush_cache id 101-1 acme.test" in flushes(fake_fs))
    fake_fs.commands.clear()
    extensions.delete_extension(account, ext)
    db.session.commit()
    assert sorted(until(lambda: len(flushes(fake_fs)) == 2 and flushes(fake_fs))) == [
        "xml_flush_cache id 101 acme.test", f"xml_flush_cache id {phone.sip_username} acme.test"]


def test_commands_for_a_node_that_is_down_are_kept_and_delivered_when_it_returns(make_app):
    down = FakeFreeSwitch(password="esl-secret")
    down.start()
    port = down.port
    down.stop()  # nothing listens on this port now
    app = make_app(dispatch_fs=True, freeswitch_nodes=f"fs1=127.0.0.1:{port}", esl_timeout=1.0)
    with app.app_context():
        account, _ = make_account(sip_domain="acme.test")
        ext = make_extension(account, number="101")  # the web request is not held up
        until(lambda: db.session.scalar(sa.select(sa.func.count(PendingFsCommand.id))) == 1, timeout=5)
        db.session.rollback()
        back = FakeFreeSwitch(password="esl-secret", port=port).start()
        try:
            dispatcher.retry_owed(app)
            assert flushes(back) == [f"xml_flush_cache id {ext.number} acme.test"]
            db.session.rollback()
            assert db.session.scalar(sa.select(sa.func.count(PendingFsCommand.id))) == 0
        finally:
            back.stop()
