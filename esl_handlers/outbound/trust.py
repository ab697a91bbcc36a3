"""Who may drive a voicemail call: a switch we know, about a channel it really has.

The dialogue takes its action, tenant and box from the channel variables of whoever
connects, so any TCP peer reaching PBX_VOICEMAIL_SOCKET could leave messages in any tenant's
box (rows, lamps, emails). Two checks, both before the dialogue touches the database:

1. on accept, the peer's address must be in PBX_VOICEMAIL_ALLOWED; otherwise the socket is
   closed before a byte is read or written;
2. after ``connect``, the channel's ``Unique-ID`` must exist (``uuid_exists`` → ``true``,
   mod_commands) on the node the peer is: the configured node whose ESL host is the peer's
   address (preferring the one FreeSWITCH-Switchname names when several share it), else the
   node the channel data names. No such node -- e.g. a demo with no PBX_FREESWITCH_NODES --
   means the call cannot be proved and is refused.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import gevent
import gevent.socket

from fs_service.networks import parse_address
from fs_service.settings import NodeConfig

from .. import registry
from ..connection import EslConnection
from ..errors import EslUnavailable
from ..facade import EslFacade
from ..protocol import Event

log = logging.getLogger("pbx.esl.outbound")


def _host_addresses(host: str, timeout: float) -> set:
    """The node's ESL host as addresses: the literal itself, or its name resolved (bounded)."""
    literal = parse_address(host)
    if literal is not None:
        return {literal}
    with gevent.Timeout(timeout, False):
        try:
            infos = gevent.socket.getaddrinfo(host, None, proto=gevent.socket.IPPROTO_TCP)
        except OSError:
            return set()
        return {found for info in infos if (found := parse_address(info[4][0])) is not None}
    return set()  # resolution timed out


def nodes_for(peer: str, switch_name: str, nodes: list[NodeConfig], timeout: float) -> list[NodeConfig]:
    """The nodes to ask about a channel announced by ``peer`` (see the module docstring)."""
    address = parse_address(peer)
    by_address = [n for n in nodes if address is not None and address in _host_addresses(n.host, timeout)]
    named = [n for n in (by_address or nodes) if n.name == switch_name]
    return named or by_address


def channel_exists(node: NodeConfig, uuid: str, timeout: float) -> bool:
    """Ask ``node`` over its listener's live connection if this process runs one, else over a
    short inbound connection. Raises EslUnavailable (node down, stalled, password refused) and
    ValueError (not a uuid: commands.py)."""
    live = registry.live_facade(node.name)
    conn = None if live is not None else EslConnection(node, timeout=timeout)
    clean = False
    try:
        if conn is not None:
            conn.connect()
        exists = (live or EslFacade(conn, timeout)).uuid_exists(uuid, timeout)
        clean = True
        return exists
    finally:
        if conn is not None:
            conn.close(polite=clean, timeout=1.0)


@dataclass(frozen=True)
class ChannelCheck:
    """``check(peer, channel_data)``: does the channel exist on the peer's node? A refusal is
    logged once, with why (unknown_node, no_such_channel, bad_uuid, node_unreachable)."""

    nodes: list[NodeConfig]
    timeout: float

    def __call__(self, peer: str, channel: Event) -> bool:
        uuid, switch = channel.get("Unique-ID") or "", channel.get("FreeSWITCH-Switchname") or ""
        asked = nodes_for(peer, switch, self.nodes, self.timeout)
        reason = "no_such_channel" if asked else "unknown_node"
        for node in asked:
            try:
                if channel_exists(node, uuid, self.timeout):
                    return True
            except ValueError:
                reason = "bad_uuid"
                break
            except EslUnavailable as exc:
                reason = f"node_unreachable ({exc.reason})"
        log.warning("voicemail call refused peer=%s switch=%s core_uuid=%s uuid=%s nodes=%s reason=%s",
                    peer, switch, channel.get("Core-UUID") or "", uuid,
                    ",".join(n.name for n in asked) or "-", reason)
        return False
