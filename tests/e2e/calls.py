"""Placing and watching calls on the real switches (what a person with a phone would do)."""
from __future__ import annotations

import time
import uuid as uuidlib

from .rig import wait_for
from .switch import Switch


def originate(peer: Switch, gateway: str, number: str, app: str = "&park()", *,
              caller_number: str = "", caller_name: str = "", variables: dict[str, str] | None = None) -> str:
    """Dial ``number`` from the peer's ``gateway`` (a phone, or ``carrier``) in the background;
    returns the peer leg's uuid. ``bgapi`` because originate blocks until the far end answers."""
    leg = str(uuidlib.uuid4())
    values = {"origination_uuid": leg, "ignore_early_media": "true", **(variables or {})}
    if caller_number:
        values["origination_caller_id_number"] = caller_number
    if caller_name:
        values["origination_caller_id_name"] = caller_name
    braces = ",".join(f"{k}='{v}'" if " " in v else f"{k}={v}" for k, v in values.items())
    if gateway != "carrier":
        wait_registered(peer, gateway)
    peer.api(f"bgapi originate {{{braces}}}sofia/gateway/{gateway}/{number} {app}")
    _PLACED.append((peer, gateway, leg))
    del _PLACED[:-4]
    return leg


def wait_registered(peer: Switch, gateway: str, timeout: float = 45.0) -> None:
    """A phone calls once it is registered: after a switch restart, a phone whose refresh met
    the restart's 503 waits its retry (30 s) with its gateway DOWN, and sofia refuses to place a
    call through a DOWN gateway (GATEWAY_DOWN) — seen in CI as a call that never showed."""
    def up() -> bool:
        status = peer.api(f"sofia status gateway {gateway}")
        lines = {line.split(None, 1)[0]: line.split(None, 1)[-1].strip() for line in status.splitlines() if line.strip()}
        return lines.get("State") == "REGED" and lines.get("Status") == "UP"
    wait_for(up, timeout, what=f"phone {gateway} registered and up")


# The last calls placed: a wait that times out says what became of them (the bgapi answer is
# lost, but the switch's log keeps each leg's story, and the gateway's state tells a refused call).
_PLACED: list[tuple[Switch, str, str]] = []


def _story_of_recent_calls() -> str:
    parts = []
    for peer, gateway, leg in _PLACED:
        lines = [line for line in peer.log_tail(4000).splitlines() if leg in line][-12:]
        status = peer.api(f"sofia status gateway {gateway}") if gateway != "carrier" else ""
        state = " ".join(line.strip() for line in status.splitlines() if line.startswith(("State", "Status")))
        parts.append(f"-- {gateway} leg {leg} ({state}):\n" + "\n".join(lines))
    return "\n".join(parts)


def channel(switch: Switch, **match: str) -> dict | None:
    """The first channel whose ``show channels`` fields equal ``match``."""
    for row in switch.channels():
        if all(row.get(k) == v for k, v in match.items()):
            return row
    return None


def wait_channel(switch: Switch, timeout: float = 20.0, **match: str) -> dict:
    try:
        return wait_for(lambda: channel(switch, **match), timeout, what=f"{switch.name} channel {match}")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\nrecent calls:\n{_story_of_recent_calls()}") from None


def getvar(switch: Switch, leg: str, name: str) -> str:
    value = switch.api(f"uuid_getvar {leg} {name}").strip()
    return "" if value in ("_undef_", "") or value.startswith("-ERR") else value


def wait_gone(switch: Switch, leg: str, timeout: float = 30.0) -> None:
    wait_for(lambda: not channel(switch, uuid=leg), timeout, what=f"{switch.name} channel {leg} to end")


def hang_up_everything(*switches: Switch, timeout: float = 15.0) -> None:
    for switch in switches:
        switch.api("hupall NORMAL_CLEARING")
    for switch in switches:
        wait_for(lambda: not switch.channels(), timeout, what=f"{switch.name} to have no channel")


def wait_event(client, timeout: float = 20.0, **match: str) -> dict:
    """The next event on ``client`` (from ``Switch.events``) whose headers equal ``match``."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        event = client.next_event(left)
        if event and all(event.get(k) == v for k, v in match.items()):
            return event
    raise AssertionError(f"no event {match} within {timeout}s")
