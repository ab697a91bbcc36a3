"""Source addresses against configured networks: the one reading of a peer's address, shared by
the xml_curl gate, the voicemail socket (switches only) and the trusted-proxy middleware."""
from __future__ import annotations

import ipaddress
from typing import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_address(text: str | None) -> Address | None:
    """An address as sockets, peers and proxies write it (``1.2.3.4``, ``1.2.3.4:5678``,
    ``[::1]:80``, ``fe80::1%eth0``), or None when it is not one (``unknown``, a host name).
    An IPv4 peer seen by a dual-stack listener (``::ffff:1.2.3.4``) is its IPv4 address."""
    text = (text or "").strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # IPv4 with a port; a bare IPv6 has at least two colons
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text.partition("%")[0])  # an IPv6 zone names no network
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def address_in(address: Address | None, networks: Iterable[Network]) -> bool:
    return address is not None and any(address in network for network in networks)


def source_in(text: str | None, networks: Iterable[Network]) -> bool:
    """Whether the peer written ``text`` is inside one of ``networks`` (never for garbage)."""
    return address_in(parse_address(text), networks)
