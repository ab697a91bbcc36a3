"""The per-account live version (fs_service.live_versions, status.queries.live_version): renewed
by every batch that writes the account's live rows and by what else the status page shows, and
what lets an idle status stream cost one small query per tick."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from fs_service.db import db, utcnow
from fs_service.models import Extension, NodeStatus
from fs_service.park import events as parking_store
from fs_service.park.lot import ParkHold, ParkLeave, ParkSnapshot
from fs_service.status import store as status_store
from fs_service.status.events import (ANSWERED, BRIDGED, ChannelDown, ChannelState, ChannelUp, RegistrationDown,
                                      RegistrationUp, StatusSnapshot)
from fs_service.status.queries import live_version
from tests.integration.test_api_support import log_in
from tests.integration.test_esl_listener_support import tenants  # noqa: F401 - fixture
from tests.integration.test_ui_status import office, url  # noqa: F401 - fixture
from tests.integration.test_ui_status_stream import fast, next_event, streaming  # noqa: F401 - fixture
from web.ui.status_stream import StatusStream


def version(account, nodes=("fs1",)):
    db.session.expire_all()
    return live_version(account.id, nodes, 5.0)


def reg(user, call_id, domain="acme.test", expires_in=300):
    return RegistrationUp(call_id, user, domain, expires=time.time() + expires_in)


def test_a_batch_renews_the_version_of_each_account_it_wrote_and_no_other(tenants):
    acme, beta = tenants["acme"], tenants["beta"]
    before = version(acme), version(beta)
    status_store.apply_changes("fs1", [reg("100", "c1"), reg("200", "c2", "beta.test")])
    after = version(acme), version(beta)
    assert after[0] != before[0] and after[1] != before[1]
    status_store.apply_changes("fs1", [reg("200", "c2", "beta.test")])  # only beta
    assert version(acme) == after[0] and version(beta) != after[1]


@pytest.mark.parametrize("change", [RegistrationDown("c1"), ChannelState("u1", BRIDGED), ChannelDown("u1")],
                         ids=["unregister", "state", "hangup"])
def test_changes_keyed_by_call_id_or_uuid_renew_the_version_of_the_rows_account(tenants, change):
    acme, beta = tenants["acme"], tenants["beta"]
    status_store.apply_changes("fs1", [reg("100", "c1"), ChannelUp("u1", "100", "acme.test", ANSWERED)])
    before = version(acme), version(beta)
    status_store.apply_changes("fs1", [change])
    assert version(acme) != before[0] and version(beta) == before[1]


def test_a_change_for_a_row_that_does_not_exist_renews_nothing(tenants):
    before = version(tenants["acme"])
    status_store.apply_changes("fs1", [RegistrationDown("unknown"), ChannelDown("unknown")])
    assert version(tenants["acme"]) == before


def test_a_snapshot_renews_the_accounts_whose_rows_it_removed(tenants):
    acme, beta = tenants["acme"], tenants["beta"]
    status_store.apply_changes("fs1", [reg("100", "c1")])
    status_store.apply_changes("fs2", [reg("200", "c2", "beta.test")])
    before = version(acme), version(beta)
    status_store.apply_changes("fs1", [StatusSnapshot(registrations=(), channels=())])  # fs1 restarted empty
    assert version(acme) != before[0] and version(beta) == before[1]  # beta's phone is on fs2


def test_parked_calls_renew_the_version_on_hold_leave_and_resync(tenants):
    acme, beta = tenants["acme"], tenants["beta"]
    seen = [version(acme)]
    parking_store.apply_changes("fs1", [ParkHold("acme.test", "701", "p1", "4185551234")])
    seen.append(version(acme))
    parking_store.apply_changes("fs1", [ParkLeave("acme.test", "701", "p1")])
    seen.append(version(acme))
    parking_store.apply_changes("fs1", [ParkHold("acme.test", "701", "p2", "1")])
    seen.append(version(acme))
    beta_before = version(beta)
    parking_store.apply_changes("fs1", [ParkSnapshot((), ())])  # p2 died with the switch
    seen.append(version(acme))
    assert len(set(seen)) == 5 and version(beta) == beta_before


def test_a_node_going_down_or_silent_and_an_extension_change_renew_the_version(tenants):
    acme = tenants["acme"]
    status_store.mark_node("fs1", True)
    up = version(acme)
    assert up == version(acme)  # nothing changed: the same value
    status_store.mark_node("fs1", False, "refused")
    down = version(acme)
    assert down != up
    status_store.mark_node("fs1", True)
    db.session.execute(sa.update(NodeStatus).values(last_seen_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    assert version(acme) not in (up, down)  # stale: shown down although it says connected
    before = version(acme)
    extension = db.session.scalars(sa.select(Extension).where(Extension.account_id == acme.id)).first()
    extension.caller_id_name = "Reception"
    db.session.commit()
    assert version(acme) != before


def test_a_deleted_account_has_no_version(tenants):
    gone = tenants["beta"].id
    db.session.delete(tenants["beta"])
    db.session.commit()
    assert live_version(gone, ["fs1"], 5.0) is None


def test_an_idle_stream_costs_one_query_a_tick_and_still_pushes_each_change(client, office, fast):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine
    log_in(client, office.alice)
    with streaming(client, url(office, "/stream")) as (_, chunks):
        next_event(chunks)  # the first full read
        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            started = time.monotonic()
            while time.monotonic() - started < 20 * StatusStream.POLL_SECONDS:
                assert next(chunks) == ": keepalive\n\n"  # the stream runs while it is read
            ticks = (time.monotonic() - started) / StatusStream.POLL_SECONDS
            assert statements and len(statements) <= ticks + 2
            assert all("live_versions" in s for s in statements)
            status_store.apply_changes("fs1", [reg("100", "c100")])
            assert 'data-number="100" data-state="available"' in next_event(chunks)
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)


def test_the_stream_shows_a_registration_expired_without_any_event(client, office, fast):
    status_store.apply_changes("fs1", [reg("101", "c101", expires_in=0.6)])
    log_in(client, office.alice)
    with streaming(client, url(office, "/stream")) as (_, chunks):
        assert 'data-number="101" data-state="available"' in next_event(chunks)
        assert 'data-number="101" data-state="disconnected"' in next_event(chunks, timeout=3)
