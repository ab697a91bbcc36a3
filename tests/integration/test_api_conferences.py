"""Conference rooms and participants over the API (CONF-1..3): room numbers and codes drawn
for the room, rules of single-use rooms, a bad input named by field and changing nothing."""
from __future__ import annotations

import pytest

from fs_service.models import Conference, ConferenceParticipant
from tests.factories import make_account
from tests.integration.test_api_support import API, assert_error, bearer, count

SINGLE = {"kind": "single_use", "title": "Ventes Q3", "language": "en", "starts_at": "2026-12-10T14:00:00",
          "duration_minutes": 90, "timezone": "America/Toronto"}


@pytest.fixture
def admin(client):
    account, user = make_account()
    return account, bearer(user)


def rooms_url(account) -> str:
    return f"{API}/accounts/{account.id}/conferences"


def test_a_permanent_room_gets_a_room_number_and_two_different_generic_codes(client, admin):
    account, headers = admin
    response = client.post(rooms_url(account), json={"kind": "permanent", "title": "Équipe"}, headers=headers)
    room = response.get_json()
    assert response.status_code == 201, room
    assert len(room["room_number"]) == 4 and room["room_number"].isdigit() and room["room_number"][0] != "0"
    assert room["access_code"] != room["admin_code"] and all(len(c) == 4 for c in (room["access_code"],
                                                                                   room["admin_code"]))
    assert room["starts_at"] is None and room["web_broadcast"] is False


def test_a_single_use_start_is_read_in_the_room_time_zone(client, admin):
    account, headers = admin
    room = client.post(rooms_url(account), json=SINGLE, headers=headers).get_json()
    assert room["starts_at"] == "2026-12-10T19:00:00Z" and room["duration_minutes"] == 90


def test_add_me_invites_the_creator_as_admin_with_a_code_of_their_own(client, admin):
    account, headers = admin
    room = client.post(rooms_url(account), json={**SINGLE, "add_me": True}, headers=headers).get_json()
    people = client.get(f"{rooms_url(account)}/{room['id']}/participants", headers=headers).get_json()
    assert len(people) == 1 and people[0]["role"] == "admin"
    assert people[0]["code"] not in (room["access_code"], room["admin_code"])


def test_every_code_of_a_room_is_unique(client, admin):
    account, headers = admin
    room = client.post(rooms_url(account), json={"kind": "permanent", "title": "Big"}, headers=headers).get_json()
    for i in range(30):
        response = client.post(f"{rooms_url(account)}/{room['id']}/participants",
                               json={"name": f"P{i}", "email": f"p{i}@example.com"}, headers=headers)
        assert response.status_code == 201
    codes = [p.code for p in ConferenceParticipant.query.filter_by(conference_id=room["id"])]
    codes += [room["access_code"], room["admin_code"]]
    assert len(set(codes)) == len(codes) == 32


@pytest.mark.parametrize("changes, field", [
    ({"kind": "single_use", "starts_at": None}, "starts_at"),
    ({"kind": "single_use", "duration_minutes": 181}, "duration_minutes"),
    ({"kind": "single_use", "timezone": "Mars/Olympus"}, "timezone"),
    ({"kind": "permanent", "web_broadcast": True}, "web_broadcast"),
    ({"kind": "weekly"}, "kind"),
    ({"title": ""}, "title"),
    ({"language": "de"}, "language"),
    ({"title": "x" * 121}, "title"),
    ({"colour": "red"}, "colour"),
])
def test_bad_room_input_is_a_400_naming_the_field_and_creates_nothing(client, admin, changes, field):
    account, headers = admin
    body = {**SINGLE, **changes}
    if changes.get("kind") == "permanent":
        body = {"kind": "permanent", "title": "T", **changes}
    assert_error(client.post(rooms_url(account), json=body, headers=headers), 400, "validation_error", field)
    assert count(Conference) == 0


def test_web_broadcast_is_allowed_on_a_single_use_room_only(client, admin):
    account, headers = admin
    response = client.post(rooms_url(account), json={**SINGLE, "web_broadcast": True}, headers=headers)
    assert response.status_code == 201 and response.get_json()["web_broadcast"] is True


def test_another_tenant_sees_neither_the_room_nor_its_participants(client, admin):
    account, headers = admin
    room = client.post(rooms_url(account), json=SINGLE, headers=headers).get_json()
    other, other_user = make_account()
    other_headers = bearer(other_user)
    assert client.get(f"{rooms_url(account)}/{room['id']}", headers=other_headers).status_code == 404
    assert client.get(f"{rooms_url(other)}/{room['id']}", headers=other_headers).status_code == 404
    assert client.delete(f"{rooms_url(other)}/{room['id']}", headers=other_headers).status_code == 404
    assert count(Conference) == 1
