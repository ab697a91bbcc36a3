"""Faxes through the real switches: sent over T.38 to a real spandsp receiver, received from the
carrier, retried when nobody answers.

Alice (acme.test) sends from the company fax number through the REST API; the fax worker inside
``pbx run`` places each try on the switch under test, which dials the peer through the carrier
gateway. The peer answers 5145550199 / 5145550198 with ``rxfax`` (T.38 on) and keeps the pages
in ``peer/storage/rx-<number>-<uuid>.tif``; it lets 5145550188 ring forever. What is asserted
is what the machines really did: the pages the receiving fax machine holds (count, width,
resolution, content), how the switches negotiated, the job as the API shows it, the emails.
"""
from __future__ import annotations

import json
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
import uuid as uuidlib
from dataclasses import dataclass
from email.message import EmailMessage
from http.cookiejar import CookieJar

import pytest

from fax.render import render_fax_tiff

from . import fax_documents as docs
from .calls import originate
from .control_plane import Api, ApiError
from .rig import wait_for
from .world import DID_ALICE, DID_FAX

ALICE = "alice@acme.test"
RECEPTION = "reception@acme.test"
FAX_MACHINE, FAX_MACHINE_2, VOICE_LINE = "5145550199", "5145550198", "5145550188"
PAGE_SECONDS = 40  # one fine page over T.38 with the call set-up, generously
FINISHED = ("sent", "failed", "cancelled")
# A sending machine prints its line (name, date, "page x/y") above each page: spandsp adds 32
# rows at fine resolution and moves the page down by as much. Pages are compared below this
# many rows, the received one allowed to sit up to this many rows lower.
HEADER_ROWS = 80


# -- the people and the fax line ---------------------------------------------------------------
def _form(opener, url: str, fields: dict[str, str]) -> str:
    """Open a page of the web UI and submit its form with ``fields`` (and its CSRF token)."""
    page = opener.open(url, timeout=30).read().decode()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": csrf, **fields}).encode()
    return opener.open(urllib.request.Request(url, data=data, method="POST"), timeout=30).read().decode()


def _choose_password(rig, email: str) -> str:
    """What a user does to get in: "Forgot your password?", then the emailed link. (Not the
    welcome email's link: another module of the session may have used it already.)"""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    known = len(rig.smtp.messages)
    _form(opener, f"{rig.cp.url}/password/forgot", {"email": email})

    def link():
        for message in rig.smtp.messages[known:]:
            found = message["To"] == email and re.search(r"https?://\S+/password/reset/\S+", _text(message))
            if found:
                return found.group(0)
        return None
    password = "Fax-" + secrets.token_hex(8)
    _form(opener, wait_for(link, 10, what=f"password reset email to {email}"),
          {"password": password, "password_confirm": password})
    return password


@pytest.fixture(scope="module")
def alice(rig, world) -> Api:
    """Alice, logged in, with the fax right the admin grants (FAX-1)."""
    api = Api(rig.cp.url).login(ALICE, _choose_password(rig, ALICE))
    users = rig.operator.get(f"/accounts/{world.acme.id}/fax/users")
    user_id = next(u["id"] for u in users if u["email"] == ALICE)
    assert rig.operator.put(f"/accounts/{world.acme.id}/fax/users/{user_id}", {"can_fax": True})["can_fax"] is True
    return api


@pytest.fixture(scope="module")
def fax_line(rig, world) -> dict:
    """The company fax number, with the confirmation email on (operator) and two recipients for
    the faxes it receives (admin)."""
    number = world.acme.numbers[DID_FAX]
    row = rig.operator.patch(f"/accounts/{world.acme.id}/fax/numbers/{number['id']}",
                             {"fax_confirmation_email": True, "fax_inbound_emails": f"{ALICE}, {RECEPTION}"})
    assert row["is_fax"] and row["fax_confirmation_email"]
    return row


