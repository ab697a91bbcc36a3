"""GET /healthz: what monitoring reads of one process (fs_service.health), without a login."""
from __future__ import annotations

from datetime import timedelta

from fs_service import pending
from fs_service.db import db, utcnow
from fs_service.models import FaxJob
from fs_service.outbox import FlushDirectoryUser
from fs_service.status import store as status_store
from pbx.app import create_app
from pbx.config import load_settings
from tests.factories import make_account


def test_a_process_without_freeswitch_nodes_is_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == {"status": "ok", "database": "ok", "nodes": [], "owed_commands": {},
                                   "faxes": {"waiting": 0, "overdue": 0}}


def test_a_node_down_commands_owed_or_faxes_overdue_make_it_degraded_but_still_serving(make_app):
    app = make_app(freeswitch_nodes="fs1=127.0.0.1:1")
    client = app.test_client()
    with app.app_context():
        body = client.get("/healthz").get_json()
        assert body["status"] == "degraded" and body["nodes"] == [{"name": "fs1", "up": False, "since": None}]

        status_store.mark_node("fs1", True)
        response = client.get("/healthz")
        assert response.status_code == 200 and response.get_json()["status"] == "ok"
        assert response.get_json()["nodes"][0]["up"] is True

        pending.store("fs1", [FlushDirectoryUser(user="101", domain="acme.test")], "connection refused")
        body = client.get("/healthz").get_json()
        assert (body["status"], body["owed_commands"]) == ("degraded", {"fs1": 1})
        pending.delivered([row_id for row_id, _ in pending.owed("fs1")])

        account, _ = make_account()
        now = utcnow()
        db.session.add_all([FaxJob(account_id=account.id, destination="5145550100", state="queued",
                                   next_attempt_at=now - timedelta(minutes=1)),
                            FaxJob(account_id=account.id, destination="5145550101", state="retrying",
                                   next_attempt_at=now - timedelta(minutes=11)),
                            FaxJob(account_id=account.id, destination="5145550102", state="sent",
                                   next_attempt_at=now - timedelta(hours=2))])
        db.session.commit()
        body = client.get("/healthz").get_json()
        assert (body["status"], body["faxes"]) == ("degraded", {"waiting": 2, "overdue": 1})


def test_a_database_that_does_not_answer_is_down(base_settings, tmp_path):
    missing = tmp_path / "no-such-folder" / "pbx.sqlite3"
    app = create_app(load_settings(environ={}, **{**base_settings, "database_url": f"sqlite:///{missing}"}),
                     dispatch_fs=False)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "down", "database": "unreachable", "nodes": [], "owed_commands": {},
                                   "faxes": {"waiting": 0, "overdue": 0}}
