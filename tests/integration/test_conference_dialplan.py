"""The phone entry of a room through real dialplan requests (recorded from FreeSWITCH, re-aimed
at 8300): room number, code, the caller let in by uuid, wrong codes counted per room, and
another account's room never reachable."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlencode

import pytest
import sqlalchemy as sa

from fs_service.conferences import rooms
from fs_service.db import db
from fs_service.models import ConferenceAttendance, ConferenceEntryFailure
from tests.factories import make_account, make_extension
from tests.helpers import xml_curl_body
from tests.integration.test_xml_curl_directory import post

RECORDING = ("park-and-retrieve", "0048-dialplan-700.form")  # phone 100 of acme.test dials 700


def dialed(stage: str = "", uuid: str = "conf-uuid-1", **variables) -> list[tuple[str, str]]:
    fields = [(k, v) for k, v in parse_qsl(xml_curl_body(*RECORDING).decode(), keep_blank_values=True)]
    fields = [(k, "8300" if k in ("Caller-Destination-Number", "Hunt-Destination-Number") else v)
              for k, v in fields if k not in ("Unique-ID", "variable_pbx_stage")]
    fields += [("Unique-ID", uuid), ("variable_pbx_stage", stage)]
    fields += [(f"variable_{k}", v) for k, v in variables.items()]
    return fields


def actions(client, fields) -> list[tuple[str, str]]:
    from lxml import etree
    response = post(client, urlencode(fields).encode())
    assert response.status_code == 200
    doc = etree.fromstring(response.data)
    return [(a.get("application"), a.get("data", "")) for a in doc.xpath("//action")]


@pytest.fixture
def room(app):
    account, user = make_account(name="Acme", sip_domain="acme.test")
    make_extension(account, number="100")
    room = rooms.create_room(account, user, {"kind": "permanent", "title": "Team", "language": "en"})
    db.session.commit()
    return room


def test_8300_asks_for_the_room_number(client, room):
    found = actions(client, dialed())
    assert ("answer", "") in found and ("set", "pbx_stage=conference-room:1") in found
    digits = [data.split() for app, data in found if app == "play_and_get_digits"]
    assert digits and digits[0][:6] == ["4", "5", "1", "8000", "#", "pbx/conf-enter-room.wav"]
    assert digits[0][7:] == ["pbx_conf_room", r"^\d{4}$"]
    assert found[-1] == ("transfer", "8300 XML acme.test")


def test_the_room_number_leads_to_the_code_question_in_the_room_language(client, room):
    found = actions(client, dialed("conference-room:1", pbx_conf_room=room.room_number))
    assert ("set", "sound_prefix=$${sound_prefix_en}") in found
    assert ("set", f"pbx_stage=conference-code:{room.id}.1") in found


def test_the_admin_code_joins_the_room_as_moderator_with_a_waiting_room(client, room):
    found = actions(client, dialed(f"conference-code:{room.id}.1", pbx_conf_code=room.admin_code))
    assert ("set", "conference_flags=wait-mod") in found
    assert ("conference", f"{room.room_number}-acme.test@en+flags{{moderator}}") in found
    attendance = db.session.scalar(sa.select(ConferenceAttendance))
    assert (attendance.uuid, attendance.role, attendance.joined_at) == ("conf-uuid-1", "admin", None)


def test_the_participant_code_joins_without_moderator(client, room):
    found = actions(client, dialed(f"conference-code:{room.id}.1", pbx_conf_code=room.access_code))
    assert ("conference", f"{room.room_number}-acme.test@en") in found


def test_a_wrong_code_is_stored_against_the_room(client, room):
    wrong = next(c for c in ("0000", "0001", "0002") if c not in rooms.room_codes(room))
    found = actions(client, dialed(f"conference-code:{room.id}.1", pbx_conf_code=wrong))
    assert not any(app == "conference" for app, _ in found)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConferenceEntryFailure)) == 1


def test_another_accounts_room_number_is_unknown_to_this_accounts_callers(client, room):
    other, user = make_account(name="Beta", sip_domain="beta.test")
    theirs = rooms.create_room(other, user, {"kind": "permanent", "title": "Theirs"})
    db.session.commit()
    found = actions(client, dialed("conference-room:1", pbx_conf_room=theirs.room_number))
    assert ("playback", "pbx/conf-bad-room.wav") in found
    found = actions(client, dialed(f"conference-code:{theirs.id}.1", pbx_conf_code=theirs.admin_code))
    assert not any(app == "conference" for app, _ in found)


def test_a_single_use_room_refuses_11_minutes_before_and_accepts_9_minutes_before(client, app):
    account, user = make_account(name="Acme", sip_domain="acme.test")
    make_extension(account, number="100")
    now = datetime.now(timezone.utc)
    early = rooms.create_room(account, user, {"kind": "single_use", "title": "Later", "duration_minutes": 60,
                                              "starts_at": now + timedelta(minutes=11), "timezone": "UTC"})
    soon = rooms.create_room(account, user, {"kind": "single_use", "title": "Soon", "duration_minutes": 60,
                                             "starts_at": now + timedelta(minutes=9), "timezone": "UTC"})
    db.session.commit()
    refused = actions(client, dialed("conference-room:1", pbx_conf_room=early.room_number))
    accepted = actions(client, dialed("conference-room:1", pbx_conf_room=soon.room_number))
    assert ("playback", "pbx/conf-too-early.wav") in refused and refused[-1][0] == "hangup"
    assert ("set", f"pbx_stage=conference-code:{soon.id}.1") in accepted