# -- sending through the API --------------------------------------------------------------------
def _multipart(fields: dict[str, str], files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "e2e" + uuidlib.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts += [(f'--{boundary}\r\nContent-Disposition: form-data; name="documents"; filename="{name}"\r\n'
               "Content-Type: application/pdf\r\n\r\n").encode() + data + b"\r\n" for name, data in files]
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _raw(api: Api, method: str, path: str, data: bytes | None = None, content_type: str = "") -> tuple[int, bytes]:
    request = urllib.request.Request(api.base + "/api/v1" + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {api.token}")
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def send_fax(api: Api, world, destination: str, documents: list[tuple[str, bytes]], subject: str) -> dict:
    """POST …/fax/jobs as the send form does (multipart: cover fields + PDFs); the queued job."""
    sender = world.acme.numbers[DID_FAX]["id"]
    fields = {"destination": destination, "sender_number_id": str(sender),
              "sender_phone_id": str(world.acme.numbers[DID_ALICE]["id"]), "language": "fr", "subject": subject,
              "to_name": "Réception", "to_company": "Client inc.", "to_phone": destination,
              "from_name": "Alice Tremblay", "from_company": "Acme", "comments": "Voir les pages jointes."}
    body, content_type = _multipart(fields, documents)
    status, reply = _raw(api, "POST", f"/accounts/{world.acme.id}/fax/jobs", body, content_type)
    if status != 201:
        raise ApiError(status, reply.decode(errors="replace"), f"POST fax job to {destination}")
    job = json.loads(reply)
    assert job["state"] == "queued", job
    return job


def job_of(api: Api, world, job_id: int) -> dict:
    return api.get(f"/accounts/{world.acme.id}/fax/jobs/{job_id}")


def wait_finished(api: Api, world, job_ids: list[int], timeout: float) -> dict[int, dict]:
    def finished():
        rows = {i: job_of(api, world, i) for i in job_ids}
        return rows if all(r["state"] in FINISHED for r in rows.values()) else None
    return wait_for(finished, timeout, interval=1.0, what=f"fax jobs {job_ids} finished")


# -- what the switches and the mail server saw ---------------------------------------------------
def fax_results(client, count: int, timeout: float) -> list[dict]:
    """The next ``count`` spandsp result events on an ESL subscription (``timeout`` s each)."""
    results = []
    while len(results) < count:
        event = client.next_event(timeout)
        assert event is not None, f"only {len(results)} of {count} fax result events arrived"
        if event.get("Event-Subclass", "").endswith("faxresult"):
            results.append(event)
    return results


def _text(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    return body.get_content() if body is not None else ""


def emails(rig, to: str, subject_has: str) -> list[EmailMessage]:
    return [m for m in rig.smtp.messages if to in (m["To"] or "") and subject_has in (m["Subject"] or "")]


def pdf_attachments(message: EmailMessage) -> list[bytes]:
    return [part.get_content() for part in message.iter_attachments()
            if part.get_content_type() == "application/pdf"]


def assert_fine_fax_pages(pages: list[docs.FaxPage], count: int) -> None:
    assert len(pages) == count, f"{len(pages)} pages received, {count} sent"
    for number, page in enumerate(pages, start=1):
        assert page.size[0] == docs.FAX_WIDTH_PX, f"page {number} is {page.size[0]} px wide"
        assert abs(page.dpi[0] - 204) <= 2 and abs(page.dpi[1] - 196) <= 2, f"page {number} at {page.dpi} dpi"
        assert page.black_fraction > 0.01, f"page {number} arrived blank"


# -- the faxes sent, all at once -----------------------------------------------------------------
@dataclass
class Sent:
    """One fax job as the API finished it, and what the switches said about its call."""
    job: dict  # the finished row
    drawn: list[docs.FaxPage]  # the uploaded pages, drawn at the fax resolution
    sut_result: dict  # spandsp::txfaxresult on the switch under test
    peer_result: dict  # spandsp::rxfaxresult on the receiving fax machine (the peer)
    received: list[docs.FaxPage]  # the pages that machine stored


@pytest.fixture(scope="module")
def outgoing(rig, world, alice, fax_line) -> dict[str, Sent | ApiError]:
    """Alice sends three faxes at once (a page takes ~10 s; the worker places 4 at a time):
    2 Letter pages to 5145550199, 1 A4 page to 5145550198 and 1 Letter page to
    +15145550199. Each job is matched to its call on both switches by the SIP Call-ID, and to
    the TIFF the peer wrote by the peer's channel uuid (``rx-<number>-<uuid>.tif``)."""
    documents = {
        "letter": (FAX_MACHINE, docs.letter_pdf("LETTER ONE\nBONJOUR", "LETTER TWO\nMERCI")),
        "a4": (FAX_MACHINE_2, docs.a4_pdf("A4 SINGLE\nPAGE")),
        "plus_one": ("+1" + FAX_MACHINE, docs.letter_pdf("PLUS ONE\nLOCAL")),
    }
    sut_events = rig.sut.events("CUSTOM", "spandsp::txfaxresult")
    peer_events = rig.peer.events("CUSTOM", "spandsp::rxfaxresult")
    jobs, sent = {}, {}
    try:
        for name, (number, pdf) in documents.items():
            try:
                jobs[name] = send_fax(alice, world, number, [(f"{name}.pdf", pdf)], name)
            except ApiError as refused:  # fails that scenario only (see :func:`delivered`)
                sent[name] = refused
        done = wait_finished(alice, world, [j["id"] for j in jobs.values()], 4 * PAGE_SECONDS)
        sut_results = fax_results(sut_events, len(jobs), 10)
        peer_results = fax_results(peer_events, len(jobs), 10)
    finally:
        sut_events.close()
        peer_events.close()
    by_job = {e.get("variable_fax_job_id"): e for e in sut_results}
    by_call = {e.get("variable_sip_call_id"): e for e in peer_results}
    for name, job in jobs.items():
        sut_result = by_job[str(job["id"])]
        peer_result = by_call[sut_result.get("variable_sip_call_id")]
        [tiff] = rig.peer.folder("storage").glob(f"rx-*-{peer_result['Unique-ID']}.tif")
        sent[name] = Sent(done[job["id"]], docs.pdf_pages(documents[name][1]), sut_result, peer_result,
                          docs.tiff_pages(tiff))
    return sent


def delivered(outgoing: dict[str, Sent | ApiError], name: str) -> Sent:
    fax = outgoing[name]
    assert not isinstance(fax, ApiError), f"the {name} fax was refused: {fax}"
    return fax


# -- the scenarios --------------------------------------------------------------------------------
def test_letter_and_a4_faxes_arrive_over_t38_with_their_cover_page_at_fine_resolution(rig, outgoing):
    """A 2-page Letter and a 1-page A4 fax, each with the cover page the control plane draws:
    the receiving fax machine (the peer's spandsp) holds cover + pages, 1728 px wide at
    204×196 dpi, each showing what was uploaded, in order; both switches report T.38
    negotiated and every page transferred; the API shows the jobs sent on the first try; Alice
    gets one confirmation email per fax with the cover page attached."""
    for name, pages, number in (("letter", 3, FAX_MACHINE), ("a4", 2, FAX_MACHINE_2)):
        fax = delivered(outgoing, name)
        assert fax.job["state"] == "sent", fax.job
        assert (fax.job["pages_total"], fax.job["pages_sent"], fax.job["attempts"], fax.job["result_code"]) == (
            pages, pages, 1, 0), fax.job
        assert (fax.job["remote_station_id"], fax.job["toll_class"]) == ("PHONES RIG", "local"), fax.job

        # What the receiving fax machine holds: cover + pages, fine resolution, the pages drawn.
        assert fax.peer_result.get("Caller-Destination-Number") == "1" + number
        assert_fine_fax_pages(fax.received, pages)
        for index, (drawn, got) in enumerate(zip(fax.drawn, fax.received[1:]), start=2):
            assert docs.difference(drawn, got, skip_top=HEADER_ROWS, max_shift=HEADER_ROWS) < 0.05, (name, index)
        assert docs.difference(fax.drawn[0], fax.received[0], skip_top=HEADER_ROWS,
                               max_shift=HEADER_ROWS) > 0.1  # page 1 received is the cover, not the document

        # How the switches did it: T.38 at both ends, every page, no error.
        for result in (fax.sut_result, fax.peer_result):
            assert (result.get("fax-success"), result.get("fax-result-code")) == ("1", "0"), result
            assert result.get("variable_fax_t38_status") == "negotiated", result.get("variable_fax_t38_status")
            assert result.get("fax-document-transferred-pages") == str(pages)
    letter = delivered(outgoing, "letter")
    assert docs.difference(letter.drawn[0], letter.received[2], skip_top=HEADER_ROWS,
                           max_shift=HEADER_ROWS) > 0.1  # page 1 is not page 2: the order held

    # Alice's confirmations, one per fax, each with the cover page.
    for name, number, pages in (("letter", FAX_MACHINE, 3), ("a4", FAX_MACHINE_2, 2)):
        [message] = wait_for(lambda: emails(rig, ALICE, f"Télécopie envoyée au 1{number} ({pages} pages)"), 20,
                             what=f"confirmation of the {name} fax")
        assert "Résultat : envoyée" in _text(message) and f"{pages} / {pages}" in _text(message)
        [cover] = pdf_attachments(message)
        assert docs.pdf_pages(cover)[0].black_fraction > 0.005  # the cover page, not an empty one


def test_a_fax_to_the_plus_one_form_of_a_local_number_is_sent_as_a_local_fax(outgoing):
    """``+15145550199`` is the same local number as ``5145550199`` (issue 13: it was classified
    long distance, and refused to anyone without that right): the job is accepted as a local
    fax, the carrier is dialed with the same 11 digits as for ``5145550199`` and the fax machine
    stores the cover and the page."""
    fax = delivered(outgoing, "plus_one")
    assert (fax.job["state"], fax.job["toll_class"], fax.job["destination"]) == ("sent", "local", "1" + FAX_MACHINE)
    assert (fax.job["pages_sent"], fax.job["result_code"]) == (2, 0), fax.job
    assert fax.peer_result.get("Caller-Destination-Number") == "1" + FAX_MACHINE
    assert_fine_fax_pages(fax.received, 2)
    assert docs.difference(fax.drawn[0], fax.received[1], skip_top=HEADER_ROWS, max_shift=HEADER_ROWS) < 0.05


def test_a_fax_from_the_carrier_lands_in_the_inbox_as_a_pdf_showing_the_pages_sent(rig, world, fax_line, tmp_path):
    """The carrier (peer) faxes 2 Letter pages over T.38 to the company fax number: the switch
    under test receives them with T.38 negotiated, a received fax appears in the API with 2
    pages, its PDF drawn back by Ghostscript shows the very pages that were sent (not blank
    ones), and both recipients of the number get it by email with that PDF."""
    sent_pdf = docs.letter_pdf("INBOUND ONE\nFROM CARRIER", "INBOUND TWO\nLAST PAGE")
    tiff = render_fax_tiff([sent_pdf], tmp_path / "outgoing.tif").path  # as the product renders a fax
    sent_pages = docs.tiff_pages(tiff)
    assert_fine_fax_pages(sent_pages, 2)
    inbox = f"/accounts/{world.acme.id}/fax/received"
    before = {row["id"] for row in rig.operator.get(inbox)}

    def arrived():
        rows = [r for r in rig.operator.get(inbox) if r["id"] not in before]
        return rows[0] if rows and (rows[0]["ready"] or rows[0]["error"]) else None

    received_events = rig.sut.events("CUSTOM", "spandsp::rxfaxresult")
    try:
        leg = originate(rig.peer, "carrier", DID_FAX, f"&txfax({tiff})", caller_number="5145550142",
                        variables={"fax_enable_t38": "true", "fax_enable_t38_request": "true",
                                   "fax_ident": "5145550142", "fax_header": "CLIENT"})
        row = wait_for(arrived, 3 * PAGE_SECONDS, interval=1.0, what=f"received fax of call {leg} ready")
        [result] = fax_results(received_events, 1, 10)
    finally:
        received_events.close()
    assert (result.get("fax-success"), result.get("fax-document-transferred-pages")) == ("1", "2"), result
    assert result.get("variable_fax_t38_status") == "negotiated", result.get("variable_fax_t38_status")
    assert (row["pages"], row["error"], row["result_text"]) == (2, None, None), row
    assert row["caller_number"].endswith("5145550142") and row["remote_station_id"] == "5145550142", row

    status, pdf = _raw(rig.operator, "GET", f"{inbox}/{row['id']}/pdf")
    assert status == 200 and pdf.startswith(b"%PDF")
    assert_pdf_shows(pdf, sent_pages)

    for recipient in (ALICE, RECEPTION):
        [message] = wait_for(lambda: [m for m in emails(rig, recipient, "Télécopie reçue")
                                      if pdf_attachments(m) == [pdf]], 20, what=f"received-fax email to {recipient}")
        assert "Pages : 2" in _text(message) and "5145550142" in message["Subject"]


def assert_pdf_shows(pdf: bytes, sent_pages: list[docs.FaxPage]) -> None:
    """Each page of ``pdf``, drawn at the fax resolution, is the page that was sent: same size
    within 2 px, not blank, and < 5 % of the black pixels differ below the fax header line."""
    drawn = docs.pdf_pages(pdf)
    assert len(drawn) == len(sent_pages)
    for number, (sent, got) in enumerate(zip(sent_pages, drawn), start=1):
        assert abs(got.size[0] - sent.size[0]) <= 2, (number, got.size, sent.size)
        assert got.black_fraction > 0.01, f"page {number} of the received PDF is blank"
        assert docs.difference(sent, got, skip_top=HEADER_ROWS, max_shift=HEADER_ROWS) < 0.05, f"page {number} differs"


def test_a_fax_to_a_line_nobody_answers_is_tried_three_times_then_fails_as_unanswered(rig, world, alice, fax_line):
    """5145550188 rings and never answers. With the rig's ladder (``PBX_FAX_RING_SECONDS=6``,
    ``PBX_FAX_LINE_RETRY_SECONDS=1,1``: two retries) the job is tried three times on the same
    rung: three calls ring at the peer and end NO_ANSWER on the switch under test, each try's
    outcome is recorded as it ends, then the job fails as a line failure and Alice's failure
    email says in words that nobody answered."""
    hangups = rig.sut.events("CHANNEL_HANGUP_COMPLETE")
    rings = rig.peer.events("CHANNEL_CREATE")
    try:
        job = send_fax(alice, world, VOICE_LINE, [("devis.pdf", docs.letter_pdf("NOBODY\nANSWERS"))], "Devis")
        row = wait_finished(alice, world, [job["id"]], 60)[job["id"]]
        tries = _events_where(hangups, 3, variable_fax_job_id=str(job["id"]))
        calls = _events_where(rings, 3, **{"Caller-Destination-Number": "1" + VOICE_LINE})
    finally:
        hangups.close()
        rings.close()

    assert (row["state"], row["attempts"], row["line_retries"], row["ladder_rung"]) == ("failed", 3, 2, 0), row
    assert (row["failure_class"], row["result_text"], row["pages_sent"]) == ("line", "NO_ANSWER", 0), row
    assert [(e.get("variable_pbx_fax_attempt"), e.get("Hangup-Cause")) for e in tries] == [
        ("1", "NO_ANSWER"), ("2", "NO_ANSWER"), ("3", "NO_ANSWER")]
    assert len(calls) == 3
    assert [e.get("variable_originate_timeout") for e in tries] == ["6", "6", "6"]
    outcomes = re.findall(rf"fax try failed job={job['id']} attempt=(\d) class=line code=None "
                          r"text='NO_ANSWER' -> (\w+)", rig.cp.log_text())
    assert outcomes == [("1", "retrying"), ("2", "retrying"), ("3", "failed")]

    [message] = wait_for(lambda: emails(rig, ALICE, f"Échec de la télécopie au 1{VOICE_LINE}"), 20,
                         what="failure email")
    assert "Résultat : échec — personne n'a répondu (NO_ANSWER)" in _text(message)
    assert "Pages envoyées : 0 / 2" in _text(message)


def _events_where(client, count: int, **match: str) -> list[dict]:
    """The first ``count`` events on ``client`` whose headers equal ``match`` (10 s for each)."""
    found = []
    while len(found) < count and (event := client.next_event(10)) is not None:
        if all(event.get(k) == v for k, v in match.items()):
            found.append(event)
    return found
