"""Fax outcomes that survive our absence (issue 16): a try that ended while nobody listened is
never resent blindly; the switch's record (mod_xml_cdr, POST /freeswitch/cdr) settles it, once,
however many times it is posted; without a record the fax ends "outcome unknown".

The records are the real ones the switch filed in its error folder during the real-switch
scenario (tests/fixtures/xml_cdr/), posted exactly as mod_xml_cdr and the replay script post
them (``cdr=<the file>``), their job id made ours.
"""
from __future__ import annotations

import base64
import re
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from esl_handlers.fax_worker import FaxWorker
from fs_service.db import db, utcnow
from fs_service.fax import jobs, outbox, queue
from fs_service.models import FaxJob
from tests.integration.test_fax_ui import login
from tests.integration.test_fax_worker_support import *  # noqa: F403 (fixtures)
from tests.integration.test_fax_worker_support import SUCCESS_UUID, send_fax_mail

RECORDS = Path(__file__).resolve().parents[1] / "fixtures" / "xml_cdr"
DELIVERED, UNANSWERED = "fax-send-letter-3-pages-t38.cdr.xml", "fax-send-voice-line-no-answer.cdr.xml"
AUTH = {"Authorization": "Basic " + base64.b64encode(b"freeswitch:xml-secret").decode()}


def record(name: str, job_id: int, attempt: int = 1) -> str:
    """A recorded ``cdr=`` value (URL-encoded XML) with our job id and attempt."""
    text = (RECORDS / name).read_text()
    text = re.sub(r"%3Cfax_job_id%3E\d+%3C", f"%3Cfax_job_id%3E{job_id}%3C", text)
    return re.sub(r"%3Cpbx_fax_attempt%3E\d+%3C", f"%3Cpbx_fax_attempt%3E{attempt}%3C", text)


def post(app, body: str, headers: dict | None = None, peer: str = "127.0.0.1"):
    return app.test_client().post("/freeswitch/cdr?uuid=x", data="cdr=" + body,
                                  content_type="application/x-www-form-urlencoded",
                                  headers=AUTH if headers is None else headers, environ_base={"REMOTE_ADDR": peer})


def ended_unheard(world, running, fake_fs) -> FaxJob:
    """A try answered (the originate said +OK), then the listener and the channel were gone."""
    job = world.submit()
    fake_fs.set_reply("originate", f"+OK {SUCCESS_UUID}\n")
    running.place()
    db.session.execute(sa.update(FaxJob).where(FaxJob.id == job.id)
                       .values(claimed_at=utcnow() - timedelta(minutes=10)))
    db.session.commit()
    assert running.worker.watch() == 1
    db.session.refresh(job)
    return job


