"""The directory door answered with the real request bodies FreeSWITCH 1.11 sent."""
from __future__ import annotations

import base64
import hashlib
import logging

import pytest
from lxml import etree

from fs_service.db import db
from fs_service.models import Gateway
from tests.factories import make_account, make_extension, make_user
from tests.helpers import xml_curl_body

URL = "/freeswitch/xml"


def basic(user: str = "freeswitch", password: str = "xml-secret") -> dict:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}", "Content-Type": "application/x-www-form-urlencoded"}


def post(client, body: bytes, headers: dict | None = None, remote: str = "127.0.0.1"):
    return client.post(URL, data=body, headers=basic() if headers is None else headers, environ_base={"REMOTE_ADDR": remote})


@pytest.fixture
def acme(app):
    account, admin = make_account(name="Acme", sip_domain="acme.test")
    alice = make_user(account, first_name="Alice", last_name="Tremblay")
    exts = {n: make_extension(account, number=n) for n in ("101", "102", "105")}
    exts["100"] = make_extension(account, number="100", user=alice)
    return account, exts


def parse(response) -> etree._Element:
    assert response.status_code == 200
    assert b"<?" not in response.data  # FreeSWITCH's pre-processor drops such lines
    return etree.fromstring(response.data)


def user_element(doc: etree._Element, user: str) -> etree._Element:
    found = doc.xpath(f"/document/section[@name='directory']/domain/groups/group/users/user[@id='{user}']")
    assert len(found) == 1
    return found[0]


def variables(user: etree._Element) -> dict[str, str]:
    return {v.get("name"): v.get("value") for v in user.xpath("variables/variable")}


def test_sip_auth_returns_a1_hash_of_user_realm_password_and_never_the_password(client, acme):
    account, exts = acme
    doc = parse(post(client, xml_curl_body("internal-call-answered", "0030-directory-sip_auth.form")))
    user = user_element(doc, "100")
    params = {p.get("name"): p.get("value") for p in user.xpath("params/param")}
    expected = hashlib.md5(f"100:acme.test:{exts['100'].sip_password}".encode()).hexdigest()
    assert params["a1-hash"] == expected
    assert "password" not in params and exts["100"].sip_password.encode() not in client.post(
        URL, data=xml_curl_body("internal-call-answered", "0030-directory-sip_auth.form"), headers=basic()).data
    assert params["allow-empty-password"] == "false"
    assert int(user.get("cacheable")) > 0
    assert doc.xpath("/document/@type") == ["freeswitch/xml"]
    assert doc.xpath("/document/section/domain/@name") == ["acme.test"]


def test_sip_auth_user_variables_carry_context_caller_id_and_language(client, acme):
    account, exts = acme
    doc = parse(post(client, xml_curl_body("internal-call-answered", "0030-directory-sip_auth.form")))
    found = variables(user_element(doc, "100"))
    assert found["user_context"] == "acme.test"
    assert found["effective_caller_id_name"] == "Alice Tremblay"
    assert found["effective_caller_id_number"] == "100"
    assert found["default_language"] == "fr"
    assert found["pbx_account_id"] == str(account.id)
    assert found["toll_allow"] == "local,long_distance"


def test_domain_carries_a_dial_string_built_on_sofia_contact(client, acme):
    doc = parse(post(client, xml_curl_body("internal-call-answered", "0032-directory-user_call.form")))
    dial = doc.xpath("/document/section/domain/params/param[@name='dial-string']/@value")[0]
    assert "${sofia_contact(*/${dialed_user}@${dialed_domain})}" in dial
    user_element(doc, "101")


@pytest.mark.parametrize("scenario,name", [
    ("registration", "0021-directory-message-count.form"),
    ("voicemail-check", "0060-directory-sip_auth.form"),
])
def test_other_directory_actions_get_the_same_user(client, acme, scenario, name):
    account, _ = make_account(sip_domain="beta.test")
    make_extension(account, number="200")
    body = xml_curl_body(scenario, name)
    user = "200" if b"beta.test" in body else "102"
    user_element(parse(post(client, body)), user)


def test_unknown_user_and_wrong_domain_get_the_not_found_document(client, acme):
    body = xml_curl_body("internal-call-answered", "0030-directory-sip_auth.form")
    for old, new in ((b"user=100", b"user=199"), (b"domain=acme.test", b"domain=other.test")):
        doc = parse(post(client, body.replace(old, new)))
        assert doc.xpath("/document/section[@name='result']/result/@status") == ["not found"]


