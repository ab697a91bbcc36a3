"""Issue 16 on the real switches: the control plane killed while a fax is on the line.

Alice faxes 2 Letter pages (3 with the cover) to the peer's fax machine; once the first page
is through, a second fax starts ringing a line that never answers (5145550188), and the
control plane is killed (SIGKILL: no goodbye). The switch under test finishes the fax alone
and ends the unanswered call; mod_xml_cdr cannot deliver either record (its retries run
into a closed port) and files both in its error folder. The control plane comes back: its
watchdog sees the fax's channel gone but does not send it again — it awaits the switch's
record. The operator replays the error folder (freeswitch-conf/replay-xml-cdr.sh): the fax
is recorded sent with its 3 pages and the remote station id, Alice gets one confirmation;
the unanswered call's record proves nobody picked up, so that fax — and only that one — is
tried again. Replaying the same records once more changes nothing. The control plane is
always started again (finally), so the session's rig is left as found.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

from . import fax_documents as docs
from .calls import wait_channel
from .rig import wait_for
from .switch import ROOT
from .test_fax import (ALICE, FAX_MACHINE, PAGE_SECONDS, VOICE_LINE, _text, alice, fax_line, job_of,  # noqa: F401
                       send_fax, wait_finished)

REPLAY = ROOT / "freeswitch-conf" / "replay-xml-cdr.sh"
CDR_POST_SECONDS = 4 * 10 + 20  # mod_xml_cdr: 1 + 3 retries, 10 s apart (xml_cdr.conf.xml), with margin


def _error_folder(rig) -> Path:
    return rig.sut.folder("log") / "xml_cdr"


def _filed(rig, job_id: int) -> Path | None:
    """The record of a try of ``job_id`` that mod_xml_cdr could not deliver, if filed (with
    ``encode=true`` the switch files it URL-encoded, as it posts it)."""
    for path in _error_folder(rig).glob("*.cdr.xml"):
        if f"<fax_job_id>{job_id}</fax_job_id>" in unquote(path.read_text(errors="replace")):
            return path
    return None


def _replay(rig) -> str:
    done = subprocess.run(["bash", str(REPLAY), "--conf", str(rig.sut.conf), "--dir", str(_error_folder(rig))],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


@pytest.fixture
def revived(rig):
    """Whatever a scenario does to the control plane, it runs again afterwards."""
    yield rig
    if rig.cp.process is None or rig.cp.process.poll() is not None:
        rig.cp.start()


def test_a_fax_delivered_while_the_control_plane_was_down_is_recorded_sent_and_never_sent_again(
        revived, world, alice, fax_line, tmp_path):  # noqa: F811 (fixtures of test_fax)
    rig = revived
    known_mail = len(rig.smtp.messages)
    peer_results = rig.peer.events("CUSTOM", "spandsp::rxfaxresult")
    peer_calls = rig.peer.events("CHANNEL_CREATE")
    try:
        fax = send_fax(alice, world, FAX_MACHINE, [("contrat.pdf", docs.letter_pdf("CONTRAT\nPAGE UN",
                                                                                  "CONTRAT\nPAGE DEUX"))], "Contrat")
        wait_for(lambda: job_of(alice, world, fax["id"])["pages_sent"] >= 1, 2 * PAGE_SECONDS, interval=0.5,
                 what="the first page through")
        silent = send_fax(alice, world, VOICE_LINE, [("devis.pdf", docs.letter_pdf("DEVIS"))], "Devis")
        wait_channel(rig.peer, 10, dest="1" + VOICE_LINE)
        rig.cp.kill()  # what the issue did: no shutdown of any kind

        # The switch carries on alone: the fax machine gets every page; both records are filed.
        result = wait_for(lambda: peer_results.next_event(5), 3 * PAGE_SECONDS, what="the fax finished at the peer")
        assert (result.get("fax-success"), result.get("fax-document-transferred-pages")) == ("1", "3"), result
        filed = {job["id"]: wait_for(lambda job=job: _filed(rig, job["id"]), CDR_POST_SECONDS,
                                     what=f"the record of job {job['id']} filed by mod_xml_cdr")
                 for job in (fax, silent)}
        kept = {job_id: tmp_path / path.name for job_id, path in filed.items()}
        for job_id, path in filed.items():
            shutil.copy(path, kept[job_id])

        # Back up: the fax is not sent again, its record is awaited.
        rig.cp.start()
        row = wait_for(lambda: (r := job_of(alice, world, fax["id"]))["outcome_due_by"] and r, 60, interval=1.0,
                       what="the watchdog awaiting the fax's record")
        assert (row["state"], row["attempts"]) == ("sending", 1), row

        assert "2 replayed, 0 kept, 0 rejected" in _replay(rig)
        row = job_of(alice, world, fax["id"])
        assert (row["state"], row["attempts"], row["pages_sent"], row["pages_total"]) == ("sent", 1, 3, 3), row
        assert (row["result_code"], row["remote_station_id"], row["outcome_source"]) == (0, "PHONES RIG", "cdr"), row
        assert row["outcome_due_by"] is None
        first = job_of(alice, world, silent["id"])
        assert (first["result_text"], first["failure_class"], first["outcome_source"]) == ("NO_ANSWER", "line", "cdr")
        assert first["line_retries"] == 1 and first["attempts"] in (1, 2), first

        def confirmations():
            return [m for m in rig.smtp.messages[known_mail:] if m["To"] == ALICE and "Sujet : Contrat" in _text(m)]
        [mail] = wait_for(confirmations, 20, what="the fax's confirmation")
        assert mail["Subject"] == f"Télécopie envoyée au 1{FAX_MACHINE} (3 pages)" and "3 / 3" in _text(mail)
        row = wait_for(lambda: (r := job_of(alice, world, fax["id"]))["confirmation_sent_at"] and r, 10,
                       what="the confirmation marked sent")

        # The same records once more (an operator replaying twice): nothing moves, no second email.
        for job_id, path in kept.items():
            shutil.copy(path, _error_folder(rig) / path.name)
        assert "2 replayed" in _replay(rig)
        done = wait_finished(alice, world, [silent["id"]], 60)[silent["id"]]
        assert (done["state"], done["attempts"], done["result_text"]) == ("failed", 3, "NO_ANSWER"), done
        assert job_of(alice, world, fax["id"]) == row and len(confirmations()) == 1

        # One call to the fax machine in all: it was never dialled again.
        calls = []
        while (event := peer_calls.next_event(1)) is not None:
            calls.append(event.get("Caller-Destination-Number"))
        assert calls.count("1" + FAX_MACHINE) == 1 and calls.count("1" + VOICE_LINE) == 3, calls
    finally:
        peer_results.close()
        peer_calls.close()
