"""FreeSWITCH node list from configuration (PBX_FREESWITCH_NODES).

Format: ``fs1=127.0.0.1:8021,fs2=10.0.0.2:8021`` (IPv6 as ``fs3=[::1]:8021``). All nodes
share one ESL password, passed separately so it never sits in a string that gets logged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


@dataclass(frozen=True)
class NodeConfig:
    """Where one FreeSWITCH's event socket listens. The password is kept out of repr()."""

    name: str
    host: str
    port: int
    password: str = field(repr=False)


def _parse_item(item: str, password: str) -> NodeConfig:
    name, sep, address = item.partition("=")
    name, address = name.strip(), address.strip()
    if not sep or not _NAME_RE.fullmatch(name):
        raise ValueError(f"PBX_FREESWITCH_NODES: bad item {item!r}, expected name=host:port")
    host, colon, port_text = address.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not colon or not host or any(c.isspace() for c in host):
        raise ValueError(f"PBX_FREESWITCH_NODES: bad address in {item!r}, expected host:port")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"PBX_FREESWITCH_NODES: bad port in {item!r}")
    return NodeConfig(name=name, host=host, port=int(port_text), password=password)


def parse_nodes(spec: str, password: str) -> list[NodeConfig]:
    """Parse the node list; an empty spec means no FreeSWITCH configured (returns [])."""
    nodes: list[NodeConfig] = []
    for item in spec.split(","):
        if not item.strip():
            continue  # tolerate "fs1=...," and surrounding blanks
        node = _parse_item(item.strip(), password)
        if any(existing.name == node.name for existing in nodes):
            raise ValueError(f"PBX_FREESWITCH_NODES: duplicate node name {node.name!r}")
        nodes.append(node)
    return nodes
