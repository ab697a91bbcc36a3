"""The renderer turns plan steps into exactly the actions FreeSWITCH needs (golden files)."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from fs_service.callplan.extension_call import plan_extension
from fs_service.calls.model import FollowMe
from fs_service.calls.steps import Confirm, Plan, Ring, Set, Target, Voicemail
from tests.unit.test_callplan_extension import ROUTING, ext
from xml_curl.dialplan import RenderOptions, render

GOLDEN = Path(__file__).parent.parent / "fixtures" / "golden"
OPTIONS = RenderOptions("127.0.0.1:8084")


def actions(xml: bytes) -> list[tuple[str, str]]:
    doc = etree.fromstring(xml)
    return [(a.get("application"), a.get("data", "")) for a in doc.xpath("//context/extension/condition/action")]


def check_golden(name: str, xml: bytes) -> None:
    path = GOLDEN / name
    assert path.exists(), f"golden file {path} missing: render it, review it, commit it"
    assert xml.decode() == path.read_text()


def test_plain_extension_call_matches_golden():
    xml = render(plan_extension(ext(), ROUTING), "acme.test", OPTIONS)
    check_golden("extension-plain.xml", xml)
    assert b"<?" not in xml


def test_follow_me_with_screening_matches_golden():
    fm = FollowMe("5145557777", 15, True, True, True, False, 1)
    xml = render(plan_extension(ext(follow_me=fm), ROUTING, caller_name="Client Inc",
                                caller_number="4185551234"), "acme.test", OPTIONS)
    check_golden("extension-follow-me.xml", xml)


def test_ring_sets_timeout_continue_on_fail_and_bridges_user_endpoint():
    found = actions(render(Plan.of(Ring((Target("user", "101@acme.test"),), 20)), "acme.test", OPTIONS))
    assert found == [("set", "call_timeout=20"), ("set", "continue_on_fail=true"),
                     ("set", "hangup_after_bridge=true"), ("bridge", "user/101@acme.test")]


def test_caller_id_with_spaces_is_single_quoted_and_list_delimiters_removed():
    ring = Ring((Target("gateway", "15145551234", gateway="carrier"),), 30,
                caller_id_name="Client, Inc {x}", caller_id_number="4185551234")
    bridge = actions(render(Plan.of(ring), "acme.test", OPTIONS))[-1]
    assert bridge == ("bridge", "{origination_caller_id_name='Client Inc x',origination_caller_id_number=4185551234}"
                                "sofia/gateway/carrier/15145551234")


def test_untrusted_caller_name_cannot_expand_variables():
    ring = Ring((Target("gateway", "15145551234", gateway="carrier"),), 30, caller_id_name="${system(reboot)}")
    bridge = actions(render(Plan.of(ring), "acme.test", OPTIONS))[-1][1]
    assert "${" not in bridge


def var_list(text: str) -> dict[str, str]:
    """``k=v,k=v`` of one ``{}``/``[]`` list (our values hold no comma once rendered)."""
    return dict(item.split("=", 1) for item in text.split(","))


# What mod_sofia 1.11.1 turns into From "Anonymous" <sip:anonymous@anonymous.invalid>,
# Privacy: id and P-Asserted-Identity "Acme" <sip:15145550100@...> (seen on a real switch).
HIDDEN_TO_CARRIER = {"origination_caller_id_name": "Acme", "origination_caller_id_number": "15145550100",
                     "origination_privacy": "screen+hide_name+hide_number", "sip_cid_type": "pid",
                     "sip_invite_from_uri": "sip:anonymous@anonymous.invalid", "sip_from_display": "Anonymous"}
PLAINLY_ANONYMOUS = {"origination_caller_id_name": "Anonymous", "origination_caller_id_number": "anonymous",
                     "origination_privacy": "hide_name+hide_number", "sip_cid_type": "pid"}


def test_hidden_caller_id_asserts_the_real_number_to_the_carrier_behind_an_anonymous_from():
    ring = Ring((Target("gateway", "15145551234", gateway="carrier"),), 30, caller_id_name="Acme",
                caller_id_number="15145550100", privacy=True)
    bridge = actions(render(Plan.of(ring), "acme.test", OPTIONS))[-1][1]
    assert bridge.startswith("{") and bridge.endswith("}sofia/gateway/carrier/15145551234")
    assert var_list(bridge[1:bridge.index("}")]) == HIDDEN_TO_CARRIER


def test_hidden_caller_id_without_a_name_asserts_the_number_as_name():
    ring = Ring((Target("gateway", "15145551234", gateway="carrier"),), 30, caller_id_number="15145550100",
                privacy=True)
    bridge = actions(render(Plan.of(ring), "acme.test", OPTIONS))[-1][1]
    assert var_list(bridge[1:bridge.index("}")])["origination_caller_id_name"] == "15145550100"


def test_hidden_caller_id_never_reaches_a_phone_nor_goes_out_without_a_number():
    """PAI would show a phone the hidden number; no number means nothing to assert."""
    for targets, number in (((Target("user", "101@acme.test"),), "15145550100"),
                            ((Target("user", "101@acme.test"), Target("gateway", "1514", gateway="c")), "15145550100"),
                            ((Target("gateway", "15145551234", gateway="carrier"),), None)):
        ring = Ring(targets, 30, caller_id_name="Acme", caller_id_number=number, privacy=True)
        bridge = actions(render(Plan.of(ring), "acme.test", OPTIONS))[-1][1]
        assert var_list(bridge[1:bridge.index("}")]) == PLAINLY_ANONYMOUS
        assert "15145550100" not in bridge and "Acme" not in bridge


def test_a_hidden_carrier_leg_beside_a_phone_asserts_on_its_own_leg_only():
    carrier = Target("gateway", "15145551234", gateway="carrier", caller_id_name="Acme",
                     caller_id_number="15145550100", privacy=True)
    bridge = actions(render(Plan.of(Ring((Target("user", "101@acme.test"), carrier), 30)), "acme.test", OPTIONS))[-1][1]
    phone, carrier_leg = bridge.split(",[")
    assert phone == "user/101@acme.test"
    assert var_list(carrier_leg[:carrier_leg.index("]")]) == HIDDEN_TO_CARRIER


def test_sequential_attempts_get_a_per_leg_timeout():
    ring = Ring((Target("gateway", "1", gateway="g"),) * 3, 90, sequential=True)
    bridge = actions(render(Plan.of(ring), "acme.test", OPTIONS))[-1][1]
    assert bridge.count("[leg_timeout=30]") == 3 and bridge.count("|") == 2


def test_confirm_is_cleared_after_the_ring():
    ring = Ring((Target("user", "101@acme.test"),), 20, confirm=Confirm("1", ("a.wav", "b.wav")))
    found = actions(render(Plan.of(ring, Voicemail("101", "acme.test")), "acme.test", OPTIONS))
    names = [data.split("=")[0] for app, data in found if app == "set"]
    assert ("set", "group_confirm_file=file_string://a.wav!b.wav") in found
    assert names.index("group_confirm_key") < names.index("group_confirm_key", names.index("group_confirm_key") + 1)
    assert ("socket", "127.0.0.1:8084 async full") in found


@pytest.mark.parametrize("step_data", [("voicemail", "pbx_vm_box=101")])
def test_voicemail_hands_the_call_to_our_outbound_socket(step_data):
    found = actions(render(Plan.of(Voicemail("101", "acme.test")), "acme.test", OPTIONS))
    assert ("set", "pbx_vm_action=deposit") in found and ("set", step_data[1]) in found


def test_the_switch_says_the_voicemail_is_unavailable_when_the_service_does_not_answer():
    """``socket`` returns when it cannot connect (or the service went away) and the dialplan goes
    on: the caller hears the fallback prompt -- or what the service put in pbx_vm_fallback."""
    found = actions(render(Plan.of(Voicemail("101", "acme.test")), "acme.test", OPTIONS))
    assert found[-5:] == [("set", "pbx_vm_fallback=pbx/vm-service-unavailable.wav"),
                          ("socket", "127.0.0.1:8084 async full"), ("answer", ""),
                          ("playback", "${pbx_vm_fallback}"), ("hangup", "NORMAL_CLEARING")]


def test_attribute_values_are_escaped_as_lxml_would_and_unusable_characters_dropped():
    value = 'a&b <c> "d"\ttab\nline\rret\x00\x07bell\ufffeé'
    xml = render(Plan.of(Set("pbx_note", value)), 'ctx"&<', OPTIONS)
    doc = etree.fromstring(xml)  # well-formed
    assert doc.xpath("//context/@name") == ['ctx"&<']
    assert actions(xml) == [("set", 'pbx_note=a&b <c> "d"\ttab\nline\rretbellé')]
    assert b"<?" not in xml


def test_a_plan_without_steps_renders_an_empty_condition_like_lxml():
    xml = render(Plan(()), "acme.test", OPTIONS)
    condition = etree.fromstring(xml).xpath("//condition")[0]
    assert len(condition) == 0 and xml.decode().count("<condition ") == 1 and "</condition>" not in xml.decode()


def freeswitch_split(text: str, delim: str = ",") -> list[str]:
    """A port of FreeSWITCH 1.11's ``separate_string_char_delim`` (src/switch_utils.c), which
    splits ``{}``/``[]`` variable lists: a backslash escapes the next character, single quotes
    group (when a closing one follows), an unquoted delimiter ends the item."""
    items, current, quoted, i = [], "", False, 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            current += text[i:i + 2]
            i += 2
            continue
        if char == "'" and (quoted or "'" in text[i + 1:]):
            quoted = not quoted
        elif char == delim and not quoted:
            items.append(current)
            current = ""
            i += 1
            continue
        current += char
        i += 1
    return items + [current]


@pytest.mark.parametrize("name", ["Alice\\", "Ali\\ce", "Alice \\", "\\\\", "Client\\, Inc"])
def test_backslash_in_a_caller_name_cannot_swallow_the_next_variable(name):
    ring = Ring((Target("gateway", "15145551234", gateway="carrier"),), 30,
                caller_id_name=name, caller_id_number="4185551234")
    data = actions(render(Plan.of(ring), "acme.test", OPTIONS))[-1][1]
    inner = data[1:data.index("}")]
    items = freeswitch_split(inner)
    assert [item.split("=", 1)[0] for item in items] == ["origination_caller_id_name",
                                                          "origination_caller_id_number"]
    assert items[1] == "origination_caller_id_number=4185551234"
    assert "\\" not in inner


def test_the_split_port_shows_the_hazard_it_guards_against():
    assert freeswitch_split("a=Alice\\,b=1") == ["a=Alice\\,b=1"]  # one item: the comma was escaped
    assert freeswitch_split("a='x, y',b=1") == ["a='x, y'", "b=1"]
