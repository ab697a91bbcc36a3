"""Blind transfers by a phone (SIP REFER, sent by the peer with ``uuid_deflect``): whose rights
the transferred leg dials out with comes from the switch's own bridge, never from a header."""
from __future__ import annotations

from .calls import channel, originate, wait_channel, wait_event
from .world import DID_ALICE

INTERNATIONAL = "011441234567"


def test_a_customer_blind_transferred_to_a_mobile_leaves_with_the_transferring_phones_caller_id(rig, world):
    originate(rig.peer, "carrier", DID_ALICE, caller_number="4185551234")
    alice_phone = wait_channel(rig.peer, context="phones", dest="100")["uuid"]
    assert rig.peer.api(f"uuid_deflect {alice_phone} sip:5145559876@acme.test").startswith("+OK")
    mobile = wait_channel(rig.peer, context="phones", dest="15145559876")
    assert (mobile["cid_name"], mobile["cid_num"]) == ("Acme", "1" + DID_ALICE)  # Alice's outgoing caller ID


def test_a_forged_referred_by_cannot_borrow_a_colleagues_international_rights(rig, world, settings):
    settings("100", international="unlimited")
    settings("102", international="disabled")
    originate(rig.peer, "acme102", "5145559876", caller_number="102")
    wait_channel(rig.peer, context="phones", dest="15145559876")
    chloe_phone = wait_channel(rig.peer, context="default", dest="5145559876")["uuid"]
    # The REFER names Alice (who may call abroad) as the transferor: a header the phone writes.
    rig.peer.api(f"uuid_setvar {chloe_phone} sip_h_Referred-By <sip:100@acme.test>")
    hangups = rig.sut.events("CHANNEL_HANGUP_COMPLETE")
    try:
        assert rig.peer.api(f"uuid_deflect {chloe_phone} sip:{INTERNATIONAL}@acme.test").startswith("+OK")
        barred = wait_event(hangups, **{"Caller-Destination-Number": INTERNATIONAL})
    finally:
        hangups.close()
    assert "100@acme.test" in barred.get("variable_sip_h_Referred-By", "")  # the forged header did arrive
    assert barred["Hangup-Cause"] == "OUTGOING_CALL_BARRED"
    assert channel(rig.peer, context="phones", dest=INTERNATIONAL) is None
    assert not any(INTERNATIONAL in row["dest"] for row in rig.peer.channels())