def past_the_wait(job: FaxJob) -> None:
    db.session.execute(sa.update(FaxJob).where(FaxJob.id == job.id)
                       .values(outcome_due_by=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def test_a_try_whose_channel_is_gone_awaits_the_switch_record_and_is_not_placed_again(world, running, fake_fs,
                                                                                      fax_app):
    job = ended_unheard(world, running, fake_fs)
    assert (job.state, job.attempts, job.line_retries) == ("sending", 1, 0)
    wait = job.outcome_due_by.replace(tzinfo=None) - utcnow().replace(tzinfo=None)
    assert timedelta(minutes=29) < wait <= timedelta(minutes=30)  # PBX_FAX_OUTCOME_WAIT_SECONDS default
    assert running.place() == [] and running.worker.watch() == 0  # nothing resent, nothing moved
    assert outbox.progress(job)["awaiting_outcome"] is True
    [live] = login(world.app, world.sender).get(
        f"/accounts/{world.account.id}/fax/outbox/status?ids={job.id}").get_json()
    assert (live["state"], live["state_label"]) == ("sending", "En attente du compte rendu du commutateur")


def test_the_record_of_a_fax_delivered_meanwhile_marks_it_sent_once_however_often_it_is_posted(
        world, running, fake_fs, fax_app):
    job = ended_unheard(world, running, fake_fs)
    reply = post(fax_app, record(DELIVERED, job.id))
    assert (reply.status_code, reply.get_data(as_text=True)) == (200, "ok fax-send\n")
    db.session.refresh(job)
    assert (job.state, job.attempts, job.pages_sent, job.result_code, job.remote_station_id) == (
        "sent", 1, 3, 0, "PHONES RIG")
    assert (job.outcome_source, job.outcome_due_by, job.duration_seconds) == ("cdr", None, 30)
    assert send_fax_mail(fax_app.config["PBX"], world.storage) == 1
    updated = job.updated_at
    for _ in range(2):  # the switch's own retry, then the operator's replay
        assert post(fax_app, record(DELIVERED, job.id)).status_code == 200
    db.session.expire_all()
    assert db.session.get(FaxJob, job.id).updated_at == updated
    assert send_fax_mail(fax_app.config["PBX"], world.storage) == 0
    assert len(world.smtp.messages) == 1 and running.place() == []


def test_without_a_record_the_fax_shows_outcome_unknown_and_is_never_resent(world, running, fake_fs, fax_app):
    job = ended_unheard(world, running, fake_fs)
    past_the_wait(job)
    assert running.worker.watch() == 1
    db.session.refresh(job)
    assert (job.state, job.result_text, job.outcome_source, job.attempts) == (
        "unknown", jobs.UNKNOWN_TEXT, "watchdog", 1)
    assert running.place() == [] and running.worker.watch() == 0

    # What the sender sees: the state, why, and a "send again" that is theirs to press.
    client = login(world.app, world.sender)
    page = client.get(f"/accounts/{world.account.id}/fax/outbox").text
    row = page[page.index(f'id="job-{job.id}"'):]
    assert "Résultat inconnu" in row and "vérifiez auprès de lui avant de la renvoyer" in row
    assert f"/fax/outbox/{job.id}/resend" in row
    [live] = client.get(f"/accounts/{world.account.id}/fax/outbox/status?ids={job.id}").get_json()
    assert (live["state"], live["state_label"], live["active"]) == ("unknown", "Résultat inconnu", False)


def test_a_late_record_still_settles_an_unknown_fax(world, running, fake_fs, fax_app):
    job = ended_unheard(world, running, fake_fs)
    past_the_wait(job)
    running.worker.watch()
    assert post(fax_app, record(DELIVERED, job.id)).status_code == 200
    db.session.refresh(job)
    assert (job.state, job.pages_sent, job.outcome_source) == ("sent", 3, "cdr")


def test_a_record_proving_nobody_answered_is_the_rule_that_allows_a_retry(world, running, fake_fs, fax_app):
    """No page can have reached a line that never answered: the try is a line failure and the
    ladder retries it, like a NO_ANSWER heard live — here for a try whose originate reply
    died with the worker, and for one already shown "unknown"."""
    job = world.submit()
    assert queue.claim(job.id, "fs1") and not db.session.commit()  # placed; the worker died waiting
    reply = post(fax_app, record(UNANSWERED, job.id))
    assert reply.status_code == 200
    db.session.refresh(job)
    assert (job.state, job.failure_class, job.result_text, job.line_retries, job.outcome_source) == (
        "retrying", "line", "NO_ANSWER", 1, "cdr")

    other = ended_unheard(world, running, fake_fs)
    past_the_wait(other)
    running.worker.watch()
    assert post(fax_app, record(UNANSWERED, other.id)).status_code == 200
    db.session.refresh(other)
    assert (other.state, other.result_text) == ("retrying", "NO_ANSWER")


def test_a_record_of_an_older_try_does_not_move_a_newer_one(world, running, fake_fs, fax_app):
    job = ended_unheard(world, running, fake_fs)
    db.session.execute(sa.update(FaxJob).where(FaxJob.id == job.id).values(attempts=2, outcome_due_by=None))
    db.session.commit()
    assert post(fax_app, record(UNANSWERED, job.id, attempt=1)).status_code == 200
    db.session.refresh(job)
    assert (job.state, job.attempts, job.line_retries) == ("sending", 2, 0)


def test_the_record_door_is_guarded_like_xml_curl(world, fax_app):
    job = world.submit()
    body = record(DELIVERED, job.id)
    assert post(fax_app, body, headers={}).status_code == 401
    wrong = {"Authorization": "Basic " + base64.b64encode(b"freeswitch:nope").decode()}
    assert post(fax_app, body, headers=wrong).status_code == 401
    assert post(fax_app, body, peer="203.0.113.9").status_code == 403
    db.session.refresh(job)
    assert job.state == "queued"


def test_records_of_other_calls_are_acknowledged_and_garbage_is_refused(world, fax_app):
    assert post(fax_app, "%3Ccdr%3E%3Cvariables%3E%3Cuuid%3Ea%3C/uuid%3E%3C/variables%3E%3C/cdr%3E").get_data(
        as_text=True) == "ok not-fax\n"
    refused = post(fax_app, "fax_job_id%3Cnot%20xml")
    assert refused.status_code == 400 and "not XML" in refused.get_data(as_text=True)
    assert post(fax_app, "%3Cfax_job_id%3E1%3C/fax_job_id%3E").status_code == 400  # no <cdr><variables>


def test_a_worker_restarted_after_the_switch_finished_alone_never_dials_again(world, running, fake_fs, fax_app):
    """The issue's sequence: the worker (with the whole control plane) dies mid-fax; the switch
    finishes; a new worker's watchdog awaits the record; the replayed record says sent."""
    job = world.submit()
    fake_fs.set_reply("originate", f"+OK {SUCCESS_UUID}\n")
    running.place()
    running.worker.stop()
    db.session.execute(sa.update(FaxJob).values(claimed_at=utcnow() - timedelta(minutes=10)))
    db.session.commit()
    successor = FaxWorker(fax_app, poll=0.05, watchdog_every=0)
    running.worker = successor
    try:
        assert successor.watch() == 1 and running.place() == []
        assert post(fax_app, record(DELIVERED, job.id)).status_code == 200
        assert running.place() == []
        db.session.refresh(job)
        assert (job.state, job.attempts) == ("sent", 1)
        originates = [c for c in fake_fs.commands if "originate" in c]
        assert len(originates) == 1, originates
    finally:
        successor.stop()
