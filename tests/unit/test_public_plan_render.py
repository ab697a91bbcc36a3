"""The public plan's own steps rendered for FreeSWITCH: ``ivr``, the closure recording hand-over,
and the ``ivr.conf`` document in exactly the shape mod_dptools reads."""
from __future__ import annotations

from lxml import etree

from fs_service.callplan.ivr_menu import ivr_menu
from fs_service.callplan.public_model import MenuSnapshot
from fs_service.calls.steps import Ivr, Plan, RecordClosure
from xml_curl.configuration import ivr_document
from xml_curl.dialplan import RenderOptions, render

OPTIONS = RenderOptions("127.0.0.1:8084")


def actions(plan: Plan) -> list[tuple[str, str]]:
    doc = etree.fromstring(render(plan, "public", OPTIONS))
    return [(a.get("application"), a.get("data", "")) for a in doc.xpath("//action")]


def test_ivr_step_runs_the_named_menu():
    assert actions(Plan.of(Ivr("pbx_menu_3"))) == [("ivr", "pbx_menu_3")]


def test_closure_recording_goes_to_the_ivr_engine_socket_with_the_number():
    assert actions(Plan.of(RecordClosure("acme.test", 4))) == [
        ("set", "pbx_vm_action=closure-record"), ("set", "pbx_closure_number_id=4"),
        ("set", "pbx_vm_domain=acme.test"), ("set", "pbx_vm_fallback=pbx/vm-service-unavailable.wav"),
        ("socket", "127.0.0.1:8084 async full"), ("answer", ""), ("playback", "${pbx_vm_fallback}"),
        ("hangup", "NORMAL_CLEARING")]
    assert ("set", "pbx_closure_number_id=") in actions(Plan.of(RecordClosure("acme.test")))


def test_ivr_conf_document_is_exactly_what_freeswitch_reads():
    menu = MenuSnapshot(3, 1, language="en", greeting="/var/lib/pbx/g.wav", timeout_seconds=4, repeat_count=2,
                        keys={"0": 11, "1": 10})
    xml = ivr_document(ivr_menu(menu)).decode()
    assert "<?" not in xml
    assert xml == (
        '<document type="freeswitch/xml">\n'
        '  <section name="configuration">\n'
        '    <configuration name="ivr.conf" description="PBX welcome menus">\n'
        '      <menus>\n'
        '        <menu name="pbx_menu_3" greet-long="/var/lib/pbx/g.wav" invalid-sound="pbx/menu-invalid.wav" '
        'timeout="4000" inter-digit-timeout="2000" max-failures="2" max-timeouts="2" digit-len="5">\n'
        '          <entry action="menu-exec-app" digits="0" param="transfer 0 XML public"/>\n'
        '          <entry action="menu-exec-app" digits="1" param="transfer 1 XML public"/>\n'
        '          <entry action="menu-exec-app" digits="/^(\\d{2,5})$/" param="transfer $1 XML public"/>\n'
        '        </menu>\n'
        '      </menus>\n'
        '    </configuration>\n'
        '  </section>\n'
        '</document>\n')
