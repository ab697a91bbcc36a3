"""The real client address behind trusted HTTP load balancers (``PBX_TRUSTED_PROXIES``).

werkzeug's ProxyFix believes a fixed number of X-Forwarded-For hops from whoever connects, so a
client talking to a worker directly could forge its address. Here the header is read only when
the immediate peer is inside a trusted network; then it is walked from the right, skipping the
trusted proxies, and the first untrusted address becomes ``REMOTE_ADDR`` — the address every
view sees (the xml_curl source gate, the login throttle, the password-reset limits). Entries to
its left were written by the client and are ignored. A malformed entry met on the way leaves
the peer's address in place. Like ProxyFix, the original peer is kept in
``werkzeug.proxy_fix.orig_remote_addr``.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from fs_service.networks import Address, Network, address_in, parse_address


class TrustedProxies:
    """WSGI middleware: set ``REMOTE_ADDR`` to the client that reached the first trusted proxy."""

    def __init__(self, app: Callable[..., Iterable[bytes]], networks: Sequence[Network]) -> None:
        self.app = app
        self.networks = tuple(networks)

    def trusted(self, address: Address | None) -> bool:
        return address_in(address, self.networks)

    def client_address(self, peer: str | None, forwarded_for: str) -> str | None:
        """The address to believe, or None to keep the peer's."""
        if not forwarded_for or not self.trusted(parse_address(peer)):
            return None
        candidate: Address | None = None
        for item in reversed(forwarded_for.split(",")):
            candidate = parse_address(item)
            if candidate is None:
                return None  # malformed: believe nothing rather than half a chain
            if not self.trusted(candidate):
                return str(candidate)
        return str(candidate) if candidate is not None else None  # every hop is a trusted proxy

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        peer = environ.get("REMOTE_ADDR")
        client = self.client_address(peer, environ.get("HTTP_X_FORWARDED_FOR", ""))
        if client is not None:
            environ["werkzeug.proxy_fix.orig_remote_addr"] = peer
            environ["REMOTE_ADDR"] = client
        return self.app(environ, start_response)
