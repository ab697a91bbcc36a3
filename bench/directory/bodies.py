"""Whole HTTP requests as FreeSWITCH's mod_xml_curl sends them, built once before the clock runs.

The body is a recorded ``directory``/``sip_auth`` POST (tests/fixtures/xml_curl/registration)
with the user, realm, domain and per-request ids rewritten to one of the seeded users. The first
five fields are not URL-encoded by FreeSWITCH (NOTES §1); we only ever put DNS names and digits
there, so nothing needs encoding. Headers are libcurl's for a POST with ``gateway-credentials``
and ``disable-100-continue`` (the default): no ``Expect`` header.
"""
from __future__ import annotations

import base64
import random
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "xml_curl" / "registration"
PATH = "/freeswitch/xml"


def templates() -> list[list[tuple[str, str]]]:
    files = sorted(FIXTURES.glob("*-directory-sip_auth.form"))
    if not files:
        raise SystemExit(f"bench: no recorded sip_auth bodies under {FIXTURES}")
    return [[tuple(item.split("=", 1)) for item in f.read_text().strip().split("&")] for f in files]


def rewrite(fields: list[tuple[str, str]], domain: str, user: str, seq: int, rng: random.Random) -> bytes:
    values = {
        "key_value": domain, "sip_auth_username": user, "sip_auth_realm": domain,
        "sip_to_user": user, "sip_to_host": domain, "sip_from_user": user, "sip_from_host": domain,
        "user": user, "domain": domain, "sip_contact_user": f"gw%2B{user}",
        "sip_call_id": str(uuid.UUID(int=rng.getrandbits(128))),
        "sip_auth_nonce": str(uuid.UUID(int=rng.getrandbits(128))),
        "sip_auth_response": f"{rng.getrandbits(128):032x}", "Event-Sequence": str(seq),
    }
    return "&".join(f"{k}={values.get(k, v)}" for k, v in fields).encode()


def request_bytes(body: bytes, port: int, auth: str, path: str = PATH) -> bytes:
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Basic {auth}\r\n"
            f"User-Agent: freeswitch-xml/1.0\r\nAccept: */*\r\nContent-Length: {len(body)}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n")
    return head.encode() + body


def cold_pool(users: list[tuple[str, str]], *, port: int, user: str, password: str, path: str = PATH,
              seed: int = 1) -> list[bytes]:
    """One request per (domain, user) of ``users``, in that order (the cold phase: each once)."""
    rng = random.Random(seed)
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    forms = templates()
    return [request_bytes(rewrite(rng.choice(forms), domain, number, 500 + i, rng), port, auth, path)
            for i, (domain, number) in enumerate(users)]


def pool(domains: list[str], numbers: list[str], *, port: int, user: str, password: str,
         size: int = 2000, path: str = PATH, seed: int = 1) -> list[bytes]:
    """``size`` requests for random (user, domain) pairs among the seeded ones."""
    rng = random.Random(seed)
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    forms = templates()
    return [request_bytes(rewrite(rng.choice(forms), rng.choice(domains), rng.choice(numbers), 500 + i, rng),
                          port, auth, path) for i in range(size)]
