"""Free loopback ports for one run: two runs on one machine never collide.

A SIP port must be free for UDP and TCP (sofia binds both); an RTP range is a random block
whose first port was free at the time (FreeSWITCH skips ports it cannot bind inside it).
"""
from __future__ import annotations

import random
import socket

_TAKEN: set[int] = set()


def _free_both(port: int) -> bool:
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
        with socket.socket(socket.AF_INET, kind) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def free_port() -> int:
    """A port free for TCP and UDP on 127.0.0.1, never handed out twice in this process."""
    for _ in range(200):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in _TAKEN and _free_both(port):
            _TAKEN.add(port)
            return port
    raise RuntimeError("no free port for TCP and UDP on 127.0.0.1")


def rtp_range(size: int = 400) -> tuple[int, int]:
    """An even-aligned random block of RTP ports below the kernel's ephemeral range."""
    start = random.randrange(20000, 32000 - size, 2)
    return start, start + size - 1
