"""What each recorded FreeSWITCH event means for live status and parking (pure mapping)."""
from __future__ import annotations

import time
from pathlib import Path

from esl_handlers.events import EventHeaders
from esl_handlers.protocol import EslParser
from fs_service.park import lot as parking
from fs_service.status import events as ev

ESL = Path(__file__).resolve().parent.parent / "fixtures" / "esl"


def events(scenario: str, name: str) -> list[dict]:
    """Recorded events of one kind, as plain dicts (what unit callers would hand over)."""
    out = []
    for frame in EslParser().feed((ESL / scenario / "events-plain.esl").read_bytes()):
        if frame.content_type == "text/event-plain":
            headers = EventHeaders(frame.body)
            if headers.name == name:
                out.append(dict(headers))
    return out


def test_register_maps_the_aor_user_and_the_realm_and_expires_after_grace():
    before = time.time()
    up = ev.registration_seen(events("registration", "sofia::register")[0])
    assert (up.sip_user, up.sip_domain, up.call_id) == ("200", "beta.test", "39b606c3-fa00-45aa-a442-3a07902fb063")
    assert up.contact == '"" <sip:gw+beta200@127.0.0.1:5080;transport=udp;gw=beta200>'
    assert up.network_ip == "127.0.0.1" and up.user_agent.startswith("FreeSWITCH-mod_sofia/1.11.1")
    assert before + 120 + ev.EXPIRY_GRACE_SECONDS <= up.expires <= time.time() + 120 + ev.EXPIRY_GRACE_SECONDS


def test_register_prefers_from_user_the_aor_over_the_digest_username():
    event = {**events("registration", "sofia::register")[0], "from-user": "101-1", "username": "999"}
    assert ev.registration_seen(event).sip_user == "101-1"


def test_register_with_an_ip_as_from_host_uses_the_realm_and_lowercases_it():
    event = {**events("registration", "sofia::register")[0], "from-host": "127.0.0.1", "realm": "Beta.Test"}
    assert ev.registration_seen(event).sip_domain == "beta.test"


def test_register_without_call_id_or_domain_is_ignored():
    base = events("registration", "sofia::register")[0]
    assert ev.registration_seen({k: v for k, v in base.items() if k != "call-id"}) is None
    assert ev.registration_seen({k: v for k, v in base.items()
                                 if k not in ("realm", "domain_name", "from-host")}) is None


def test_unregister_is_keyed_by_call_id():
    gone = ev.registration_gone(events("unregister", "sofia::unregister")[0])
    assert gone == ev.RegistrationDown("bb6b2aef-d156-4d15-95b9-787ae4dd21b7")


def test_internal_call_caller_leg_is_authenticated_user_and_dialing():
    caller, callee = events("internal-call-answered", "CHANNEL_CREATE")
    up = ev.channel_created(caller)
    assert (up.sip_user, up.sip_domain, up.state) == ("100", "acme.test", ev.DIALING)
    assert (up.caller_number, up.destination) == ("100", "101")
    leg = ev.channel_created(callee)
    assert (leg.sip_user, leg.sip_domain, leg.state) == ("101", "acme.test", ev.RINGING)


def test_a_ringing_phone_is_not_busy_but_a_dialing_or_answered_one_is():
    assert ev.RINGING not in ev.BUSY_STATES
    assert {ev.DIALING, ev.ANSWERED, ev.BRIDGED} <= ev.BUSY_STATES


def test_a_carrier_leg_is_nobodys_phone_even_after_it_is_bridged_to_100():
    carrier, to_100 = events("inbound-did-call", "CHANNEL_CREATE")
    assert ev.channel_created(carrier).sip_user is None
    assert ev.channel_owner(events("inbound-did-call", "CHANNEL_BRIDGE")[0]) == (None, "acme.test")
    assert ev.channel_created(to_100).sip_user == "100"


def test_a_spoofed_from_user_on_an_unauthenticated_leg_maps_to_nobody():
    spoof = {**events("inbound-anonymous-call", "CHANNEL_CREATE")[0], "Channel-Presence-ID": "100@acme.test",
             "variable_sip_from_user": "100"}
    assert ev.channel_created(spoof).sip_user is None


