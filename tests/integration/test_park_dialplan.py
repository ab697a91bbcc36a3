"""Recorded 700 / 701 dialplan requests answered with the park plan of the caller's own lot."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import pytest

from fs_service.db import db
from tests.factories import make_account, make_extension
from tests.helpers import xml_curl_body
from tests.integration.test_dialplan_requests import actions
from tests.integration.test_xml_curl_directory import post

PARK_700 = ("park-and-retrieve", "0048-dialplan-700.form")  # 100 dials 700
PICK_701 = ("park-and-retrieve", "0050-dialplan-701.form")  # 101 dials 701


@pytest.fixture
def two_accounts(app):
    acme, _ = make_account(name="Acme", sip_domain="acme.test")
    beta, _ = make_account(name="Beta", sip_domain="beta.test")
    for number in ("100", "101"):
        make_extension(acme, number=number).music_on_hold = "moh"
    db.session.commit()
    make_extension(beta, number="200")
    return acme, beta


def as_beta(recording) -> bytes:
    """The same request as phone 200 of beta.test would send it."""
    fields = parse_qsl(xml_curl_body(*recording).decode(), keep_blank_values=True)
    swap = {"acme.test": "beta.test", "100": "200", "101": "200"}
    return urlencode([(k, swap.get(v, v)) for k, v in fields]).encode()


def test_700_parks_in_the_accounts_own_lot_and_rings_the_parker_back(client, two_accounts):
    found = actions(client, PARK_700)
    assert found == [
        ("answer", ""), ("set", "valet_parking_timeout=120"), ("set", "valet_parking_orbit_exten=100"),
        ("set", "valet_parking_orbit_dialplan=XML"), ("set", "valet_parking_orbit_context=acme.test"),
        ("set", "valet_hold_music=local_stream://moh"), ("valet_park", "acme.test auto in 701 709"),
        ("hangup", "NORMAL_CLEARING")]


def test_701_retrieves_from_the_accounts_own_lot(client, two_accounts):
    found = actions(client, PICK_701)
    assert ("valet_park", "acme.test auto out 701 701") in found
    assert found[0] == ("answer", "") and found[-1] == ("hangup", "NORMAL_CLEARING")


def test_two_accounts_park_in_separate_lots_so_each_gets_its_own_701(client, two_accounts):
    acme_park = dict(actions(client, PARK_700))["valet_park"]
    beta_response = post(client, as_beta(PARK_700))
    assert b'name="beta.test"' in beta_response.data
    assert b'data="beta.test auto in 701 709"' in beta_response.data
    assert b"valet_parking_orbit_exten=200" in beta_response.data
    assert acme_park == "acme.test auto in 701 709"
    assert b'data="beta.test auto out 701 701"' in post(client, as_beta(PICK_701)).data


def test_the_park_timeout_comes_from_the_settings(make_app):
    app = make_app(park_timeout_seconds=45)
    with app.app_context():
        account, _ = make_account(sip_domain="acme.test")
        make_extension(account, number="100")
        found = actions(app.test_client(), PARK_700)
    assert ("set", "valet_parking_timeout=45") in found
