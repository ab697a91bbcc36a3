"""The ESL listener against the fake FreeSWITCH: subscription, recorded streams applied to the
database, reconnect + resync, handler failures, an unreachable switch."""
from __future__ import annotations

import json
import logging

import sqlalchemy as sa

from esl_handlers.handlers import MODULES, HandlerModule
from esl_handlers.protocol import encode_frame
from fs_service.db import db
from fs_service.models import NodeStatus, Registration
from fs_service.status import queries as status
from tests.fakes.fake_freeswitch import FakeFreeSwitch
from tests.helpers import until
from tests.integration.test_esl_listener_support import (PASSWORD, Esl, esl, event_frames,  # noqa: F401 - fixtures
                                                         fake_fs, reg_row, script_state, start_listener, states,
                                                         tenants)

ACME_ALL_UP = {"100": "available", "101": "available", "102": "available", "105": "available"}


def test_listener_subscribes_to_exactly_the_handled_events_plain_names_before_custom(esl):
    subscription = next(c for c in esl.fake.commands if c.startswith("event "))
    assert subscription == ("event plain BACKGROUND_JOB CHANNEL_ANSWER CHANNEL_BRIDGE CHANNEL_CREATE "
                            "CHANNEL_HANGUP_COMPLETE MESSAGE_QUERY CUSTOM conference::maintenance sofia::expire sofia::register "
                            "sofia::unregister spandsp::rxfaxresult spandsp::txfaxpageresult spandsp::txfaxresult "
                            "valet_parking::info")
    assert esl.fake.commands[:2] == [f"auth {PASSWORD}", subscription]
    assert esl.fake.api_commands()[:3] == ["show registrations as json", "show channels as json", "valet_info"]


def test_registration_recording_marks_five_extensions_available_in_two_accounts(esl, tenants):
    assert set(states(tenants["acme"]).values()) == {"disconnected"}
    esl.replay("registration", chunk_size=333)
    assert states(tenants["acme"]) == ACME_ALL_UP
    assert states(tenants["beta"]) == {"200": "available"}


def test_unregister_recording_marks_102_disconnected(esl, tenants):
    esl.replay("registration")
    esl.replay("unregister")
    assert states(tenants["acme"]) == {**ACME_ALL_UP, "102": "disconnected"}
    assert states(tenants["beta"]) == {"200": "available"}


def hangups_for(frames):
    """The recording stops before the hangup: build each leg's CHANNEL_HANGUP_COMPLETE from its
    recorded CHANNEL_ANSWER (same channel data, as FreeSWITCH sends it)."""
    from esl_handlers.events import EventHeaders

    out = []
    for _, body in frames:
        headers = dict(EventHeaders(body))
        if headers.get("Event-Name") == "CHANNEL_ANSWER":
            out.append({**headers, "Event-Name": "CHANNEL_HANGUP_COMPLETE", "Answer-State": "hangup",
                        "Hangup-Cause": "NORMAL_CLEARING"})
    return out


def test_internal_call_shows_both_extensions_in_call_then_available_again(esl, tenants):
    esl.replay("registration")
    call = event_frames("internal-call-answered")
    esl.send(call)
    in_call = {s.number: s for s in status.extension_states(tenants["acme"])}
    assert (in_call["100"].state, in_call["100"].active_calls) == ("in_call", 1)
    assert (in_call["101"].state, in_call["101"].active_calls) == ("in_call", 1)
    assert (in_call["102"].state, in_call["105"].state) == ("available", "available")
    for hangup in hangups_for(call):
        esl.inject(hangup)
    assert states(tenants["acme"]) == ACME_ALL_UP


def test_reconnect_replaces_the_status_with_exactly_what_freeswitch_reports_now(app, esl, tenants):
    esl.replay("registration")
    esl.replay("internal-call-answered")
    assert states(tenants["acme"])["100"] == "in_call"
    port, sessions = esl.fake.port, esl.listener.sessions
    esl.fake.stop()  # FreeSWITCH restarts: calls gone, only 101 (acme) and 200 (beta) re-registered
    back = FakeFreeSwitch(password=PASSWORD, port=port).start()
    try:
        script_state(back, registrations=[reg_row("101", "acme.test", "new-101"),
                                          reg_row("200", "beta.test", "new-200")])
        until(lambda: esl.listener.sessions == sessions + 1 and esl.listener.connected, timeout=10)
        esl.settle()
        assert states(tenants["acme"]) == {"100": "disconnected", "101": "available",
                                           "102": "disconnected", "105": "disconnected"}
        assert states(tenants["beta"]) == {"200": "available"}
        assert sorted(db.session.scalars(sa.select(Registration.call_id))) == ["new-101", "new-200"]
    finally:
        esl.listener.stop()
        back.stop()


