"""The "Conferences" pages (guide 16): rooms with how to join them, and ended conferences with
their participants, report and recording expiry; the creation wizard (type, general information,
participants, summary) with each step checked beside its field and what was typed kept; edit and
delete; a room's control widget (connected people, mute / kick, add and re-invite). In French
by default; admins only."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from fs_service.conferences import rooms
from fs_service.db import db
from fs_service.models import Conference, ConferenceParticipant, ConferenceSession, MailDelivery
from fs_service.models._columns import as_utc
from tests.factories import PASSWORD, make_account, make_user
from tests.helpers import ui_login, until
from tests.integration.test_conference_waiting_room import WAIT_MOD, room_numbered, split_at
from tests.integration.test_esl_listener_support import esl, event_frames, fake_fs, tenants  # noqa: F401 - fixtures


def test_the_page_lists_rooms_codes_invited_people_and_ended_conferences(client, esl, tenants):
    acme = tenants["acme"]
    room = room_numbered(acme, "3001")
    rooms.add_participant(room, {"name": "Ann Lee", "email": "ann@example.com", "role": "admin"})
    db.session.commit()
    esl.send(event_frames(WAIT_MOD))
    admin = make_user(acme, role="admin")
    ui_login(client, admin.email, PASSWORD)
    page = client.get(f"/accounts/{acme.id}/conferences").get_data(as_text=True)
    assert "Conférences terminées" in page and "composez le 8300" in page
    assert all(value in page for value in ("3001", room.access_code, room.admin_code, "Ann Lee (Administrateur"))
    session = db.session.scalar(sa.select(ConferenceSession))
    assert f'data-occurrence="{session.id}"' in page and f"/conference-history/{session.id}/report.pdf" in page


def test_ended_conferences_are_listed_in_the_rooms_time_zone(client, esl, tenants):
    acme = tenants["acme"]
    room = room_numbered(acme, "3001")
    room.timezone = "Europe/Paris"
    db.session.commit()
    esl.send(event_frames(WAIT_MOD))
    session = until(lambda: db.session.scalar(sa.select(ConferenceSession).where(ConferenceSession.ended_at.is_not(None))))
    session.started_at = datetime(2026, 12, 1, 23, 30, tzinfo=timezone.utc)
    session.ended_at = datetime(2026, 12, 1, 23, 59, tzinfo=timezone.utc)
    session.recording_path = "room-1-x.wav"
    db.session.commit()
    _admin(client, acme)
    row = re.search(rf'<tr data-occurrence="{session.id}">.*?</tr>', client.get(f"/accounts/{acme.id}/conferences").text,
                    re.S)[0]
    assert "2026-12-02 00:30 (Europe/Paris)" in row and "UTC" not in row
    assert "2026-12-09" in row  # the recording's expiry, a Paris date too (23:59 UTC + 7 days)


def test_a_user_who_is_not_admin_may_not_see_it(client, app):
    account, _ = make_account()
    user = make_user(account)
    ui_login(client, user.email, PASSWORD)
    assert client.get(f"/accounts/{account.id}/conferences").status_code == 403


INFO = {"title": "Meeting ventes", "starts_at": "2026-12-24T10:30", "duration_minutes": "90",
        "timezone": "America/Toronto", "language": "en", "record_audio": "on", "add_me": "on"}
ANN = {"action": "add", "name": "Ann Lee", "email": "ann@example.com", "role": "admin", "language": "en"}


def _admin(client, account=None):
    if account is None:
        account, admin = make_account()
    else:
        admin = make_user(account, role="admin")
    ui_login(client, admin.email, PASSWORD)
    return account, admin, f"/accounts/{account.id}/conferences"


def field_errors(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-field="(\w+)">([^<]*)', html))


def test_the_wizard_creates_a_single_use_room_with_its_participants_and_invitations(client, app):
    account, admin, base = _admin(client)
    assert "Créer une conférence" in client.get(base).text
    page = client.get(f"{base}/new?restart=1").text
    assert "Usage unique" in page and 'aria-current="step"' in page
    assert client.post(f"{base}/new", data={"kind": "single_use"}).headers["Location"].endswith("/new/info")
    assert client.post(f"{base}/new/info", data=INFO).headers["Location"].endswith("/new/participants")
    assert client.post(f"{base}/new/participants", data=ANN).status_code == 302
    bob = {**ANN, "name": "Bob", "email": "bob@example.com", "role": "participant"}
    client.post(f"{base}/new/participants", data=bob)
    client.post(f"{base}/new/participants", data={"remove": "1"})  # Bob, by his place in the list
    page = client.get(f"{base}/new/participants").text
    assert "ann@example.com" in page and "bob@example.com" not in page
    assert client.post(f"{base}/new/participants", data={"action": "next"}).headers["Location"].endswith("/summary")
    summary = client.get(f"{base}/new/summary").text
    assert all(text in summary for text in ("Meeting ventes", "2026-12-24 10:30 (America/Toronto)", "90 min",
                                            "Ann Lee", "Activer l'enregistrement audio", "Créer la conférence"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Conference)) == 0  # nothing until "create"
    response = client.post(f"{base}/new/summary")
    room = db.session.scalar(sa.select(Conference))
    assert response.headers["Location"].endswith(f"/conferences/{room.id}")
    assert (room.kind, room.title, room.language, room.duration_minutes, room.record_audio, room.web_broadcast) == \
        ("single_use", "Meeting ventes", "en", 90, True, False)
    assert f"{as_utc(room.starts_at):%Y-%m-%d %H:%M}" == "2026-12-24 15:30"  # 10:30 in Montréal, EST
    people = {p.email: p for p in rooms.list_participants(room)}
    assert set(people) == {admin.email, "ann@example.com"} and people["ann@example.com"].role == "admin"
    assert people["ann@example.com"].language == "en" and people[admin.email].role == "admin"
    sent = sorted(d.recipient for d in db.session.scalars(sa.select(MailDelivery)))
    assert sent == sorted([admin.email, "ann@example.com"])
    assert "Conférence créée : salle " + room.room_number in client.get(response.headers["Location"]).text
    assert client.get(f"{base}/new/summary").headers["Location"].endswith("/new")  # the draft is gone


@pytest.mark.parametrize("changes, field, message", [
    ({"title": ""}, "title", "Ce champ est obligatoire."),
    ({"starts_at": ""}, "starts_at", "Obligatoire pour une conférence à usage unique."),
    ({"starts_at": "tomorrow"}, "starts_at", "Date et heure invalides."),
    ({"duration_minutes": "240"}, "duration_minutes", "Doit être de 15 à 180 minutes (3 heures au plus)."),
    ({"timezone": "Mars/Olympus"}, "timezone", "Fuseau horaire inconnu."),
    ({"language": "de"}, "language", "Choisissez français ou anglais."),
])
def test_a_wrong_step_is_refused_beside_its_field_and_keeps_what_was_typed(client, app, changes, field, message):
    _, _, base = _admin(client)
    client.post(f"{base}/new", data={"kind": "single_use"})
    response = client.post(f"{base}/new/info", data={**INFO, **changes})
    assert response.status_code == 400 and field in field_errors(response.text), field_errors(response.text)
    assert message in field_errors(response.text)[field]
    assert 'value="Meeting ventes"' in response.text or field == "title"
    assert client.get(f"{base}/new/summary").headers["Location"].endswith("/new/info")  # cannot skip it
    assert client.get(f"{base}/new/info").text.count('name="record_audio" value="on" checked') == 1


def test_the_type_and_participant_steps_name_their_fields_and_nothing_is_stored(client, app):
    _, _, base = _admin(client)
    client.get(f"{base}/new?restart=1")
    response = client.post(f"{base}/new", data={"kind": "weekly"})
    assert response.status_code == 400 and "kind" in field_errors(response.text)
    assert client.get(f"{base}/new/info").headers["Location"].endswith("/new")  # no type yet: back to it
    client.post(f"{base}/new", data={"kind": "permanent"})
    page = client.get(f"{base}/new/info").text
    assert 'name="starts_at"' not in page and 'name="web_broadcast"' not in page  # never on a permanent room
    response = client.post(f"{base}/new/info", data={"title": "Équipe", "web_broadcast": "on"})
    assert response.status_code == 400
    assert field_errors(response.text)["web_broadcast"] == "Non permis pour une conférence permanente."
    client.post(f"{base}/new/info", data={"title": "Équipe"})
    response = client.post(f"{base}/new/participants", data={**ANN, "email": "not-an-email", "role": "boss"})
    errors = field_errors(response.text)
    assert response.status_code == 400 and set(errors) == {"email", "role"}
    assert errors["role"] == "Choisissez administrateur ou participant."
    assert 'value="Ann Lee"' in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Conference)) == 0


def test_the_draft_is_bounded_so_it_fits_the_session_cookie(client, app, monkeypatch):
    from web.ui import conferences_wizard
    monkeypatch.setattr(conferences_wizard, "MAX_DRAFT_PARTICIPANTS", 2)
    _, _, base = _admin(client)
    client.post(f"{base}/new", data={"kind": "permanent"})
    client.post(f"{base}/new/info", data={"title": "Équipe"})
    for n in range(2):
        assert client.post(f"{base}/new/participants", data={**ANN, "email": f"p{n}@example.com"}).status_code == 302
    response = client.post(f"{base}/new/participants", data={**ANN, "email": "p3@example.com"})
    assert response.status_code == 400 and "ajoutez les autres depuis la page" in field_errors(response.text)["_form"]


def test_a_permanent_room_needs_no_start_nor_participant(client, app):
    account, admin, base = _admin(client)
    client.post(f"{base}/new", data={"kind": "permanent"})
    client.post(f"{base}/new/info", data={"title": "Équipe"})
    client.post(f"{base}/new/summary")
    room = db.session.scalar(sa.select(Conference))
    assert (room.kind, room.title, room.starts_at, room.record_audio, room.web_broadcast) == \
        ("permanent", "Équipe", None, False, False)
    assert rooms.list_participants(room) == []  # "add me" unticked


def test_a_room_is_edited_and_deleted(client, app):
    account, admin, base = _admin(client)
    room = rooms.create_room(account, admin, {"kind": "permanent", "title": "Équipe"})
    db.session.commit()
    page = client.get(f"{base}/{room.id}/edit").text
    assert 'value="Équipe"' in page and "Modifier la conférence" in page
    response = client.post(f"{base}/{room.id}/edit", data={"title": "", "announce_members": "on"})
    assert response.status_code == 400 and "title" in field_errors(response.text)
    response = client.post(f"{base}/{room.id}/edit", data={"title": "Équipe ventes", "language": "en",
                                                            "announce_members": "on"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (room.title, room.language, room.announce_members, room.record_audio) == \
        ("Équipe ventes", "en", True, False)
    assert "Supprimer la conférence" in client.get(f"{base}/{room.id}/delete").text
    assert client.post(f"{base}/{room.id}/delete").headers["Location"].endswith("/conferences")
    assert db.session.get(Conference, room.id) is None


def test_another_account_gets_a_404_and_a_user_a_403(client, app):
    account, admin = make_account()
    room = rooms.create_room(account, admin, {"kind": "permanent", "title": "Équipe"})
    db.session.commit()
    _, _, other = _admin(client)
    assert client.get(f"/accounts/{account.id}/conferences/{room.id}").status_code == 404
    assert client.post(f"/accounts/{account.id}/conferences/{room.id}/delete").status_code == 404
    client.post("/logout")
    user = make_user(account)
    ui_login(client, user.email, PASSWORD)
    assert client.get(f"/accounts/{account.id}/conferences/new").status_code == 403
    assert db.session.get(Conference, room.id) is not None


def test_the_widget_shows_who_is_connected_and_mutes_one_on_the_hosting_node(client, esl, tenants):
    acme = tenants["acme"]
    room = room_numbered(acme, "3001")
    ann = rooms.add_participant(room, {"name": "Ann Lee", "email": "ann@example.com", "role": "admin"})
    db.session.commit()
    both_in, _ = split_at(event_frames(WAIT_MOD), "add-member", "moderator")
    esl.send(both_in)
    _, _, base = _admin(client, acme)
    page = client.get(f"{base}/{room.id}").text
    rows = re.findall(r'<tr data-member="(\d+)" data-talking="(\w+)" data-muted="(\w+)">\s*<td>([^<]*)</td>\s*'
                      r'<td>([^<]*)</td>', page)
    assert [(r[3], r[4]) for r in rows][-1][1] == "Administrateur" and len(rows) == 2, rows
    assert f'data-participant="{ann.id}" data-connected="false"' in page
    esl.fake.set_reply("conference 3001-acme.test mute 1", "+OK mute 1\n")
    response = client.post(f"{base}/{room.id}/members/{rows[0][0]}", data={"action": "mute"})
    assert response.status_code == 302
    assert "conference 3001-acme.test mute 1" in esl.fake.api_commands()
    esl.fake.set_reply("conference 3001-acme.test kick 1", "-ERR Conference not found\n")
    client.post(f"{base}/{room.id}/members/{rows[0][0]}", data={"action": "kick"})
    assert "FreeSWITCH ne l&#39;a pas accepté (Conference not found)" in client.get(f"{base}/{room.id}").text


def test_the_widget_adds_a_participant_and_resends_an_invitation(client, app):
    account, admin, base = _admin(client)
    room = rooms.create_room(account, admin, {"kind": "permanent", "title": "Équipe"})
    db.session.commit()
    response = client.post(f"{base}/{room.id}/participants", data={**ANN, "email": "nope"})
    assert response.status_code == 400 and "email" in field_errors(response.text)
    client.post(f"{base}/{room.id}/participants", data=ANN)
    ann = db.session.scalar(sa.select(ConferenceParticipant))
    assert (ann.name, ann.role, ann.language) == ("Ann Lee", "admin", "en")
    assert client.post(f"{base}/{room.id}/participants/{ann.id}/invitation").status_code == 302
    sent = list(db.session.scalars(sa.select(MailDelivery)))
    assert [(d.recipient, d.source_id) for d in sent] == [("ann@example.com", ann.id)] * 2
    assert "Invitation renvoyée à ann@example.com" in client.get(f"{base}/{room.id}").text


def test_the_stream_pushes_the_widget_when_someone_joins(client, esl, tenants, monkeypatch):
    from web.ui.status_stream import StatusStream
    monkeypatch.setattr(StatusStream, "LIFETIME_SECONDS", 1.5)
    acme = tenants["acme"]
    room = room_numbered(acme, "3001")
    _, _, base = _admin(client, acme)
    first = client.get(f"{base}/{room.id}/stream").get_data(as_text=True)
    assert 'data-count="0"' in first
    participant_in, _ = split_at(event_frames(WAIT_MOD), "add-member")
    esl.send(participant_in)
    second = client.get(f"{base}/{room.id}/stream", headers={"Last-Event-ID": re.search(r"id: (\w+)", first)[1]})
    assert 'data-count="1"' in until(lambda: second.get_data(as_text=True))


def test_the_widget_options_are_saved_and_recording_acts_on_the_running_room(client, esl, tenants):
    acme = tenants["acme"]
    room = room_numbered(acme, "3001")
    both_in, _ = split_at(event_frames(WAIT_MOD), "add-member", "moderator")
    esl.send(both_in)
    _, _, base = _admin(client, acme)
    assert 'name="web_broadcast"' not in client.get(f"{base}/{room.id}").text  # permanent room
    esl.fake.set_reply(re.compile(r"conference 3001-acme\.test record .*"), "+OK Record file\n")
    client.post(f"{base}/{room.id}/options", data={"record_audio": "on", "announce_members": "on"})
    db.session.expire_all()
    assert (room.record_audio, room.announce_members, room.email_report) == (True, True, False)
    assert any(c.startswith("conference 3001-acme.test record ") for c in esl.fake.api_commands())
    assert "Options enregistrées." in client.get(f"{base}/{room.id}").text
    client.post(f"{base}/{room.id}/options", data={"announce_members": "on"})
    assert "conference 3001-acme.test norecord all" in esl.fake.api_commands()
    response = client.post(f"{base}/{room.id}/options", data={"web_broadcast": "on"})  # not shown: ignored
    db.session.expire_all()
    assert response.status_code == 302 and room.web_broadcast is False and room.announce_members is False


def test_end_now_is_offered_while_someone_is_in_and_hangs_everyone_up(client, esl, tenants):
    acme = tenants["acme"]
    room = room_numbered(acme, "3001")
    _, _, base = _admin(client, acme)
    assert 'id="end-now"' not in client.get(f"{base}/{room.id}").text  # not running
    client.post(f"{base}/{room.id}/end")
    assert "Cette conférence n&#39;est pas en cours." in client.get(f"{base}/{room.id}").text
    both_in, _ = split_at(event_frames(WAIT_MOD), "add-member", "moderator")
    esl.send(both_in)
    assert 'id="end-now"' in until(lambda: (page := client.get(f"{base}/{room.id}").text) and 'id="end-now"' in page
                                   and page)
    esl.fake.set_reply("conference 3001-acme.test hup all", "+OK hup all\n")
    assert client.post(f"{base}/{room.id}/end").status_code == 302
    assert "conference 3001-acme.test hup all" in esl.fake.api_commands()
