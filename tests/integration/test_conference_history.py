"""History of ended conferences (CONF-7): a room two people joined (the recorded
``conference-wait-mod-hold`` stream) appears with both and their times, its PDF report lists
them (text read back with pypdf), its recording is served until it is deleted after 7 days; a
room nobody joined does not appear."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from io import BytesIO

import pypdf
import sqlalchemy as sa

from fs_service.audio_storage import Storage
from fs_service.conferences import history, rooms
from fs_service.db import db
from fs_service.models import ConferenceSession
from tests.factories import make_account, make_user
from tests.fakes.fake_freeswitch import FakeFreeSwitch
from tests.helpers import send_queued_emails, until
from tests.integration.test_api_support import API, bearer
from tests.integration.test_conference_waiting_room import WAIT_MOD, room_numbered
from tests.integration.test_esl_listener_support import (PASSWORD, Esl, esl, event_frames,  # noqa: F401 - fixtures
                                                         fake_fs, script_state, start_listener, tenants)


def admin_headers(account):
    return bearer(make_user(account, role="admin"))


def test_an_ended_room_with_two_people_is_in_history_with_both_and_a_pdf_report(client, esl, tenants):
    acme = tenants["acme"]
    room = room_numbered(acme, "3001", language="en", timezone="America/Toronto")
    rooms.create_room(acme, None, {"kind": "permanent", "title": "Nobody came"})
    db.session.commit()
    esl.send(event_frames(WAIT_MOD))
    headers = admin_headers(acme)
    listed = client.get(f"{API}/accounts/{acme.id}/conference-history", headers=headers).get_json()
    assert [o["title"] for o in listed] == ["Recorded"]  # the room nobody joined is not history
    [one] = listed
    assert [(a["caller_number"], a["role"]) for a in one["attendees"]] == [("100", "participant"), ("101", "admin")]
    assert one["room_id"] == room.id and one["duration_seconds"] >= 0 and one["has_recording"] is False
    report = client.get(f"{API}/accounts/{acme.id}/conference-history/{one['id']}/report.pdf", headers=headers)
    assert report.status_code == 200 and report.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(report.data)).pages)
    assert "Conference report: Recorded" in text and "Participants (2):" in text
    for person in one["attendees"]:
        joined = datetime.fromisoformat(person["joined_at"]).astimezone(rooms.rules.zone("America/Toronto"))
        assert f"joined {joined:%Y-%m-%d %H:%M:%S}" in text
    assert text.count(" left 20") == 2


def test_another_tenant_gets_404_for_history_rows(client, esl, tenants):
    room_numbered(tenants["acme"], "3001")
    esl.send(event_frames(WAIT_MOD))
    session = db.session.scalar(sa.select(ConferenceSession))
    beta = admin_headers(tenants["beta"])
    url = f"{API}/accounts/{tenants['beta'].id}/conference-history"
    assert client.get(url, headers=beta).get_json() == []
    assert client.get(f"{url}/{session.id}/report.pdf", headers=beta).status_code == 404


def test_a_recording_is_served_for_7_days_then_deleted(client, esl, tenants, app):
    acme = tenants["acme"]
    room_numbered(acme, "3001", record_audio=True)
    esl.send(event_frames(WAIT_MOD))
    session = db.session.scalar(sa.select(ConferenceSession))
    storage = Storage.from_settings(app.config["PBX"])
    storage.local_path(session.recording_path).write_bytes(b"RIFF" + b"\0" * 100)  # what FreeSWITCH wrote
    url = f"{API}/accounts/{acme.id}/conference-history/{session.id}"
    headers = admin_headers(acme)
    assert client.get(f"{url}/recording", headers=headers).status_code == 200
    ended = session.ended_at.replace(tzinfo=timezone.utc)
    assert history.expire_recordings(storage.local_path, ended + timedelta(days=6)) == 0
    assert history.expire_recordings(storage.local_path, ended + timedelta(days=7, seconds=1)) == 1
    assert client.get(f"{url}/recording", headers=headers).status_code == 404
    assert client.get(url, headers=headers).get_json()["has_recording"] is False


def test_the_report_is_emailed_to_the_owner_when_the_room_ends(make_app, smtp_server):
    app = make_app(smtp_port=smtp_server.port, mail_from="pbx@acme.test")
    with app.app_context():
        account, owner = make_account(sip_domain="acme.test")
        owner_email = owner.email
        room = rooms.create_room(account, owner, {"kind": "permanent", "title": "Weekly", "email_report": True})
        room.room_number = "3001"
        db.session.commit()
        fake = FakeFreeSwitch(password=PASSWORD).start()
        script_state(fake)
        listener, lanes = start_listener(app, fake.port)
        try:
            until(lambda: listener.connected)
            Esl(app, fake, listener, lanes).send(event_frames(WAIT_MOD))
        finally:
            listener.stop()
            lanes.stop()
            fake.stop()
        assert send_queued_emails(app) == 1
    [message] = smtp_server.messages
    assert message["To"] == owner_email and message["Subject"] == "Rapport de conférence: Weekly"
    [pdf] = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    text = pypdf.PdfReader(BytesIO(pdf.get_content())).pages[0].extract_text()
    assert "Participants (2):" in text and "arrivée" in text
