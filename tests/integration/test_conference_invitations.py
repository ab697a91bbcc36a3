"""Invitation emails through a real SMTP server (aiosmtpd, CONF-3): the participant's language,
how to dial in, the room number and their own code, the time in the room's time zone, an .ics
for a single-use room; resend from the API queues another."""
from __future__ import annotations

import pytest

from tests.factories import make_account
from tests.helpers import send_queued_emails
from tests.integration.test_api_support import API, bearer

SINGLE = {"kind": "single_use", "title": "Budget, 2027", "language": "fr", "starts_at": "2026-12-10T14:00:00",
          "duration_minutes": 90, "timezone": "America/Toronto"}


@pytest.fixture
def mailing(make_app, smtp_server):
    app = make_app(smtp_port=smtp_server.port, mail_from="pbx@acme.test")
    with app.app_context():
        account, user = make_account()
        yield app, app.test_client(), account, bearer(user)


def invite(client, account, headers, room, **person) -> dict:
    body = {"name": "Ann Lee", "email": "ann@example.com", "role": "participant", "language": "en", **person}
    response = client.post(f"{API}/accounts/{account.id}/conferences/{room['id']}/participants", json=body,
                           headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_single_use_invitation_has_the_code_the_local_time_and_an_ics(mailing, smtp_server):
    app, client, account, headers = mailing
    room = client.post(f"{API}/accounts/{account.id}/conferences", json=SINGLE, headers=headers).get_json()
    person = invite(client, account, headers, room)
    assert send_queued_emails(app) == 1
    [message] = smtp_server.messages
    assert message["To"] == "ann@example.com" and message["Subject"] == "Invitation: Budget, 2027"
    text = message.get_body(("plain",)).get_content()
    assert f"room number {room['room_number']} followed by #" in text
    assert f"access code {person['code']} followed by #" in text and "dial 8300" in text
    assert "2026-12-10 14:00 (America/Toronto), 90 min" in text
    [ics] = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    calendar = ics.get_content() if isinstance(ics.get_content(), str) else ics.get_content().decode()
    assert "DTSTART:20261210T190000Z" in calendar and "DTEND:20261210T203000Z" in calendar
    assert "SUMMARY:Budget\\, 2027" in calendar


def test_a_permanent_room_invitation_in_french_has_no_ics_and_resend_sends_again(mailing, smtp_server):
    app, client, account, headers = mailing
    room = client.post(f"{API}/accounts/{account.id}/conferences", json={"kind": "permanent", "title": "Équipe"},
                       headers=headers).get_json()
    person = invite(client, account, headers, room, language="fr", role="admin")
    send_queued_emails(app)
    url = f"{API}/accounts/{account.id}/conferences/{room['id']}/participants/{person['id']}/invitation"
    assert client.post(url, headers=headers).status_code == 202
    send_queued_emails(app)
    assert len(smtp_server.messages) == 2
    for message in smtp_server.messages:
        assert message["Subject"] == "Invitation : Équipe"
        assert "administrateur" in message.get_body(("plain",)).get_content()
        assert not [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
