"""The control widget's API (CONF-6): who is connected now (from the switch's events), and
mute / kick sent to the node hosting the room through the ESL facade, audited in the name of
the person who asked."""
from __future__ import annotations

import re

import sqlalchemy as sa

from fs_service.db import db
from fs_service.models import AuditEvent, ConferenceSession
from tests.factories import make_user
from tests.helpers import until
from tests.integration.test_api_support import API, assert_error, bearer
from tests.integration.test_conference_waiting_room import WAIT_MOD, room_numbered, split_at
from tests.integration.test_esl_listener_support import esl, event_frames, fake_fs, tenants  # noqa: F401 - fixtures


def test_the_widget_lists_connected_people_and_mutes_one_on_the_hosting_node(client, esl, tenants):
    acme = tenants["acme"]
    room = room_numbered(acme, "3001")
    both_in, _ = split_at(event_frames(WAIT_MOD), "add-member", "moderator")
    esl.send(both_in)
    admin = make_user(acme, role="admin")
    headers = bearer(admin)
    url = f"{API}/accounts/{acme.id}/conferences/{room.id}/members"
    people = client.get(url, headers=headers).get_json()
    assert [(p["caller_number"], p["role"]) for p in people] == [("100", "participant"), ("101", "admin")]
    esl.fake.set_reply("conference 3001-acme.test mute 1", "+OK mute 1\n")
    response = client.post(f"{url}/{people[0]['id']}", json={"action": "mute"}, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert "conference 3001-acme.test mute 1" in esl.fake.api_commands()
    db.session.expire_all()
    line = until(lambda: db.session.scalar(sa.select(AuditEvent).where(AuditEvent.actor_id == admin.id,
                                                                       AuditEvent.object_type == "freeswitch")))
    assert "conference 3001-acme.test mute 1" in repr(line.changes) and line.account_id == acme.id


def test_a_refused_command_is_a_503_and_another_tenant_a_404(client, esl, tenants):
    acme = tenants["acme"]
    room = room_numbered(acme, "3001")
    both_in, _ = split_at(event_frames(WAIT_MOD), "add-member", "moderator")
    esl.send(both_in)
    headers = bearer(make_user(acme, role="admin"))
    url = f"{API}/accounts/{acme.id}/conferences/{room.id}/members"
    member = client.get(url, headers=headers).get_json()[0]
    esl.fake.set_reply("conference 3001-acme.test kick 1", "-ERR Conference not found\n")
    assert client.post(f"{url}/{member['id']}", json={"action": "kick"}, headers=headers).status_code == 503
    beta = bearer(make_user(tenants["beta"], role="admin"))
    assert client.get(url, headers=beta).status_code == 404
    assert client.post(f"{url}/{member['id']}", json={"action": "kick"}, headers=beta).status_code == 404
    assert client.post(f"{url}/{member['id']}", json={"action": "explode"}, headers=headers).status_code == 400


def test_turning_recording_on_and_off_while_the_room_runs_acts_at_once(client, esl, tenants):
    acme = tenants["acme"]
    room = room_numbered(acme, "3001")
    both_in, _ = split_at(event_frames(WAIT_MOD), "add-member", "moderator")
    esl.send(both_in)
    headers = bearer(make_user(acme, role="admin"))
    url = f"{API}/accounts/{acme.id}/conferences/{room.id}"
    esl.fake.set_reply(re.compile(r"conference 3001-acme\.test record .*"), "+OK Record file\n")
    assert client.patch(url, json={"record_audio": True}, headers=headers).status_code == 200
    [started] = [c for c in esl.fake.api_commands() if " record " in c]
    assert started.startswith("conference 3001-acme.test record ") and "/acme.test/conferences/" in started
    session = db.session.scalar(sa.select(ConferenceSession))
    db.session.refresh(session)
    assert started.endswith(session.recording_path)
    assert client.patch(url, json={"record_audio": False}, headers=headers).status_code == 200
    assert "conference 3001-acme.test norecord all" in esl.fake.api_commands()


def test_end_now_hangs_up_everyone_on_the_hosting_node_and_only_while_the_room_runs(client, esl, tenants):
    acme = tenants["acme"]
    room = room_numbered(acme, "3001")
    headers = bearer(make_user(acme, role="admin"))
    url = f"{API}/accounts/{acme.id}/conferences/{room.id}/end"
    assert_error(client.post(url, headers=headers), 409, "not_running")
    both_in, _ = split_at(event_frames(WAIT_MOD), "add-member", "moderator")
    esl.send(both_in)
    until(lambda: client.get(f"{API}/accounts/{acme.id}/conferences/{room.id}/members", headers=headers).get_json())
    esl.fake.set_reply("conference 3001-acme.test hup all", "OK hup all\n")
    response = client.post(url, headers=headers)
    assert response.status_code == 200 and response.get_json() == {"ok": True, "reply": "OK hup all"}
    assert "conference 3001-acme.test hup all" in esl.fake.api_commands()
    assert client.post(url, headers=bearer(make_user(tenants["beta"], role="admin"))).status_code == 404
