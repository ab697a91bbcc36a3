"""Rebooting a desk phone on the real switches (guide 7.5, issue 19): "reboot" makes the switch
under test send a ``check-sync`` NOTIFY to that phone's registrations, and to no other.

The peer plays the phones: each extension is a gateway registered on the switch under test
(contact ``gw+acme101@…``), and the peer logs every SIP message it receives. A phone on 101
(key 1) and 102 (key 2) is rebooted through the API; then a second phone on 103 is rebooted as
a marker: once its NOTIFY has arrived, everything the first reboot caused has too, so the log
in between must hold check-syncs for 101 and 102 only (not 100, not Beta's 200).
"""
from __future__ import annotations

import re

from .rig import wait_for


def _check_syncs(rig, since: int) -> list[str]:
    """The gateways (phones) that received a check-sync NOTIFY after log offset ``since``."""
    with open(rig.peer.log_file, "rb") as log:
        log.seek(since)
        text = log.read().decode("utf-8", "replace")
    blocks = re.split(r"^(?=recv \d+ bytes|send \d+ bytes)", text, flags=re.MULTILINE)
    return [m.group(1) for b in blocks if b.startswith("recv ") and "Event: check-sync" in b
            for m in [re.search(r"^NOTIFY sip:gw\+(\w+)@", b, flags=re.MULTILINE)] if m]


def _phone(api, account_id: int, mac: str, lines: dict[str, int], world) -> dict:
    phone = api.post(f"/accounts/{account_id}/phones", {"mac": mac, "name": f"e2e {mac}", "model": "yealink_t46u"})
    for number, key in lines.items():
        phone = api.post(f"/accounts/{account_id}/phones/{phone['id']}/lines",
                         {"extension_id": world.acme.extensions[number]["id"], "line_key": key})
    return phone


def test_reboot_sends_check_sync_to_that_phones_registrations_only(rig, world):
    api, acme = rig.operator, world.acme.id
    desk = _phone(api, acme, "00:15:65:e2:e2:01", {"101": 1, "102": 2}, world)
    marker = _phone(api, acme, "00:15:65:e2:e2:02", {"103": 1}, world)
    try:
        since = rig.peer.log_file.stat().st_size
        assert api.post(f"/accounts/{acme}/phones/{desk['id']}/reboot", {}, expect=202) == {"rebooted": True}
        wait_for(lambda: {"acme101", "acme102"} <= set(_check_syncs(rig, since)), 15,
                 what="check-sync NOTIFYs to the phone's two registrations")
        assert api.post(f"/accounts/{acme}/phones/{marker['id']}/reboot", {}, expect=202) == {"rebooted": True}
        wait_for(lambda: "acme103" in _check_syncs(rig, since), 15, what="the marker phone's check-sync")
        assert sorted(_check_syncs(rig, since)) == ["acme101", "acme102", "acme103"]
    finally:
        for phone in (desk, marker):
            api.delete(f"/accounts/{acme}/phones/{phone['id']}")
