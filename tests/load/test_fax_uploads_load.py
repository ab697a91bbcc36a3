"""50 fax uploads at once through the REST API: every one is checked, rendered and queued,
and FreeSWITCH's requests keep being answered meanwhile (the checks and Ghostscript run in
other processes; the server's own loop stays free)."""
from __future__ import annotations

import http.client
import json
import threading
import time

from reportlab.lib.pagesizes import LETTER

from tests.helpers import xml_curl_body
from tests.load.support import multipart, post, wait_threads
from tests.unit.test_fax_support import make_pdf

UPLOADS = 50
# mod_xml_curl's timeout (freeswitch-conf/autoload_configs/xml_curl.conf.xml): a REGISTER
# fetched during the burst must be answered within it, or the phone's registration fails.
XML_CURL_TIMEOUT = 5.0


def upload(served, body: bytes, content_type: str, results: list, start: threading.Event) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", served.cp.port, timeout=170)
    start.wait()
    begun = time.monotonic()
    try:
        conn.request("POST", f"/api/v1/accounts/{served.account_id}/fax/jobs", body=body, headers={
            "Content-Type": content_type, "Authorization": f"Bearer {served.sender_token}"})
        reply = conn.getresponse()
        results.append((reply.status, json.loads(reply.read() or b"{}"), time.monotonic() - begun))
    except (OSError, http.client.HTTPException) as exc:
        results.append((0, {"error": repr(exc)}, time.monotonic() - begun))
    finally:
        conn.close()


def probe_registrations(served, done: threading.Event, answers: list) -> None:
    """A sip_auth directory fetch every 0.2 s, as phones keep registering: (status, seconds)."""
    body = xml_curl_body("registration", "0022-directory-sip_auth.form").replace(
        b"=105&", b"=100&").replace(b"acme.test", served.domain.encode())
    headers = {"Authorization": served.xml_auth, "Content-Type": "application/x-www-form-urlencoded"}
    while not done.is_set():
        begun, status = time.monotonic(), 0
        conn = http.client.HTTPConnection("127.0.0.1", served.cp.port, timeout=30)
        try:
            status = post(conn, "/freeswitch/xml", body, headers)[0]
        except (OSError, http.client.HTTPException):
            pass  # timed out: status 0 and the time it took say so
        finally:
            conn.close()
        answers.append((status, time.monotonic() - begun))
        time.sleep(0.2)


def test_fifty_fax_uploads_at_once_are_all_queued_and_the_server_stays_responsive(served):
    body, content_type = multipart(served.fax_form, [("documents", "contrat.pdf", make_pdf(LETTER))])
    results, start, done, fetches = [], threading.Event(), threading.Event(), []
    uploaders = [threading.Thread(target=upload, args=(served, body, content_type, results, start))
                 for _ in range(UPLOADS)]
    prober = threading.Thread(target=probe_registrations, args=(served, done, fetches))
    for thread in uploaders + [prober]:
        thread.start()
    began = time.monotonic()
    start.set()
    wait_threads(uploaders, 170)
    elapsed = time.monotonic() - began
    done.set()
    wait_threads([prober], 30)
    slowest, fetch_max = max(seconds for _, _, seconds in results), max(seconds for _, seconds in fetches)
    print(f"LOAD fax {UPLOADS} uploads in {elapsed:.1f}s, slowest {slowest:.1f}s; sip_auth during them: "
          f"{len(fetches)} fetches, max {fetch_max * 1000:.0f} ms")
    assert [status for status, _, _ in results] == [201] * UPLOADS, [r for r in results if r[0] != 201][:3]
    assert all(job["state"] == "queued" and job["pages_total"] == 2 for _, job, _ in results)
    assert len({job["id"] for _, job, _ in results}) == UPLOADS
    assert {status for status, _ in fetches} == {200}
    assert fetch_max < XML_CURL_TIMEOUT, f"a registration waited {fetch_max:.2f}s behind the uploads"
