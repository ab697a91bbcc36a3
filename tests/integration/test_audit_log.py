"""The audit log (issue 14): changes made by people through the UI and the API, before → after
with secrets masked; FreeSWITCH commands with their answers; who may read what; retention."""
from __future__ import annotations

from datetime import timedelta

import lxml.html
import pytest
import sqlalchemy as sa

from fs_service import audit
from fs_service.db import db, utcnow
from fs_service.models import AuditEvent, Extension, User
from tests.factories import PASSWORD, make_account, make_extension, make_operator, make_user
from tests.fakes.fake_freeswitch import FakeFreeSwitch
from tests.helpers import ui_login, until
from tests.integration.test_api_support import API, assert_error, bearer


def events(**where) -> list[AuditEvent]:
    db.session.expire_all()
    query = sa.select(AuditEvent).filter_by(**where).order_by(AuditEvent.id)
    return list(db.session.scalars(query))


@pytest.fixture
def site(make_app, smtp_server):
    """Two tenants; requests run outside any app context, as in production."""
    app = make_app(smtp_port=smtp_server.port)
    with app.app_context():
        account, admin = make_account(sip_domain="a.example.com")
        user = make_user(account)
        ext = make_extension(account, "201", user=user)
        other, other_admin = make_account(sip_domain="b.example.com")
        ids = dict(a=account.id, admin=admin.email, admin_id=admin.id, user=user.email, ext=ext.id,
                   b=other.id, admin_b=other_admin.email, operator=make_operator().email)
    return app, ids


def _client(app, email):
    client = app.test_client()
    ui_login(client, email, PASSWORD)
    return client


def test_a_ui_change_is_logged_with_who_before_and_after_and_a_refused_one_is_not(site):
    app, ids = site
    admin = _client(app, ids["admin"])
    page = admin.get(f"/accounts/{ids['a']}/extensions/quick-edit").text
    form = lxml.html.fromstring(page).forms[-1]
    values: dict[str, list[str]] = {}
    for name, value in form.form_values():
        values.setdefault(name, []).append(value)
    values[f"{ids['ext']}.ring_seconds"] = ["33"]
    assert admin.post(f"/accounts/{ids['a']}/extensions/quick-edit", data=values).status_code == 302
    values[f"{ids['ext']}.ring_seconds"] = ["-4"]  # refused: nothing stored, nothing logged
    assert admin.post(f"/accounts/{ids['a']}/extensions/quick-edit", data=values).status_code == 400
    with app.app_context():
        logged = [e for e in events(action="update") if "ring_seconds" in e.changes]
        assert len(logged) == 1
        event = logged[0]
        assert (event.actor_email, event.source, event.account_id, event.object_id) == \
            (ids["admin"], "ui", ids["a"], str(ids["ext"]))
        assert event.changes["ring_seconds"][1] == 33 and event.remote_addr == "127.0.0.1"


def test_creations_deletions_and_secrets_through_the_api(site):
    app, ids = site
    with app.app_context():
        headers = bearer(db.session.scalar(sa.select(User).where(User.email == ids["admin"])))
    client = app.test_client()
    base = f"{API}/accounts/{ids['a']}"
    rule = client.post(f"{base}/blacklist", json={"digits": "5145556666"}, headers=headers).json
    assert client.delete(f"{base}/blacklist/{rule['id']}", headers=headers).status_code == 204
    secret = client.post(f"{base}/extensions/{ids['ext']}/sip-password", headers=headers)
    assert secret.status_code in (200, 201), secret.json
    with app.app_context():
        created, deleted = events(object_type="blacklist_rules")
        assert created.action == "create" and created.changes["digits"] == [None, "5145556666"]
        assert deleted.action == "delete" and deleted.changes["digits"] == ["5145556666", None]
        assert created.source == "api" and created.account_id == ids["a"]
        password = [e for e in events(object_type="extensions", action="update") if "sip_password" in e.changes]
        assert password and password[-1].changes["sip_password"] == ["(secret)", "(secret)"]
        new_password = db.session.get(Extension, ids["ext"]).sip_password
        assert all(new_password not in str(e.changes) for e in events())


def test_admins_read_their_account_operators_everything_users_and_other_tenants_nothing(site):
    app, ids = site
    with app.app_context():
        audit.act_as(db.session, audit.Actor(None, "cli", None, "cli"))
        db.session.get(Extension, ids["ext"]).caller_id_name = "Front desk"
        db.session.commit()
        audit.act_as(db.session, None)
        logins = {name: bearer(db.session.scalar(sa.select(User).where(User.email == ids[name])))
                  for name in ("admin", "user", "admin_b", "operator")}
    client = app.test_client()
    mine = client.get(f"{API}/accounts/{ids['a']}/audit-events", headers=logins["admin"]).json
    assert [e["changes"]["caller_id_name"][1] for e in mine["items"] if "caller_id_name" in e["changes"]] == ["Front desk"]
    assert client.get(f"{API}/audit-events", headers=logins["admin"]).json["items"] == mine["items"]
    assert_error(client.get(f"{API}/accounts/{ids['a']}/audit-events", headers=logins["user"]), 403, "forbidden")
    assert_error(client.get(f"{API}/audit-events", headers=logins["user"]), 403, "forbidden")
    assert_error(client.get(f"{API}/accounts/{ids['a']}/audit-events", headers=logins["admin_b"]), 404, "not_found")
    everything = client.get(f"{API}/audit-events?limit=200", headers=logins["operator"]).json["items"]
    assert {e["account_id"] for e in everything} >= {ids["a"]}
    assert_error(client.get(f"{API}/audit-events?action=drop", headers=logins["operator"]), 400,
                 "validation_error", "action")
    page = _client(app, ids["admin"]).get(f"/accounts/{ids['a']}/audit")
    assert page.status_code == 200 and "Front desk" in page.text
    assert _client(app, ids["admin_b"]).get(f"/accounts/{ids['a']}/audit").status_code == 404
    assert _client(app, ids["operator"]).get("/operator/audit").status_code == 200


