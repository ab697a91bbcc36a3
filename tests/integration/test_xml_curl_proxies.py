"""The xml_curl source gate behind a load balancer (PBX_TRUSTED_PROXIES, pbx/proxies.py)."""
from __future__ import annotations

import base64

import pytest

from tests.helpers import xml_curl_body

URL = "/freeswitch/xml"
FREESWITCH, BALANCER, STRANGER = "192.0.2.10", "10.1.0.3", "203.0.113.9"
HEADERS = {"Authorization": "Basic " + base64.b64encode(b"freeswitch:xml-secret").decode(),
           "Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def client(make_app):
    app = make_app(xml_curl_allowed=f"{FREESWITCH}/32", trusted_proxies="10.1.0.0/24")
    with app.app_context():
        yield app.test_client()


def post(client, peer: str, forwarded_for: str | None = None):
    headers = dict(HEADERS, **({"X-Forwarded-For": forwarded_for} if forwarded_for else {}))
    return client.post(URL, data=xml_curl_body("internal-call-answered", "0030-directory-sip_auth.form"),
                       headers=headers, environ_base={"REMOTE_ADDR": peer})


def test_freeswitch_behind_a_trusted_balancer_is_allowed(client):
    assert post(client, BALANCER, FREESWITCH).status_code == 200


def test_the_balancer_itself_is_not_the_freeswitch(client):
    assert post(client, BALANCER).status_code == 403
    assert post(client, BALANCER, STRANGER).status_code == 403


def test_forged_forwarding_from_an_untrusted_peer_does_not_get_in(client):
    assert post(client, STRANGER, FREESWITCH).status_code == 403
    assert post(client, STRANGER, f"{FREESWITCH}, {BALANCER}").status_code == 403


def test_without_trusted_proxies_the_header_is_ignored(make_app):
    app = make_app(xml_curl_allowed=f"{FREESWITCH}/32")
    with app.app_context():
        client = app.test_client()
        assert post(client, BALANCER, FREESWITCH).status_code == 403
        assert post(client, FREESWITCH, STRANGER).status_code == 200
