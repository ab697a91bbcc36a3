"""Helpers shared by the settings tests (no tests here; named test_settings_* to live beside them).

The company is the one of the recorded FreeSWITCH requests: acme.test, extension 100 (Alice)
calls 101 / 102 / 5145559876. Settings are saved through the REST API, as a client would, and
the next recorded dialplan request shows whether they are live.
"""
from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import quote

import pytest
from lxml import etree

from fs_service.db import db
from fs_service.models import Extension, Gateway, PhoneNumber
from tests.factories import make_account, make_extension, make_user
from tests.helpers import xml_curl_body
from tests.integration.test_api_support import API, bearer
from tests.integration.test_xml_curl_directory import post

CALL_101 = ("internal-call-answered", "0031-dialplan-101.form")  # 100 (Alice) calls 101
CALL_102 = ("internal-call-no-answer", "0034-dialplan-102.form")  # 100 calls 102
CALL_OUT = ("outbound-external-call", "0046-dialplan-5145559876.form")  # 100 calls 5145559876
VOICEMAIL_101 = [("set", "pbx_vm_action=deposit"), ("set", "pbx_vm_box=101"), ("set", "pbx_vm_domain=acme.test"),
                 ("set", "pbx_vm_greeting=auto"), ("set", "pbx_vm_skip_greeting=false"),
                 ("set", "pbx_vm_fallback=pbx/vm-service-unavailable.wav"), ("socket", "127.0.0.1:8084 async full"),
                 ("answer", ""), ("playback", "${pbx_vm_fallback}"), ("hangup", "NORMAL_CLEARING")]


@pytest.fixture
def acme(app):
    """The recorded calls' company, its admin's API headers and Alice (user of extension 100)."""
    account, admin = make_account(name="Acme", sip_domain="acme.test")
    alice = make_user(account, first_name="Alice", last_name="Tremblay")
    exts = {"100": make_extension(account, number="100", user=alice)}
    exts.update({n: make_extension(account, number=n) for n in ("101", "102", "105")})
    db.session.add(PhoneNumber(account_id=account.id, e164="+15145550100", label="Main"))
    db.session.add(PhoneNumber(account_id=account.id, e164="+15145550199", label="Sales"))
    db.session.add(Gateway(name="carrier", proxy="sip.carrier.example"))
    db.session.commit()
    return SimpleNamespace(account=account, admin=admin, alice=alice, exts=exts, headers=bearer(admin))


def settings_url(acme, number: str) -> str:
    return f"{API}/accounts/{acme.account.id}/extensions/{acme.exts[number].id}/settings"


def save(client, acme, number: str, **settings) -> dict:
    """PATCH the settings of extension ``number`` as the account admin; the save must succeed."""
    response = client.patch(settings_url(acme, number), json=settings, headers=acme.headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def body(recording: tuple[str, str], destination: str | None = None, **variables: str) -> bytes:
    """A recorded request, optionally as if ``destination`` had been dialed, with channel
    variables added as FreeSWITCH sends them on re-entry (``variable_<name>=<value>``)."""
    data = xml_curl_body(*recording)
    if destination is not None:
        dialed = recording[1].split("-", 2)[2].removesuffix(".form")
        for field in (b"Caller-Destination-Number=", b"Hunt-Destination-Number="):
            data = data.replace(field + dialed.encode(), field + quote(destination).encode())
    extra = "".join(f"&variable_{name}={quote(value)}" for name, value in variables.items())
    return data + extra.encode()


def actions(client, recording: tuple[str, str], destination: str | None = None, **variables: str):
    """The rendered dialplan actions, in order, as (application, data)."""
    response = post(client, body(recording, destination, **variables))
    assert response.status_code == 200 and b"<?" not in response.data
    doc = etree.fromstring(response.data)
    return [(a.get("application"), a.get("data", "")) for a in doc.xpath("//action")]


def bridges(found) -> list[str]:
    return [data for app, data in found if app == "bridge"]


def ring(timeout: int, dial: str) -> list[tuple[str, str]]:
    """What a plain Ring step renders to."""
    return [("set", f"call_timeout={timeout}"), ("set", "continue_on_fail=true"),
            ("set", "hangup_after_bridge=true"), ("bridge", dial)]


def opening(number: str = "101", language: str = "fr") -> list[tuple[str, str]]:
    """Language, then "ringing" bookkeeping for call pickup: how every call to an extension starts."""
    return [("set", f"default_language={language}"), ("set", f"sound_prefix=$${{sound_prefix_{language}}}"),
            ("hash", f"insert/acme.test-ringing/{number}/${{uuid}}"),
            ("set", f"api_on_answer=hash delete/acme.test-ringing/{number}")]


def stored(ext: Extension, name: str):
    db.session.expire_all()
    return getattr(ext, name)
