"""Adding a participant and calling them into the running room now (CONF-6): the call leaves
from the node hosting the room through the account's carrier, with the toll rules of the admin
asking; the ``add-member`` event that follows knows who it is (name, role)."""
from __future__ import annotations

import re

import sqlalchemy as sa

from fs_service.db import db
from fs_service.models import AuditEvent, ConferenceAttendance, ConferenceParticipant, Gateway, PhoneNumber
from tests.factories import PASSWORD, make_extension, make_user
from tests.helpers import ui_login, until
from tests.integration.test_api_support import API, bearer
from tests.integration.test_conference_waiting_room import WAIT_MOD, room_numbered, split_at
from tests.integration.test_esl_listener_support import esl, event_frames, fake_fs, tenants  # noqa: F401 - fixtures

ORIGINATE = re.compile(r"bgapi originate \{origination_uuid=([0-9a-f-]{36}),origination_caller_id_name=Acme,"
                       r"origination_caller_id_number=15145550100,originate_timeout=45,pbx_conf_expected=true\}"
                       r"sofia/gateway/carrier/(\d+) &conference\(3001-acme\.test@fr(\+flags\{moderator\})?\)$")


def carrier_room(tenants):
    """Room 3001 of acme (French), which calls out through "carrier" showing +1 514 555 0100."""
    acme = tenants["acme"]
    db.session.add(Gateway(name="carrier", proxy="sip.carrier.example"))
    db.session.add(PhoneNumber(account_id=acme.id, e164="+15145550100", label="Main"))
    return acme, room_numbered(acme, "3001", language="fr")


def start(esl) -> None:
    """The recorded room starts on node fs1: a participant then an admin join. ``api bgapi
    originate`` answers the job id at once (mod_commands' bgapi; proven on the real switch)."""
    esl.fake.set_reply("bgapi originate ", "+OK Job-UUID: 7f9c1a52-0000-4000-8000-000000000001\n")
    esl.send(split_at(event_frames(WAIT_MOD), "add-member", "moderator")[0])


def admin_with_extension(acme, **toll):
    admin = make_user(acme, role="admin")
    ext = make_extension(acme, number="106", user=admin)
    for name, mode in toll.items():
        setattr(ext, name, mode)
    db.session.commit()
    return admin


def add(client, acme, room, admin, **body):
    return client.post(f"{API}/accounts/{acme.id}/conferences/{room.id}/participants", headers=bearer(admin),
                       json={"name": "Zoé", "email": "zoe@example.test", "invite": False, **body})


def originates(fake) -> list[str]:
    return [c for c in fake.api_commands() if "originate" in c]


def test_call_now_places_the_call_into_the_room_on_its_node_and_is_audited(client, esl, tenants):
    acme, room = carrier_room(tenants)
    start(esl)
    admin = admin_with_extension(acme)
    response = add(client, acme, room, admin, role="admin", phone="5145559876", call_now=True)
    assert response.status_code == 201, response.get_json()
    line, = originates(esl.fake)
    uuid, number, moderator = ORIGINATE.match(line).groups()
    assert number == "15145559876" and moderator  # the account's carrier format; an admin joins as moderator
    expected = db.session.scalar(sa.select(ConferenceAttendance).where(ConferenceAttendance.uuid == uuid))
    person = db.session.get(ConferenceParticipant, response.get_json()["id"])
    assert (expected.role, expected.participant_id, expected.name) == ("admin", person.id, "Zoé")
    audit = until(lambda: db.session.scalar(sa.select(AuditEvent).where(AuditEvent.actor_id == admin.id,
                                                                        AuditEvent.object_type == "freeswitch")))
    assert uuid in repr(audit.changes)


def test_toll_rules_of_the_admin_apply_and_a_refused_call_keeps_nothing(client, esl, tenants):
    acme, room = carrier_room(tenants)
    start(esl)
    admin = admin_with_extension(acme, long_distance="code")
    long_distance = add(client, acme, room, admin, phone="4165551234", call_now=True)
    assert long_distance.status_code == 400 and long_distance.get_json()["error_id"] == "toll_barred"
    international = add(client, acme, room, admin, phone="011442071234567", call_now=True)
    assert international.status_code == 400  # international: disabled by default
    assert add(client, acme, room, admin, phone="911", call_now=True).status_code == 400
    assert originates(esl.fake) == [] and db.session.scalar(sa.select(sa.func.count(ConferenceParticipant.id))) == 0
    local = add(client, acme, room, admin, phone="5145559876", call_now=True)
    assert local.status_code == 201 and len(originates(esl.fake)) == 1  # local is always allowed


def test_call_now_needs_a_number_and_a_running_room(client, esl, tenants):
    acme, room = carrier_room(tenants)
    admin = admin_with_extension(acme)
    missing = add(client, acme, room, admin, call_now=True)
    assert missing.status_code == 400 and "phone" in repr(missing.get_json())
    idle = add(client, acme, room, admin, phone="5145559876", call_now=True)
    assert idle.status_code == 409 and idle.get_json()["error_id"] == "room_not_running"
    assert db.session.scalar(sa.select(sa.func.count(ConferenceParticipant.id))) == 0


def test_the_widget_form_calls_the_new_participant_or_says_why_not(client, esl, tenants):
    acme, room = carrier_room(tenants)
    admin = admin_with_extension(acme)
    ui_login(client, admin.email, PASSWORD)
    url = f"/accounts/{acme.id}/conferences/{room.id}"
    form = {"name": "Zoé", "email": "zoe@example.test", "role": "participant", "language": "fr",
            "phone": "5145559876", "call_now": "on"}
    idle = client.post(f"{url}/participants", data=form)
    assert idle.status_code == 400 and "La conférence n&#39;est pas en cours" in idle.text
    assert 'value="5145559876"' in idle.text  # what was typed is kept
    assert db.session.scalar(sa.select(sa.func.count(ConferenceParticipant.id))) == 0
    start(esl)
    assert client.post(f"{url}/participants", data=form).status_code == 302
    line, = originates(esl.fake)
    assert ORIGINATE.match(line).group(2) == "15145559876"
    assert "15145559876" in client.get(url).text  # "calling … they join the room when they answer"


def test_a_called_participant_who_does_not_answer_is_shown_so_in_the_widget(client, esl, tenants):
    acme, room = carrier_room(tenants)
    start(esl)
    admin = admin_with_extension(acme)
    person = add(client, acme, room, admin, phone="5145559876", call_now=True).get_json()
    uuid = ORIGINATE.match(originates(esl.fake)[0])[1]
    ui_login(client, admin.email, PASSWORD)
    page = f"/accounts/{acme.id}/conferences/{room.id}"
    assert 'data-call="calling">· Appel en cours…' in client.get(page).text
    esl.inject({"Event-Name": "CHANNEL_HANGUP_COMPLETE", "Unique-ID": uuid, "Hangup-Cause": "NO_ANSWER",
                "Answer-State": "hangup", "variable_pbx_conf_expected": "true"})
    db.session.expire_all()
    row = db.session.scalar(sa.select(ConferenceAttendance).where(ConferenceAttendance.uuid == uuid))
    assert row.joined_at is None and row.left_at is not None and row.participant_id == person["id"]
    assert 'data-call="no_answer">· Pas de réponse (raccroché avant d\'entrer)' in client.get(page).text
