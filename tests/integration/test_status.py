"""Live extension status on the real database: states, filters, expiry, softphones, tenants,
batched writes and per-node snapshots (STAT-1, STAT-2)."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from fs_service.db import db, utcnow
from fs_service.errors import ValidationFailed
from fs_service.extensions import rules as extensions
from fs_service.models import ActiveChannel, NodeStatus, Registration
from fs_service.status import queries as status, store as status_store
from fs_service.status.events import (ANSWERED, DIALING, RINGING, ChannelDown, ChannelState, ChannelUp,
                                      RegistrationDown, RegistrationUp, StatusSnapshot)
from tests.factories import make_account, make_extension, make_user
from tests.integration.test_esl_listener_support import states, tenants  # noqa: F401 - fixture


def reg(user, call_id, domain="acme.test", expires_in=300):
    return RegistrationUp(call_id, user, domain, expires=time.time() + expires_in)


def chan(uuid, user, state=ANSWERED, domain="acme.test"):
    return ChannelUp(uuid, user, domain, state)


def test_no_registration_means_disconnected_one_means_available_a_call_means_in_call(tenants):
    status_store.apply_changes("fs1", [reg("100", "c100"), reg("101", "c101"), chan("u1", "101")])
    assert states(tenants["acme"]) == {"100": "available", "101": "in_call", "102": "disconnected",
                                       "105": "disconnected"}


def test_a_phone_merely_ringing_stays_available_and_a_dialing_phone_is_in_call(tenants):
    status_store.apply_changes("fs1", [reg("100", "c100"), reg("101", "c101"),
                                       chan("a", "100", DIALING), chan("b", "101", RINGING)])
    assert states(tenants["acme"])["100"] == "in_call"
    assert states(tenants["acme"])["101"] == "available"
    status_store.apply_changes("fs1", [ChannelState("b", ANSWERED)])
    assert states(tenants["acme"])["101"] == "in_call"


def test_a_registration_that_expired_without_unregister_turns_disconnected(tenants):
    status_store.apply_changes("fs1", [reg("100", "c100", expires_in=-1), reg("101", "c101")])
    assert states(tenants["acme"])["100"] == "disconnected"
    later = utcnow() + timedelta(seconds=600)
    assert {s.number: s.state for s in status.extension_states(tenants["acme"], now=later)}["101"] == "disconnected"


def test_a_softphone_registration_counts_for_its_extension(tenants):
    acme = tenants["acme"]
    ext = extensions.list_extensions(acme)[1]  # 101
    phone = extensions.create_softphone(acme, ext, "laptop")
    db.session.commit()
    status_store.apply_changes("fs1", [reg(phone.sip_username, "soft"), reg("101", "desk")])
    state = {s.number: s for s in status.extension_states(acme)}["101"]
    assert (state.state, state.registrations) == ("available", 2)


def test_an_other_accounts_extension_with_the_same_number_is_never_counted(tenants):
    gamma, _ = make_account(sip_domain="gamma.test")
    make_extension(gamma, number="100")
    status_store.apply_changes("fs1", [reg("100", "g100", domain="gamma.test"), chan("g", "100", domain="gamma.test")])
    assert states(tenants["acme"])["100"] == "disconnected"
    assert states(gamma) == {"100": "in_call"}


def test_filter_by_state_search_and_sort_by_name_or_number(tenants):
    acme = tenants["acme"]
    user = make_user(acme, first_name="Zoé", last_name="Aubry")
    make_extension(acme, number="99", user=user)
    status_store.apply_changes("fs1", [reg("100", "c100"), reg("99", "c99"), chan("x", "100")])
    assert [s.number for s in status.extension_states(acme)] == ["99", "100", "101", "102", "105"]
    assert [s.number for s in status.extension_states(acme, state="disconnected")] == ["101", "102", "105"]
    assert [s.number for s in status.extension_states(acme, search="zo")] == ["99"]
    assert [s.number for s in status.extension_states(acme, search="10", state="in_call")] == ["100"]
    assert status.extension_states(acme, sort="name")[0].name == "Zoé Aubry"


@pytest.mark.parametrize("args", [{"state": "busy"}, {"sort": "age"}])
def test_unknown_state_or_sort_is_refused_with_the_field_named(tenants, args):
    with pytest.raises(ValidationFailed) as error:
        status.extension_states(tenants["acme"], **args)
    assert list(error.value.details) == list(args)


def test_a_batch_coalesces_per_key_and_a_call_born_and_gone_in_it_writes_nothing(tenants):
    written = status_store.apply_changes("fs1", [
        reg("100", "c"), reg("100", "c"), RegistrationDown("old"),
        chan("short", "101", DIALING), ChannelState("short", ANSWERED), ChannelDown("short"),
        chan("long", "102", RINGING), ChannelState("long", ANSWERED)])
    assert written == 3  # one registration upsert, one delete, one channel upsert
    assert db.session.scalars(sa.select(ActiveChannel.uuid)).all() == ["long"]
    assert db.session.get(ActiveChannel, "long").state == ANSWERED


def test_a_snapshot_replaces_only_its_nodes_rows_and_only_its_parts(tenants):
    status_store.apply_changes("fs1", [reg("100", "a1"), chan("ch1", "100")])
    status_store.apply_changes("fs2", [reg("101", "b1"), chan("ch2", "101")])
    status_store.apply_changes("fs1", [StatusSnapshot(registrations=(reg("102", "a2"),))])
    assert sorted(db.session.scalars(sa.select(Registration.call_id))) == ["a2", "b1"]
    assert sorted(db.session.scalars(sa.select(ActiveChannel.uuid))) == ["ch1", "ch2"]  # untouched part
    status_store.apply_changes("fs1", [StatusSnapshot(channels=())])
    assert db.session.scalars(sa.select(ActiveChannel.uuid)).all() == ["ch2"]


def test_node_status_records_up_and_down_with_the_time_of_the_change(app):
    status_store.mark_node("fs1", False, "cannot connect: Connection refused")
    row = db.session.get(NodeStatus, "fs1")
    assert (row.connected, row.last_error) == (False, "cannot connect: Connection refused")
    first_change = row.last_change_at
    status_store.mark_node("fs1", True)
    db.session.refresh(row)
    assert (row.connected, row.last_error) == (True, None) and row.last_change_at >= first_change
    assert status_store.node_states() == {"fs1": True}


def test_the_roster_kept_between_reads_follows_every_directory_change_committed(tenants):
    """status.roster is kept per process with the directory token: a new extension, a renamed
    one, a softphone, a deleted extension show on the very next read."""
    acme = tenants["acme"]
    status_store.apply_changes("fs1", [reg("101", "desk")])
    assert states(acme) == {"100": "disconnected", "101": "available", "102": "disconnected",
                            "105": "disconnected"}
    ext = {e.number: e for e in extensions.list_extensions(acme)}
    extensions.update_extension(acme, ext["100"], {"caller_id_name": "Reception"})
    phone = extensions.create_softphone(acme, ext["102"], "laptop")
    extensions.delete_extension(acme, ext["105"])
    make_extension(acme, number="106")
    db.session.commit()
    status_store.apply_changes("fs1", [reg(phone.sip_username, "soft")])
    shown = {s.number: (s.name, s.state) for s in status.extension_states(acme)}
    assert shown == {"100": ("Reception", "disconnected"), "101": ("", "available"),
                     "102": ("", "available"), "106": ("", "disconnected")}


def test_the_first_registration_to_expire_is_reported_from_the_same_read(tenants):
    acme = tenants["acme"]
    status_store.apply_changes("fs1", [reg("100", "soon", expires_in=30), reg("101", "late", expires_in=900),
                                       reg("100", "gone", expires_in=-5), reg("999", "other", expires_in=10)])
    people = status.roster(acme)
    counts = status.live_counts(acme, people.owners)
    assert (counts.registrations["100"], counts.registrations["101"]) == (1, 1)
    # any live registration of the domain may expire first, one of no extension too (as before)
    assert 0 < (counts.next_expiry - utcnow()).total_seconds() <= 10