def test_a_dropped_connection_is_detected_and_a_new_session_resyncs(esl, tenants):
    esl.replay("registration")
    sessions = esl.listener.sessions
    script_state(esl.fake, registrations=[reg_row("105", "acme.test", "only-105")])
    esl.fake.drop_connections()  # no disconnect notice: the reader sees EOF
    until(lambda: esl.listener.sessions == sessions + 1 and esl.listener.connected, timeout=10)
    esl.settle()
    assert states(tenants["acme"]) == {"100": "disconnected", "101": "disconnected",
                                       "102": "disconnected", "105": "available"}


class ReplyThenEvent(FakeFreeSwitch):
    """Sends the ``show registrations`` reply and an event in one write, as FreeSWITCH does
    when the event fired while the api ran: the client reads both in the same chunk."""

    def __init__(self, reply: str, event: bytes) -> None:
        super().__init__(password=PASSWORD)
        self.reply, self.event = reply, event

    def _dispatch(self, client, command) -> bool:
        if command.line != "api show registrations as json":
            return super()._dispatch(client, command)
        client.send(encode_frame({"Content-Type": "api/response"}, self.reply.encode())
                    + encode_frame({"Content-Type": "text/event-plain"}, self.event))
        return True


def test_an_event_right_after_a_snapshot_reply_is_applied_after_the_snapshot(app, tenants):
    """The snapshot says 102 is registered; the event after the reply says it unregistered.
    Applying the snapshot after that event would bring 102 back."""
    unregister = next(body for _, body in event_frames("unregister") if b"sofia%3A%3Aunregister" in body)
    row = reg_row("102", "acme.test", "bb6b2aef-d156-4d15-95b9-787ae4dd21b7")
    fake = ReplyThenEvent(json.dumps({"row_count": 1, "rows": [row]}) + "\n", unregister).start()
    script_state(fake)  # channels and lots; the registrations reply is ReplyThenEvent's
    listener, lanes = start_listener(app, fake.port)
    try:
        until(lambda: listener.connected and listener.router.received >= 1)
        assert lanes.wait_idle(5)
        assert states(tenants["acme"])["102"] == "disconnected"
    finally:
        listener.stop()
        lanes.stop()
        fake.stop()


def test_a_handler_that_raises_does_not_stop_the_others(app, fake_fs, tenants, caplog):
    def broken(event):
        raise RuntimeError("boom")

    noisy = HandlerModule("noisy", {"sofia::register": (broken,)}, lambda node, changes: None)
    listener, lanes = start_listener(app, fake_fs.port, modules=(noisy, *MODULES))
    try:
        until(lambda: listener.connected)
        caplog.set_level(logging.ERROR, logger="pbx.esl.router")
        Esl(app, fake_fs, listener, lanes).replay("registration")
        assert states(tenants["acme"]) == ACME_ALL_UP
        assert sum("esl handler failed" in r.getMessage() for r in caplog.records) == 5
        assert listener.connected
    finally:
        listener.stop()
        lanes.stop()


def node_row() -> NodeStatus | None:
    db.session.rollback()  # see what the listener committed since
    return db.session.get(NodeStatus, "fs1")


def test_unreachable_freeswitch_keeps_retrying_node_shows_down_and_the_app_still_serves(app, client):
    down = FakeFreeSwitch(password=PASSWORD).start()
    port = down.port
    down.stop()
    listener, lanes = start_listener(app, port, backoff=(0.05, 0.2))
    back = None
    try:
        row = until(node_row)
        assert row.connected is False and "cannot connect" in row.last_error
        assert client.get("/login").status_code == 200
        back = FakeFreeSwitch(password=PASSWORD, port=port).start()
        script_state(back)
        until(lambda: listener.connected, timeout=10)
        until(lambda: node_row().connected)
    finally:
        listener.stop()
        lanes.stop()
        if back is not None:
            back.stop()


def test_a_switch_that_stops_answering_is_dropped_by_the_probe(app, fake_fs, tenants):
    listener, lanes = start_listener(app, fake_fs.port, probe_interval=0.2, timeout=0.3)
    try:
        until(lambda: listener.connected)
        fake_fs.delay_replies = 5.0  # TCP stays open, nothing answers: a hung switch
        until(lambda: not listener.connected, timeout=5)
        fake_fs.delay_replies = 0.0
        until(lambda: listener.connected, timeout=10)
    finally:
        listener.stop()
        lanes.stop()