def test_a_nul_byte_is_a_miss_answered_before_any_query(client, acme, caplog):
    """PostgreSQL refuses NUL in any text parameter (a DataError: once the fuzzer's finding)."""
    body = xml_curl_body("internal-call-answered", "0030-directory-sip_auth.form")
    for old, new in ((b"domain=acme.test", b"domain=acme%00.test"), (b"user=100", b"user=1%000")):
        with caplog.at_level(logging.ERROR, logger="pbx.xml_curl"):
            doc = parse(post(client, body.replace(old, new)))
        assert doc.xpath("/document/section[@name='result']/result/@status") == ["not found"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_unauthenticated_or_foreign_requests_are_refused(client, acme):
    body = xml_curl_body("internal-call-answered", "0030-directory-sip_auth.form")
    assert post(client, body, headers={}).status_code == 401
    assert post(client, body, headers=basic(password="wrong")).status_code == 401
    assert post(client, body, remote="203.0.113.9").status_code == 403


def test_unhandled_sections_and_malformed_bodies_get_not_found_never_an_error(client, acme):
    for body in (xml_curl_body("startup", "0001-configuration-db.conf.form"), b"garbage=%%%&&", b""):
        doc = parse(post(client, body))
        assert doc.xpath("//result/@status") == ["not found"]


def test_softphone_registers_with_its_own_credentials_and_shows_the_extension(client, acme):
    from fs_service.extensions import rules as extensions
    account, exts = acme
    phone = extensions.create_softphone(account, exts["101"], "laptop")
    db.session.commit()
    body = xml_curl_body("internal-call-answered", "0030-directory-sip_auth.form").replace(
        b"user=100&", f"user={phone.sip_username}&".encode())
    user = user_element(parse(post(client, body)), phone.sip_username)
    params = {p.get("name"): p.get("value") for p in user.xpath("params/param")}
    assert params["a1-hash"] == hashlib.md5(
        f"{phone.sip_username}:acme.test:{phone.sip_password}".encode()).hexdigest()
    assert variables(user)["effective_caller_id_number"] == "101"
    ext_doc = parse(post(client, xml_curl_body("internal-call-answered", "0032-directory-user_call.form")))
    dial = ext_doc.xpath("//user[@id='101']/params/param[@name='dial-string']/@value")[0]
    assert f"sofia_contact(*/{phone.sip_username}@acme.test)" in dial


def test_untrusted_values_cannot_reach_the_preprocessor(client, acme):
    account, exts = acme
    exts["100"].caller_id_name = "Evil $${xml_curl_password} <?xml"
    db.session.commit()
    response = post(client, xml_curl_body("internal-call-answered", "0030-directory-sip_auth.form"))
    assert b"$${" not in response.data and b"<?" not in response.data
    assert variables(user_element(parse(response), "100"))["effective_caller_id_name"].startswith("Evil $$ {")


def sofia_gateways(doc: etree._Element) -> dict[str, dict[str, str]]:
    """The gateways mod_sofia would create from a purpose=gateways reply, found exactly where
    sofia.c parse_domain_tag looks: each <domain> of the directory section, then its
    <user>/<gateways> and its <groups>/<group>/<users>/<user>/<gateways> (the first <gateways>
    of a user only, as switch_xml_child). A <gateways> anywhere else creates nothing. Params are
    read as parse_gateways does: from <params> when present, else direct <param> children."""
    found: dict[str, dict[str, str]] = {}
    for domain in doc.xpath("/document/section[@name='directory']/domain"):
        for user in domain.xpath("user | groups/group/users/user"):
            gateways = user.find("gateways")
            for gateway in [] if gateways is None else gateways.findall("gateway"):
                holder = gateway.find("params") if gateway.find("params") is not None else gateway
                found[gateway.get("name")] = {p.get("name"): p.get("value") for p in holder.findall("param")}
    return found


def test_the_gateway_reader_ignores_gateways_where_sofia_does_not_look():
    gateway = '<gateways><gateway name="{}"><param name="proxy" value="p.example"/></gateway></gateways>'
    doc = etree.fromstring(
        '<document type="freeswitch/xml"><section name="directory"><domain name="d">'
        + gateway.format("under-domain")
        + '<user id="u">' + gateway.format("in-user") + gateway.format("second-gateways") + "</user>"
        + '<groups><group name="g"><users><user id="v">' + gateway.format("in-group")
        + "</user></users></group></groups></domain></section></document>")
    assert list(sofia_gateways(doc)) == ["in-user", "in-group"]


def test_gateways_request_at_startup_lists_carrier_gateways_for_the_carrier_profile(client, acme):
    db.session.add(Gateway(name="carrier1", proxy="sip.carrier.example", register=False))
    db.session.commit()
    body = xml_curl_body("startup", "0015-directory-.form")
    internal = parse(post(client, body))
    assert "acme.test" in internal.xpath("//domain/@name") and not internal.xpath("//gateway")
    external = parse(post(client, body.replace(b"profile=internal", b"profile=external")))
    assert sofia_gateways(external) == {"carrier1": {
        "proxy": "sip.carrier.example", "register": "false", "username": "none", "password": "none",
        "caller-id-in-from": "true"}}


def test_the_user_holding_the_gateways_can_never_log_in(client, acme):
    db.session.add(Gateway(name="carrier1", proxy="sip.carrier.example", register=False))
    db.session.commit()
    startup = xml_curl_body("startup", "0015-directory-.form").replace(b"profile=internal", b"profile=external")
    holder = parse(post(client, startup)).xpath("//section/domain/user")[0]
    params = {p.get("name"): p.get("value") for p in holder.findall("params/param")}
    assert params == {"allow-empty-password": "false", "sip-forbid-register": "true"}
    auth = xml_curl_body("internal-call-answered", "0030-directory-sip_auth.form")
    domain, user = holder.getparent().get("name").encode(), holder.get("id").encode()
    asked = auth.replace(b"user=100", b"user=" + user).replace(b"domain=acme.test", b"domain=" + domain)
    doc = parse(post(client, asked))
    assert doc.xpath("/document/section[@name='result']/result/@status") == ["not found"]
