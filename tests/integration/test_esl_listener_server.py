"""The ESL side of a process (pbx.server): one listener per configured node, and saved
changes flushed over the listener's live connection instead of a new one per save."""
from __future__ import annotations

from fs_service.db import db
from fs_service.models import NodeStatus
from pbx.server import start_esl_side
from tests.factories import make_account, make_extension
from tests.fakes.fake_freeswitch import FakeFreeSwitch
from tests.helpers import until
from tests.integration.test_esl_listener_support import PASSWORD, fake_fs, script_state  # noqa: F401


def test_one_listener_per_node_and_flushes_go_over_the_live_connections(make_app, fake_fs):
    second = FakeFreeSwitch(password=PASSWORD).start()
    script_state(second)
    nodes = f"fs1=127.0.0.1:{fake_fs.port},fs2=127.0.0.1:{second.port}"
    app = make_app(dispatch_fs=True, freeswitch_nodes=nodes, esl_timeout=1.0)
    with app.app_context():
        side = start_esl_side(app)
        try:
            until(lambda: len(side.listeners) == 2 and all(lst.connected for lst in side.listeners))
            account, _ = make_account(sip_domain="acme.test")
            make_extension(account, number="101")
            for fake in (fake_fs, second):
                until(lambda: "xml_flush_cache id 101 acme.test" in fake.api_commands())
                assert fake.commands.count(f"auth {PASSWORD}") == 1  # the listener's, nothing else
        finally:
            side.stop()
            second.stop()


def test_pbx_esl_for_one_node_runs_only_that_nodes_listener(make_app, fake_fs):
    app = make_app(freeswitch_nodes=f"fs1=127.0.0.1:1,fs2=127.0.0.1:{fake_fs.port}", esl_timeout=1.0)
    with app.app_context():
        side = start_esl_side(app, only="fs2")
        try:
            assert [lst.node.name for lst in side.listeners] == ["fs2"]
            until(lambda: side.listeners[0].connected)
        finally:
            side.stop()
        db.session.rollback()
        assert db.session.get(NodeStatus, "fs2").connected is False  # stopped: shown down


def test_listeners_are_timed_by_the_settings_and_each_probe_marks_the_node_seen(make_app, fake_fs):
    app = make_app(freeswitch_nodes=f"fs1=127.0.0.1:{fake_fs.port}", esl_timeout=1.0, esl_probe_seconds=1,
                   esl_resync_seconds=90, esl_backoff_max_seconds=12)
    with app.app_context():
        side = start_esl_side(app)
        try:
            [listener] = side.listeners
            assert (listener.probe_interval, listener.resync_interval, listener.backoff) == (1, 90, (0.5, 12))
            until(lambda: listener.connected)
            db.session.rollback()
            first_seen = db.session.get(NodeStatus, "fs1").last_seen_at
            assert first_seen is not None  # marked up = seen

            def seen_again():
                db.session.rollback()
                return db.session.get(NodeStatus, "fs1").last_seen_at > first_seen

            until(seen_again, timeout=5)
            assert fake_fs.api_commands().count("status") >= 1
        finally:
            side.stop()
