"""Inbound dialplan requests as FreeSWITCH sends them for a carrier call (context ``public``).

The body is the recorded ``inbound-did-call`` request (tests/fixtures/xml_curl), with the dialed
number, the caller and the per-call ids rewritten. Built once, before the clock runs.
"""
from __future__ import annotations

import base64
import random
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "tests" / "fixtures" / "xml_curl" / "inbound-did-call" / "0037-dialplan-5145550100.form"
PATH = "/freeswitch/xml"
DIALED = ("Caller-Destination-Number", "Hunt-Destination-Number", "variable_sip_req_user", "variable_sip_to_user")
CALLER = ("Caller-Caller-ID-Number", "Caller-Orig-Caller-ID-Number", "Caller-ANI", "Caller-Username",
          "Hunt-Caller-ID-Number", "Hunt-Orig-Caller-ID-Number", "Hunt-ANI", "Hunt-Username", "variable_sip_from_user",
          "variable_sip_from_user_stripped")
UUIDS = ("Unique-ID", "Caller-Unique-ID", "Hunt-Unique-ID", "Channel-Call-UUID", "variable_uuid", "variable_call_uuid")


def template() -> list[tuple[str, str]]:
    return [tuple(item.split("=", 1)) for item in TEMPLATE.read_text().strip().split("&")]


def body(fields: list[tuple[str, str]], dialed: str, caller: str, seq: int, rng: random.Random) -> bytes:
    """One request: ``dialed`` as the carrier sends it (10 digits), from ``caller``."""
    call_id = str(uuid.UUID(int=rng.getrandbits(128)))
    values = {**{k: dialed for k in DIALED}, **{k: caller for k in CALLER}, **{k: call_id for k in UUIDS},
              "Event-Sequence": str(seq)}
    return "&".join(f"{k}={values.get(k, v)}" for k, v in fields).encode()


def request_bytes(payload: bytes, port: int, auth: str, path: str = PATH) -> bytes:
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Basic {auth}\r\n"
            f"User-Agent: freeswitch-xml/1.0\r\nAccept: */*\r\nContent-Length: {len(payload)}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n")
    return head.encode() + payload


def caller_number(rng: random.Random) -> str:
    return f"{rng.randint(2, 9)}{rng.randint(0, 99):02d}{rng.randint(2, 9)}{rng.randint(0, 999999):06d}"


def cold_pool(dids: list[str], *, port: int, user: str, password: str, path: str = PATH,
              seed: int = 1) -> list[bytes]:
    """One request per number of ``dids``, in that order (the cold phase), random callers."""
    rng = random.Random(seed + 2)
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    fields = template()
    return [request_bytes(body(fields, did, caller_number(rng), 1000 + i, rng), port, auth, path)
            for i, did in enumerate(dids)]


def pool(dids: list[str], *, port: int, user: str, password: str, size: int, path: str = PATH,
         seed: int = 1) -> list[bytes]:
    """``size`` requests: random company numbers, random (not blacklisted) callers."""
    rng = random.Random(seed)
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    fields = template()
    return [request_bytes(body(fields, rng.choice(dids), caller_number(rng), 1000 + i, rng), port, auth, path)
            for i in range(size)]
