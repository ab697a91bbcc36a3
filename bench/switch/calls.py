"""The calls of status_lag: a peer switch plays the desk phones (the real-switch tier's peer,
one registering gateway per extension) and places the calls through the switch under test.

Each call leaves the peer as the caller's phone (digest-authenticated by the switch under
test), is routed by our dialplan to the callee's registered phone — the same peer — which
answers (its ``phones`` context answers and holds). The caller's only application is
``sleep(hold)``, run once the call is answered: then the caller hangs up (``sched_hangup`` would
count whole seconds of the wall clock, so a call of "1 s" could last 0.1 s).
"""
from __future__ import annotations

import time

from tests.e2e.layout import Phone, lay_out_peer, new_secret
from tests.e2e.ports import free_port, rtp_range
from tests.e2e.switch import Switch

from .site import Site, prioritise, stop_once


def gateway(number: str) -> str:
    return f"ext{number}"


def start_peer(site: Site, passwords: dict[str, str], domain: str) -> Switch:
    phones = [Phone(gateway(number), number, domain, password) for number, password in passwords.items()]
    peer_dir = site.root / "peer"
    esl_port, esl_password = free_port(), new_secret()
    conf = lay_out_peer(peer_dir / "conf", phones=phones, peer_dir=peer_dir, phones_port=site.ports.internal_sip,
                        carrier_port=site.ports.external_sip, sip_port=free_port(), esl_port=esl_port,
                        esl_password=esl_password, rtp=rtp_range())
    (peer_dir / "storage" / "fax").mkdir(parents=True, exist_ok=True)  # spandsp's spool (peer.xml)
    peer = Switch("peer", site.command, peer_dir, conf, esl_port, esl_password)
    site.stack.callback(stop_once, peer)
    peer.start(site.sounds)
    prioritise(peer.pid())
    return peer


def place_calls(peer: Switch, plan: list[tuple[str, str]], rate: float, hold: float) -> float:
    """Call i leaves at start + i / rate, showing the caller's number as a phone does (``bgapi``: the peer answers at once, the call proceeds
    in the background). Returns how late the last one left, in seconds."""
    start, late, hold_ms = time.monotonic(), 0.0, round(hold * 1000)
    for i, (caller, callee) in enumerate(plan):
        due = start + i / rate
        time.sleep(max(0.0, due - time.monotonic()))
        late = max(late, time.monotonic() - due)
        peer.api(f"bgapi originate {{origination_caller_id_number={caller},ignore_early_media=true}}"
                 f"sofia/gateway/{gateway(caller)}/{callee} &sleep({hold_ms})")
    return late