def test_pages_of_the_log_continue_with_before_id(site):
    app, ids = site
    with app.app_context():
        operator = db.session.scalar(sa.select(User).where(User.email == ids["operator"]))
        audit.record_commands([audit.CommandRecord("fs1", f"xml_flush_cache id {n} a.example.com", True, "+OK",
                                                   "a.example.com")
                               for n in range(5)], None)
        db.session.commit()
        first = audit.events(operator, action="command", limit=3)
        second = audit.events(operator, action="command", limit=3, before_id=first.next_before_id)
        assert len(first.items) == 3 and len(second.items) == 2 and second.next_before_id is None
        assert {e.account_id for e in first.items + second.items} == {ids["a"]}  # the domain's account


def test_retention_forgets_events_older_than_the_setting(site):
    app, ids = site
    with app.app_context():
        audit.record_commands([audit.CommandRecord("fs1", "xml_flush_cache", True, "+OK")], None)
        db.session.commit()
        old = events()[0]
        old.created_at = utcnow() - timedelta(days=400)
        audit.record_commands([audit.CommandRecord("fs1", "xml_flush_cache", True, "+OK")], None)
        db.session.commit()
        assert audit.purge_expired(0) == 0
        assert audit.purge_expired(365) == 1 and len(events()) == 1


@pytest.fixture
def fake_fs():
    server = FakeFreeSwitch(password="esl-secret")
    server.start()
    yield server
    server.stop()


def test_commands_sent_to_freeswitch_are_logged_with_their_answer_and_the_person(make_app, fake_fs):
    app = make_app(dispatch_fs=True, freeswitch_nodes=f"fs1=127.0.0.1:{fake_fs.port}", esl_timeout=1.0,
                   esl_password="esl-secret")
    with app.app_context():
        account, admin = make_account(sip_domain="acme.test")
        ext = make_extension(account, "101")
        headers = bearer(admin)
        admin_email, account_id, url = admin.email, account.id, f"{API}/accounts/{account.id}/extensions/{ext.id}"
    client = app.test_client()
    assert client.post(f"{url}/sip-password",
                       headers=headers).status_code in (200, 201)
    with app.app_context():
        def logged():
            return [e for e in events(action="command") if e.actor_email == admin_email]
        event = until(logged)[0]
        assert event.changes["command"] == "xml_flush_cache id 101 acme.test" and event.changes["ok"] is True
        assert event.account_id == account_id and event.source == "api" and event.object_id == "fs1"


def test_bulk_updates_and_deletes_by_a_person_are_logged_row_by_row(site):
    app, ids = site
    with app.app_context():
        admin = db.session.scalar(sa.select(User).where(User.email == ids["admin"]))
        second = make_extension(db.session.get(Extension, ids["ext"]).account, "202")
        audit.act_as(db.session, audit.Actor(admin.id, admin.email, admin.account_id, "ui", "192.0.2.7"))
        db.session.execute(sa.update(Extension).where(Extension.account_id == ids["a"]).values(ring_seconds=41))
        db.session.execute(sa.delete(Extension).where(Extension.id == second.id))
        db.session.commit()
        audit.act_as(db.session, None)
        updates = [e for e in events(object_type="extensions", action="update") if "ring_seconds" in e.changes]
        assert sorted(e.object_id for e in updates) == sorted([str(ids["ext"]), str(second.id)])
        assert all(e.changes["ring_seconds"][1] == 41 and e.remote_addr == "192.0.2.7" for e in updates)
        (deleted,) = [e for e in events(object_type="extensions", action="delete")]
        assert deleted.object_id == str(second.id) and deleted.changes["number"] == ["202", None]
        assert deleted.changes["sip_password"][0] == "(secret)" and deleted.account_id == ids["a"]


def test_the_page_links_to_older_events_keeping_its_filter(site):
    app, ids = site
    with app.app_context():
        audit.record_commands([audit.CommandRecord("fs1", f"xml_flush_cache id {n} a.example.com", True, "+OK",
                                                   "a.example.com") for n in range(60)], None)
        db.session.commit()
    admin = _client(app, ids["admin"])
    first = lxml.html.fromstring(admin.get(f"/accounts/{ids['a']}/audit?action=command").text)
    assert len(first.xpath("//table[@id='audit']/tbody/tr")) == 50
    (older,) = first.xpath("//a[contains(@href, 'before_id')]/@href")
    assert "action=command" in older
    second = lxml.html.fromstring(admin.get(older).text)
    assert len(second.xpath("//table[@id='audit']/tbody/tr")) == 10 and not second.xpath("//a[contains(@href, 'before_id')]")