def test_answer_bridge_and_hangup_carry_only_the_uuid_and_state():
    answer = events("internal-call-answered", "CHANNEL_ANSWER")[0]
    bridge = events("internal-call-answered", "CHANNEL_BRIDGE")[0]
    hangup = events("park-and-retrieve", "CHANNEL_HANGUP_COMPLETE")[0]
    assert ev.channel_answered(answer) == ev.ChannelState(answer["Unique-ID"], ev.ANSWERED)
    assert ev.channel_bridged(bridge) == ev.ChannelState(bridge["Unique-ID"], ev.BRIDGED)
    assert ev.channel_hungup(hangup) == ev.ChannelDown(hangup["Unique-ID"])


def test_valet_hold_then_bridge_then_exit_for_slot_701_of_the_account_lot():
    hold, bridge, leave = map(parking.valet_event, events("park-and-retrieve", "valet_parking::info"))
    assert (hold.lot, hold.slot, hold.caller_number, hold.parked_by) == ("acme.test", "701", "100", "100")
    assert bridge == parking.ParkLeave("acme.test", "701", hold.uuid) == leave


def test_a_blind_transferred_caller_is_parked_by_its_ring_back_extension():
    recorded = events("park-and-retrieve", "valet_parking::info")[0]
    guest = {k: v for k, v in recorded.items() if k != "variable_user_name"}
    guest.update({"Call-Direction": "outbound", "variable_valet_parking_orbit_exten": "101"})
    assert parking.valet_event(guest).parked_by == "101"


def test_a_phone_blind_transferred_to_700_is_not_listed_as_its_own_parker():
    recorded = events("park-and-retrieve", "valet_parking::info")[0]
    transferred = {**recorded, "variable_valet_parking_orbit_exten": "", "Caller-Destination-Number": "700",
                   "variable_sip_refer_to": "<sip:700@acme.test>"}
    assert parking.valet_event(transferred).parked_by is None
    earlier = {**transferred, "variable_sip_refer_to": "<sip:102@acme.test>"}  # a REFER to another number
    assert parking.valet_event(earlier).parked_by == "100"


def test_show_registrations_rows_map_like_register_events_with_absolute_expiry():
    row = {"reg_user": "101", "realm": "acme.test", "token": "cid", "url": "sofia/internal/sip:x@y",
           "expires": "1795663987", "network_ip": "127.0.0.1"}
    up = ev.registration_from_row(row)
    assert (up.sip_user, up.sip_domain, up.call_id, up.expires) == ("101", "acme.test", "cid", 1795663987.0)


def test_show_channels_rows_map_owner_from_presence_and_state_from_callstate():
    rows = [{"uuid": "a", "direction": "inbound", "presence_id": "100@acme.test", "callstate": "ACTIVE"},
            {"uuid": "b", "direction": "outbound", "presence_id": "102@acme.test", "callstate": "RINGING"},
            {"uuid": "c", "direction": "inbound", "presence_id": "", "callstate": "EARLY"}]
    snap = ev.channels_snapshot(rows)
    assert [(c.uuid, c.sip_user, c.state) for c in snap.channels] == [
        ("a", "100", ev.ANSWERED), ("b", "102", ev.RINGING), ("c", None, ev.DIALING)]
    assert snap.registrations is None  # a channels snapshot leaves registrations alone


def test_valet_info_xml_lists_each_lot_with_its_parked_calls():
    xml = ('<lots>\n  <lot name="acme.test">\n    <extension uuid="u1">701</extension>\n  </lot>\n'
           '  <lot name="beta.test">\n  </lot>\n</lots>\n')
    assert parking.parse_valet_info(xml) == [("acme.test", [("701", "u1")]), ("beta.test", [])]
    snap = parking.snapshot_from(xml, [{"uuid": "u1", "cid_num": "4185551234", "cid_name": "Client Inc"}])
    assert snap.lots == ("acme.test", "beta.test")
    assert snap.holds[0][:5] == ("acme.test", "701", "u1", "4185551234", "Client Inc")
    assert parking.snapshot_from("", []).lots == ()  # mod_valet_parking not loaded


def test_park_plan_uses_the_account_domain_as_lot_and_slots_701_to_709():
    plan = parking.park_plan_parameters("acme.test")
    assert (plan.lot, plan.park_extension, plan.timeout_seconds) == ("acme.test", "700", 120)
    assert plan.slots == [str(n) for n in range(701, 710)]
