"""Click-to-call on the real switches: the user's own phone rings first, the target only once
the user answered (STAT-3).

Alice logs in as herself -- with a password chosen through the emailed password link, as a
user would -- and asks for a call to 101 over the REST API. What is checked is what
the phones saw: the order of the calls reaching the peer (``CHANNEL_CREATE`` /
``CHANNEL_ANSWER`` of its phone legs), who each phone was shown as calling, and the bridge the
switch under test made between the two.
"""
from __future__ import annotations

import http.cookiejar
import json
import re
import time
import urllib.parse
import urllib.request
from urllib.parse import unquote

from .control_plane import Api
from .rig import wait_for

ALICE_EMAIL = "alice@acme.test"
ALICE_PASSWORD = "a long sentence Alice remembers"


class _Browser:
    """The web pages as a person uses them: a cookie jar, and each form's CSRF token."""

    def __init__(self) -> None:
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def submit(self, url: str, fields: dict[str, str]) -> str:
        """Open the form at ``url``, then post ``fields`` with its CSRF token; the final URL."""
        form = self._opener.open(url, timeout=30).read().decode()
        token = re.search(r'value="([^"]+)"', re.search(r'<input[^>]*name="csrf_token"[^>]*>', form).group(0))
        body = urllib.parse.urlencode({"csrf_token": token.group(1), **fields}).encode()
        with self._opener.open(url, body, timeout=30) as reply:
            return reply.url


def _log_in_by_the_password_link(rig, email: str, password: str) -> Api:
    """"Forgot your password?" -> the link the user receives by email -> a new password ->
    an API token with it (the welcome email's link works the same way, but it is single-use
    and another scenario of the session may have used it)."""
    browser = _Browser()
    received = len(rig.smtp.messages)
    browser.submit(f"{rig.cp.url}/password/forgot", {"email": email})

    def link():
        for message in rig.smtp.messages[received:]:
            found = message["To"] == email and re.search(r"https?://\S+/password/reset/\S+",
                                                          message.get_body(("plain",)).get_content())
            if found:
                return found.group(0)
        return None
    reset = wait_for(link, what=f"the password link emailed to {email}")
    landed = browser.submit(reset, {"password": password, "password_confirm": password})
    assert landed.endswith("/login"), landed  # saved: sent on to the login page
    return Api(rig.cp.url).login(email, password)


def _phone_legs(events) -> list[tuple[str, str, dict]]:
    """(event name, called phone, event) of the calls reaching the peer's phones, in the order
    they came, until two phones answered."""
    seen = []

    def both_answered():
        event = events.next_event(0.5)
        if event and event.get("Caller-Context") == "phones" and event.get("Call-Direction") == "inbound":
            seen.append((event["Event-Name"], event["Caller-Destination-Number"], event))
        return sum(1 for name, _, _ in seen if name == "CHANNEL_ANSWER") >= 2 and seen

    return wait_for(both_answered, 20, interval=0, what="both phones to answer")


def _bridged_on_the_sut(rig) -> list[dict]:
    """``show calls`` rows that pair two legs (a leg on its own is a row with no b_uuid)."""
    rows = json.loads(rig.sut.api("show calls as json") or "{}").get("rows") or []
    return [row for row in rows if row.get("b_uuid")]


def test_click_to_call_rings_the_users_own_phone_first_then_calls_the_target_once_answered(rig, world):
    """Alice (100) clicks 101: the switch calls her phone first, showing the target (Bruno
    Gagnon, 101); only after her phone answered does 101's phone ring, showing Alice as the
    caller; the switch under test bridges the two legs."""
    alice = _log_in_by_the_password_link(rig, ALICE_EMAIL, ALICE_PASSWORD)
    events = rig.peer.events("CHANNEL_CREATE", "CHANNEL_ANSWER")
    try:
        placed = alice.post(f"/accounts/{world.acme.id}/calls", {"target": "101"}, expect=202)
        assert (placed["from_extension"], placed["target"]) == ("100", "101")
        seen = _phone_legs(events)
    finally:
        events.close()

    order = [(name, phone) for name, phone, _ in seen]
    assert order == [("CHANNEL_CREATE", "100"), ("CHANNEL_ANSWER", "100"),
                     ("CHANNEL_CREATE", "101"), ("CHANNEL_ANSWER", "101")], order
    own_phone, target = seen[0][2], seen[2][2]
    assert (own_phone["Caller-Caller-ID-Name"], own_phone["Caller-Caller-ID-Number"]) == ("Bruno Gagnon", "101")
    assert (target["Caller-Caller-ID-Name"], target["Caller-Caller-ID-Number"]) == ("Alice Tremblay", "100")

    # On the switch under test both legs are calls it placed (no phone dialed anything), the
    # one to Alice's phone first, and they are bridged to each other.
    [call] = wait_for(lambda: _bridged_on_the_sut(rig), what="the two legs bridged on the switch under test")
    assert (call["direction"], call["b_direction"]) == ("outbound", "outbound"), call
    assert ("acme100@" in unquote(call["name"]), "acme101@" in unquote(call["b_name"])) == (True, True), call


def _states(rig, world) -> dict[str, tuple[str, int]]:
    rows = rig.operator.get(f"/accounts/{world.acme.id}/status")["extensions"]
    return {row["number"]: (row["state"], row["active_calls"]) for row in rows}


def test_a_click_to_call_outlives_a_control_plane_stop_and_is_never_placed_twice(rig, world):
    """Issue 16, part 7: the control plane is killed once Alice's click-to-call is up. The call
    is the switch's (media and bridge need nothing of ours): it goes on; when ``pbx run`` is
    back, the listener's resync shows both phones in call, nothing is dialled again, and the
    hang-up brings both back to available."""
    alice = _log_in_by_the_password_link(rig, ALICE_EMAIL, ALICE_PASSWORD)
    events = rig.peer.events("CHANNEL_CREATE", "CHANNEL_ANSWER")
    try:
        alice.post(f"/accounts/{world.acme.id}/calls", {"target": "101"}, expect=202)
        _phone_legs(events)
        [call] = wait_for(lambda: _bridged_on_the_sut(rig), what="the two legs bridged")
        rig.cp.kill()
        try:
            for _ in range(6):  # the call stays up while nothing of ours runs
                assert [c["uuid"] for c in _bridged_on_the_sut(rig)] == [call["uuid"]]
                time.sleep(0.5)
        finally:
            rig.cp.start()
        wait_for(lambda: _states(rig, world)["100"] == ("in_call", 1) and _states(rig, world)["101"] == ("in_call", 1),
                 30, what="both phones shown in call after the restart")
        rig.sut.api(f"uuid_kill {call['uuid']}")
        wait_for(lambda: _states(rig, world)["100"][0] == "available" and _states(rig, world)["101"][0] == "available",
                 30, what="both phones available after the hang-up")
        created = []  # every phone call the peer saw since the bridge: the kill and the restart included
        while (event := events.next_event(1.0)) is not None:
            if event.get("Event-Name") == "CHANNEL_CREATE" and event.get("Caller-Context") == "phones":
                created.append(event["Caller-Destination-Number"])
        assert created == [], f"phones rung again after the restart: {created}"
    finally:
        events.close()
