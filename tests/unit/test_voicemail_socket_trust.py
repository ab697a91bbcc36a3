"""Who may drive the voicemail socket, without sockets: the allowed networks, the node asked
about a channel, and the ``uuid_exists`` command (the server itself: integration tests)."""
from __future__ import annotations

import pytest

from esl_handlers import commands
from esl_handlers.outbound.trust import nodes_for
from fs_service.networks import source_in
from fs_service.settings import parse_nodes
from pbx.config import ConfigError, load_settings


def settings(tmp_path, **env):
    return load_settings(environ={"PBX_INSTANCE_PATH": str(tmp_path), **env})


def test_by_default_only_this_host_may_connect(tmp_path):
    networks = settings(tmp_path).voicemail_allowed_networks
    assert source_in("127.0.0.1", networks) and source_in("::1", networks)
    assert not source_in("10.0.0.2", networks) and not source_in("not-an-address", networks)


def test_the_switches_networks_are_read_from_pbx_voicemail_allowed(tmp_path):
    networks = settings(tmp_path, PBX_VOICEMAIL_ALLOWED="10.0.0.0/24, 2001:db8::5").voicemail_allowed_networks
    assert source_in("10.0.0.9", networks) and source_in("2001:db8::5", networks)
    assert source_in("::ffff:10.0.0.9", networks)  # an IPv4 switch seen by a dual-stack listener
    assert not source_in("127.0.0.1", networks) and not source_in("10.0.1.9", networks)


def test_a_bad_network_stops_start_up_naming_the_variable(tmp_path):
    with pytest.raises(ConfigError, match="PBX_VOICEMAIL_ALLOWED"):
        settings(tmp_path, PBX_VOICEMAIL_ALLOWED="10.0.0.0/33")


NODES = parse_nodes("fs1=10.0.0.2:8021,fs2=10.0.0.3:8021,fs3=10.0.0.3:8022", "pw")


@pytest.mark.parametrize(("peer", "switch", "asked"), [
    ("10.0.0.2", "", ["fs1"]),  # the node whose ESL host is the peer
    ("10.0.0.2", "fs2", ["fs1"]),  # a peer cannot name another machine's node
    ("10.0.0.3", "fs3", ["fs3"]),  # two nodes on one host: the one the channel data names
    ("10.0.0.3", "", ["fs2", "fs3"]),
    ("10.0.0.9", "fs2", ["fs2"]),  # an address no node has (NAT): the named node
    ("10.0.0.9", "pbx-a", []),
])
def test_the_node_asked_about_a_channel(peer, switch, asked):
    assert [n.name for n in nodes_for(peer, switch, NODES, timeout=1.0)] == asked


def test_uuid_exists_refuses_what_is_not_a_uuid():
    assert commands.uuid_exists("0f6a1e2c-4b7d-4a53-9d0e-2f1c6b8e7a90") == \
        "uuid_exists 0f6a1e2c-4b7d-4a53-9d0e-2f1c6b8e7a90"
    for bad in ("", "abc def", "abc\nexit", 42):
        with pytest.raises(ValueError):
            commands.uuid_exists(bad)
