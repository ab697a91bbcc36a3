"""Internal dialplan requests as FreeSWITCH sends them for a call between two phones of an account.

The body is the recorded ``internal-call-answered`` request (tests/fixtures/xml_curl, extension
100 of acme.test calling 101), rewritten for a random caller / callee pair of one account: the
context and domain variables, the authenticated user, the dialed number, the SIP URIs that
embed them, and the per-call ids. Built once, before the clock runs.
"""
from __future__ import annotations

import base64
import random
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "tests" / "fixtures" / "xml_curl" / "internal-call-answered" / "0031-dialplan-101.form"
PATH = "/freeswitch/xml"
OLD_DOMAIN, OLD_CALLER, OLD_CALLEE = "acme.test", "100", "101"
DOMAIN = ("Caller-Context", "Hunt-Context", "variable_domain_name", "variable_user_context",
          "variable_requested_domain_name", "variable_sip_auth_realm", "variable_sip_from_host")
CALLER = ("Caller-Username", "Caller-Caller-ID-Number", "Caller-Orig-Caller-ID-Number", "Caller-ANI",
          "Hunt-Username", "Hunt-Caller-ID-Number", "Hunt-Orig-Caller-ID-Number", "Hunt-ANI",
          "variable_sip_from_user", "variable_sip_from_user_stripped", "variable_sip_number_alias",
          "variable_sip_auth_username", "variable_number_alias", "variable_requested_user_name",
          "variable_effective_caller_id_number", "variable_user_name")
DIALED = ("Caller-Destination-Number", "Hunt-Destination-Number", "variable_sip_req_user", "variable_sip_to_user")
UUIDS = ("Unique-ID", "Caller-Unique-ID", "Hunt-Unique-ID", "Channel-Call-UUID", "variable_uuid", "variable_call_uuid")


def template() -> list[tuple[str, str]]:
    return [tuple(item.split("=", 1)) for item in TEMPLATE.read_text().strip().split("&")]


def _embedded(value: str, domain: str, caller: str, callee: str) -> str:
    """URIs and channel names: 100%40acme.test, 101%40127.0.0.1…, User%20100."""
    if OLD_DOMAIN not in value and "%40" not in value:
        return value
    return (value.replace(f"{OLD_CALLER}%40{OLD_DOMAIN}", f"{caller}%40{domain}")
            .replace(f"{OLD_CALLEE}%40", f"{callee}%40").replace(OLD_DOMAIN, domain))


def body(fields: list[tuple[str, str]], domain: str, caller: str, callee: str, seq: int,
         rng: random.Random) -> bytes:
    call_id = str(uuid.UUID(int=rng.getrandbits(128)))
    values = {**{k: domain for k in DOMAIN}, **{k: caller for k in CALLER}, **{k: callee for k in DIALED},
              **{k: call_id for k in UUIDS}, "Event-Sequence": str(seq),
              "variable_effective_caller_id_name": f"User%20{caller}"}
    return "&".join(f"{k}={values[k] if k in values else _embedded(v, domain, caller, callee)}"
                    for k, v in fields).encode()


def request_bytes(payload: bytes, port: int, auth: str, path: str = PATH) -> bytes:
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Basic {auth}\r\n"
            f"User-Agent: freeswitch-xml/1.0\r\nAccept: */*\r\nContent-Length: {len(payload)}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n")
    return head.encode() + payload


def pairs(domains: list[str], numbers: list[str], size: int, seed: int = 1) -> list[tuple[str, str, str]]:
    """``size`` random (domain, caller, callee) triples, caller != callee, both of that account."""
    rng = random.Random(seed)
    return [(rng.choice(domains), *rng.sample(numbers, 2)) for _ in range(size)]


def cold_pool(calls: list[tuple[str, str, str]], *, port: int, user: str, password: str, path: str = PATH,
              seed: int = 1) -> list[bytes]:
    """One request per (domain, caller, callee) of ``calls``, in that order (the cold phase)."""
    rng = random.Random(seed + 2)
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    fields = template()
    return [request_bytes(body(fields, d, a, b, 1000 + i, rng), port, auth, path) for i, (d, a, b) in enumerate(calls)]


def pool(domains: list[str], numbers: list[str], *, port: int, user: str, password: str, size: int,
         path: str = PATH, seed: int = 1) -> list[bytes]:
    rng = random.Random(seed + 1)
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    fields = template()
    return [request_bytes(body(fields, d, a, b, 1000 + i, rng), port, auth, path)
            for i, (d, a, b) in enumerate(pairs(domains, numbers, size, seed))]
