"""xml_curl directory (sip_auth) and dialplan at a sustained rate for 60 s: every answer is a
200 with the right document, none late by more than the bound."""
from __future__ import annotations

import os

from tests.helpers import xml_curl_body
from tests.load.conftest import EXTENSIONS
from tests.load.support import sustained

RATE = 200  # requests per second, half directory, half dialplan
SECONDS = float(os.environ.get("PBX_LOAD_SECONDS", "60"))
P99_BOUND = 0.5  # seconds: a few ms on a quiet machine; FreeSWITCH waits up to its 5 s binding timeout


def directory_requests(domain: str) -> list:
    recorded = xml_curl_body("registration", "0022-directory-sip_auth.form")  # 105@acme.test
    out = []
    for user in EXTENSIONS:
        body = recorded.replace(b"=105&", f"={user}&".encode()).replace(b"acme.test", domain.encode())
        out.append((body, lambda status, data, user=user: status == 200 and b"a1-hash" in data
                    and f'id="{user}"'.encode() in data))
    return out


def dialplan_requests(domain: str) -> list:
    recorded = xml_curl_body("internal-call-answered", "0031-dialplan-101.form")  # 100 calls 101
    out = []
    for callee in EXTENSIONS[1:]:
        body = recorded.replace(b"=101&", f"={callee}&".encode()).replace(b"acme.test", domain.encode())
        out.append((body, lambda status, data, callee=callee: status == 200 and b'name="dialplan"' in data
                    and f"{callee}@".encode() in data))
    return out


def test_directory_and_dialplan_at_a_sustained_rate_answer_without_a_single_error(served):
    requests = [item for pair in zip(directory_requests(served.domain), dialplan_requests(served.domain))
                for item in pair]
    headers = {"Authorization": served.xml_auth, "Content-Type": "application/x-www-form-urlencoded"}
    tally = sustained(served.cp.port, "/freeswitch/xml", requests, headers, rate=RATE, seconds=SECONDS)
    achieved = len(tally.latencies) / tally.seconds
    summary = (f"{len(tally.latencies)} requests in {tally.seconds:.1f}s ({achieved:.0f}/s), p50 {tally.percentile(0.5) * 1000:.1f} ms, "
               f"p99 {tally.percentile(0.99) * 1000:.1f} ms, max {max(tally.latencies) * 1000:.0f} ms, "
               f"worst lag {tally.lag * 1000:.0f} ms, answers over 1 s (at, took): {tally.slow[:10]}")
    print("LOAD xml_curl", summary)
    assert not tally.errors, f"{len(tally.errors)} errors, first: {tally.errors[:3]}"
    assert len(tally.latencies) == RATE * SECONDS, summary
    assert achieved >= RATE * 0.95, summary  # sustained: the whole run kept up with the schedule
    assert tally.percentile(0.99) < P99_BOUND, summary
