"""The ``ivr.conf`` configuration request (NOTES §9.10): answered live with exactly the menu
the call is running, strictly in the shape mod_dptools' ``ivr`` app reads; other files stay
static, and no menu is served across accounts."""
from __future__ import annotations

from lxml import etree

from fs_service.db import db
from fs_service.numbers import menus, rules as numbers
from tests.factories import make_account
from tests.helpers import xml_curl_body
from tests.integration.test_public_calls import acme  # noqa: F401
from tests.integration.test_public_menu import menu  # noqa: F401
from tests.integration.test_xml_curl_directory import post

IVR_CONF = ("welcome-menu-ivr", "0032-configuration-ivr.conf.form")


def ivr_conf(client, menu_name: str, number_id) -> etree._Element:
    """The recorded ``ivr.conf`` request, for our menu name and the call's number."""
    body = xml_curl_body(*IVR_CONF).replace(b"Menu-Name=acme_welcome", f"Menu-Name={menu_name}".encode())
    response = post(client, body + f"&variable_pbx_number_id={number_id}".encode())
    assert response.status_code == 200 and b"<?" not in response.data
    return etree.fromstring(response.data)


def test_ivr_conf_request_is_answered_with_the_menu(client, acme, menu):
    doc = ivr_conf(client, f"pbx_menu_{menu.id}", acme[1].id)
    found = doc.xpath("/document/section[@name='configuration']/configuration[@name='ivr.conf']/menus/menu")
    assert len(found) == 1
    element = found[0]
    assert dict(element.attrib) == {
        "name": f"pbx_menu_{menu.id}", "greet-long": "pbx/vm-greeting-menu.wav",
        "invalid-sound": "pbx/menu-invalid.wav", "timeout": "6000", "inter-digit-timeout": "2000",
        "max-failures": "2", "max-timeouts": "2", "digit-len": "5"}
    entries = [(e.get("action"), e.get("digits"), e.get("param")) for e in element.xpath("entry")]
    assert entries == [("menu-exec-app", "1", "transfer 1 XML public"),
                       ("menu-exec-app", r"/^(\d{2,5})$/", "transfer $1 XML public")]


def test_menu_without_dial_by_extension_still_accepts_8500_and_8400(client, acme, menu):
    menus.update_menu(acme[0], menu, dict(dial_by_extension=False, greeting_path=None))
    db.session.commit()
    element = ivr_conf(client, f"pbx_menu_{menu.id}", acme[1].id).xpath("//menu")[0]
    assert element.get("greet-long") == "pbx/menu-default-greeting.wav" and element.get("digit-len") == "4"
    assert [e.get("digits") for e in element.xpath("entry")] == ["1", "8500", "8400"]


def test_ivr_conf_never_serves_another_accounts_menu(client, acme, menu):
    other, _ = make_account(name="Beta", sip_domain="beta.test")
    foreign = numbers.create_number(other, "+15145550177")
    db.session.commit()
    assert ivr_conf(client, f"pbx_menu_{menu.id}", foreign.id).xpath("//result/@status") == ["not found"]
    assert ivr_conf(client, "acme_welcome", acme[1].id).xpath("//result/@status") == ["not found"]


def test_other_configuration_files_stay_static(client, acme):
    body = xml_curl_body("startup", "0008-configuration-voicemail.conf.form")
    assert etree.fromstring(post(client, body).data).xpath("//result/@status") == ["not found"]
