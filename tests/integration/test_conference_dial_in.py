"""The dial-in on a company number (CONF-3): a caller in the number's welcome menu types 8300 and
is sent to the conference entry in the account's context, where it is a guest."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from fs_service.conferences import rooms
from fs_service.db import db
from fs_service.numbers import rules as numbers, treatments
from tests.helpers import xml_curl_body
from tests.integration.test_public_calls import DID_CALL, acme, actions  # noqa: F401
from tests.integration.test_public_menu import in_menu, menu  # noqa: F401
from tests.integration.test_xml_curl_directory import post


def as_guest_in(domain: str, **variables) -> bytes:
    """The carrier's call after that transfer: same channel, now in the account's context."""
    fields = [(k, v) for k, v in parse_qsl(xml_curl_body(*DID_CALL).decode(), keep_blank_values=True)]
    swap = {"Caller-Context": domain, "Hunt-Context": domain, "Caller-Destination-Number": "8300",
            "Hunt-Destination-Number": "8300"}
    fields = [(k, swap.get(k, v)) for k, v in fields] + [(f"variable_{k}", v) for k, v in variables.items()]
    return urlencode(fields).encode()


def test_8300_typed_in_the_menu_transfers_to_the_entry_which_takes_the_guest_in(client, acme, menu):
    account, number, _ = acme
    assert actions(client, in_menu(number, menu.id, "8300"))[-1] == ("transfer", "8300 XML acme.test")
    room = rooms.create_room(account, None, {"kind": "permanent", "title": "Clients", "language": "en"})
    db.session.commit()
    asked = post(client, as_guest_in("acme.test")).data
    assert b"pbx/conf-enter-room.wav" in asked
    joined = post(client, as_guest_in("acme.test", pbx_stage=f"conference-code:{room.id}.1",
                                      pbx_conf_code=room.access_code)).data
    assert f'data="{room.room_number}-acme.test@en"'.encode() in joined


def test_a_number_whose_treatment_is_the_conference_entry_sends_the_carrier_call_there(client, acme):
    account, number, _ = acme
    entry = treatments.create_treatment(account, kind="conference")
    numbers.update_number(account, number, dict(open_treatment_id=entry.id, closed_treatment_id=entry.id))
    db.session.commit()
    assert treatments.describe_treatment(entry) == "conference"
    assert actions(client, xml_curl_body(*DID_CALL))[-1] == ("transfer", "8300 XML acme.test")
    assert b"pbx/conf-enter-room.wav" in post(client, as_guest_in("acme.test")).data
