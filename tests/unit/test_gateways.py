"""Carrier gateway rules without a database: names and proxies, what FreeSWITCH must be told
for each kind of change, and the ESL strings those intents become."""
from __future__ import annotations

import pytest

from esl_handlers.commands import command_for, sofia_killgw, sofia_profile_rescan_later
from fs_service import outbox
from fs_service.gateways import REAP_SECONDS, Served, changes_for_freeswitch, name_problem, proxy_problem


@pytest.mark.parametrize("name", ["carrier", "voip.ms", "acme-trunk_2", "1carrier", "a" * 64])
def test_sofia_safe_names_are_accepted(name):
    assert name_problem(name) is None


@pytest.mark.parametrize("name", ["", "Carrier", "_all_", "-x", "a b", "a/b", "a::b", "é", "a" * 65, "a\nb"])
def test_names_that_would_break_sofia_or_esl_are_refused(name):
    assert name_problem(name) is not None


@pytest.mark.parametrize("proxy", ["sip.carrier.example", "sip.carrier.example:5060", "203.0.113.7",
                                   "203.0.113.7:5080", "[2001:db8::1]", "[2001:db8::1]:5061", "localhost"])
def test_hosts_with_an_optional_port_are_accepted(proxy):
    assert proxy_problem(proxy) is None


@pytest.mark.parametrize("proxy", ["", "sip:carrier.example", "user@carrier.example", "carrier.example:0",
                                   "carrier.example:65536", "carrier.example:", "carrier example",
                                   "carrier.example/path", "carrier.example;transport=tcp", "-bad.example",
                                   "a" * 254])
def test_anything_but_a_host_and_port_is_refused(proxy):
    assert proxy_problem(proxy) is not None


def served(name: str = "carrier", proxy: str = "p.example", password: str = "pw") -> Served:
    return Served(name, (name, proxy, "user", password, False))


def test_a_new_gateway_is_rescanned_at_once():
    assert changes_for_freeswitch(None, served(), "external") == [outbox.RescanProfile("external")]


def test_a_gateway_changed_under_the_same_name_is_killed_then_rescanned_later():
    assert changes_for_freeswitch(served(), served(password="new"), "external") == [
        outbox.KillGateway("external", "carrier"), outbox.RescanProfile("external", REAP_SECONDS)]


def test_a_renamed_gateway_kills_the_old_name_and_rescans_at_once():
    assert changes_for_freeswitch(served(), served(name="carrier-b"), "external") == [
        outbox.KillGateway("external", "carrier"), outbox.RescanProfile("external")]


def test_a_disabled_or_deleted_gateway_is_only_killed():
    assert changes_for_freeswitch(served(), None, "external") == [outbox.KillGateway("external", "carrier")]


def test_nothing_is_said_when_freeswitch_holds_nothing_different():
    assert changes_for_freeswitch(served(), served(), "external") == []
    assert changes_for_freeswitch(None, None, "external") == []


def test_the_password_never_shows_in_the_served_state_repr():
    assert "s3cret" not in repr(served(password="s3cret"))


def test_gateway_intents_become_sofia_commands():
    assert command_for(outbox.KillGateway("external", "carrier")) == "sofia profile external killgw carrier"
    assert command_for(outbox.RescanProfile("external")) == "sofia profile external rescan"
    assert command_for(outbox.RescanProfile("external", 5)) == "sched_api +5 none sofia profile external rescan"


def test_gateway_intents_survive_being_stored_for_a_node_that_is_down():
    for intent in (outbox.KillGateway("external", "carrier"), outbox.RescanProfile("external", 5)):
        assert outbox.intent_from_dict(outbox.intent_to_dict(intent)) == intent


@pytest.mark.parametrize("name", ["_all_", "a b", "x\nexit", ""])
def test_killgw_refuses_names_that_would_kill_everything_or_inject(name):
    with pytest.raises(ValueError):
        sofia_killgw("external", name)


@pytest.mark.parametrize("delay", [0, -1, 3601])
def test_a_scheduled_rescan_needs_a_sane_delay(delay):
    with pytest.raises(ValueError):
        sofia_profile_rescan_later("external", delay)
