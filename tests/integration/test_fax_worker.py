"""FAX-5/6 end to end: the worker places queued faxes through the fake FreeSWITCH, the listener
applies the recorded spandsp streams, the ladder decides retries, and the confirmation lands
in a real SMTP server exactly once."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import sqlalchemy as sa

from esl_handlers.fax_worker import FaxWorker
from fs_service.db import db, utcnow
from fs_service.fax import ladder
from fs_service.models import FaxJob
from fs_service.models._columns import as_utc
from tests.integration.test_fax_worker_support import *  # noqa: F403 (fixtures)
from tests.integration.test_fax_worker_support import SUCCESS_UUID, VOICE_LINE_UUID, frames_for, send_fax_mail


def originates(fake) -> list[str]:
    return [c for c in fake.commands if c.startswith("bgapi originate")]


def answer_with(fake, uuid: str) -> None:
    fake.set_reply("originate", f"+OK {uuid}\n")


def make_due(job: FaxJob) -> None:
    db.session.execute(sa.update(FaxJob).where(FaxJob.id == job.id).values(next_attempt_at=utcnow()))
    db.session.commit()


def test_success_stream_marks_the_job_sent_with_two_pages_and_one_confirmation(world, running, fake_fs):
    job = world.submit()
    answer_with(fake_fs, SUCCESS_UUID)
    assert running.place() == ["answered"]
    command = originates(fake_fs)[0]
    assert f"fax_job_id={job.id},pbx_fax_attempt=1,fax_enable_t38=true,fax_enable_t38_request=true" in command
    assert "fax_ident=+15149073401" in command and "fax_header='ACME Inc'" in command
    assert f"sofia/gateway/carrier1/15145550105 &txfax(/var/lib/freeswitch/storage/{job.tiff_path})" in command
    assert (job.state, job.channel_uuid, job.node) == ("sending", SUCCESS_UUID, "fs1")

    running.esl.send(frames_for("fax-send-t38-success", job.id))
    db.session.refresh(job)
    assert (job.state, job.pages_sent, job.pages_total, job.result_code) == ("sent", 2, 2, 0)
    assert (job.remote_station_id, job.duration_seconds) == ("PHONES RIG", 23)
    assert send_fax_mail(world.app.config["PBX"], world.storage) == 1

    running.esl.send(frames_for("fax-send-t38-success", job.id))  # the same stream again
    assert send_fax_mail(world.app.config["PBX"], world.storage) == 0
    db.session.refresh(job)
    assert job.state == "sent" and job.confirmation_sent_at is not None
    [message] = world.smtp.messages
    assert message["To"] == world.sender.email and "Télécopie envoyée" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert "2 / 2" in body and "PHONES RIG" in body and "0:23" in body
    [cover] = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert cover.get_content().startswith(b"%PDF")


def test_page_results_show_progress_while_sending(world, running, fake_fs):
    job = world.submit()
    answer_with(fake_fs, SUCCESS_UUID)
    running.place()
    frames = frames_for("fax-send-t38-success", job.id)
    first_page = next(i for i, (_, body) in enumerate(frames) if b"spandsp%3A%3Atxfaxpageresult" in body
                      or b"spandsp::txfaxpageresult" in body)
    running.esl.send(frames[:first_page + 1])
    db.session.refresh(job)
    assert (job.state, job.pages_sent, job.pages_total) == ("sending", 1, 2)


def test_the_voice_line_stream_moves_the_job_to_the_next_rung(world, running, fake_fs):
    job = world.submit()
    answer_with(fake_fs, VOICE_LINE_UUID)
    running.place()
    running.esl.send(frames_for("fax-send-to-voice-line-fails", job.id))
    db.session.refresh(job)
    assert (job.state, job.ladder_rung, job.line_retries, job.failure_class) == ("retrying", 1, 0, "negotiation")
    assert job.result_text == "Timed out waiting for initial communication"
    assert job.next_attempt_at is not None


def test_after_the_last_rung_the_fax_fails_with_spandsp_reason_and_each_rung_changed_mode(world, running, fake_fs):
    world.fax_number.fax_confirmation_email = False
    db.session.commit()
    job = world.submit()
    answer_with(fake_fs, VOICE_LINE_UUID)
    for rung in range(len(ladder.RUNGS)):
        make_due(job)
        assert running.place() == ["answered"]
        running.esl.send(frames_for("fax-send-to-voice-line-fails", job.id))
    db.session.refresh(job)
    assert (job.state, job.attempts, job.ladder_rung) == ("failed", 4, 3)
    assert job.result_text == "Timed out waiting for initial communication" and job.result_code == 2
    flags = [command.split("}")[0] for command in originates(fake_fs)]
    assert ["fax_enable_t38=true" in f for f in flags] == [True, False, False, False]
    assert ["fax_use_ecm=true" in f for f in flags] == [True, True, False, False]
    assert ["fax_disable_v17=true" in f for f in flags] == [False, False, False, True]
    assert send_fax_mail(world.app.config["PBX"], world.storage) == 0  # confirmation off for this number


def test_an_unregistered_destination_retries_later_without_burning_a_rung(world, running, fake_fs):
    job = world.submit()  # the fake answers originate with -ERR USER_NOT_REGISTERED, as recorded
    assert running.place() == ["retrying"]
    running.esl.send(frames_for("fax-send-unregistered", job.id))
    db.session.refresh(job)
    assert (job.state, job.ladder_rung, job.line_retries, job.result_text) == ("retrying", 0, 1, "USER_NOT_REGISTERED")
    assert as_utc(job.next_attempt_at) - utcnow() > timedelta(minutes=1)


def test_busy_then_no_answer_are_bounded_line_retries(world, running, fake_fs):
    job = world.submit()
    fake_fs.set_reply("originate", "-ERR USER_BUSY\n")
    for _ in range(ladder.MAX_LINE_RETRIES + 1):
        make_due(job)
        running.place()
    db.session.refresh(job)
    assert (job.state, job.ladder_rung, job.line_retries, job.result_text) == ("failed", 0, 5, "USER_BUSY")


def test_ring_time_and_line_retry_waits_come_from_the_settings(world, running, fake_fs, fax_app):
    """PBX_FAX_RING_SECONDS is the originate timeout; PBX_FAX_LINE_RETRY_SECONDS the waits
    between tries of a line nobody answers, and their count bounds those tries."""
    settings = replace(fax_app.config["PBX"], fax_ring_seconds=6, fax_line_retry_seconds="1,1")
    fax_app.config["PBX"] = running.worker.settings = settings
    job = world.submit()
    fake_fs.set_reply("originate", "-ERR NO_ANSWER\n")
    assert running.place() == ["retrying"]
    assert "originate_timeout=6}" in originates(fake_fs)[0]
    db.session.refresh(job)
    assert timedelta(0) < as_utc(job.next_attempt_at) - utcnow() <= timedelta(seconds=1)
    for _ in range(2):
        make_due(job)
        running.place()
    db.session.refresh(job)
    assert (job.state, job.attempts, job.line_retries, job.result_text) == ("failed", 3, 2, "NO_ANSWER")


def test_a_refused_tiff_fails_at_once_and_alerts_the_sender_even_without_confirmation(world, running, fake_fs):
    world.fax_number.fax_confirmation_email = False
    db.session.commit()
    job = world.submit()
    answer_with(fake_fs, SUCCESS_UUID)
    running.place()
    running.esl.inject({"Event-Name": "CUSTOM", "Event-Subclass": "spandsp::txfaxresult", "Unique-ID": SUCCESS_UUID,
                        "variable_fax_job_id": str(job.id), "variable_pbx_fax_attempt": "1", "fax-success": "0",
                        "fax-result-code": "43", "fax-result-text": "TIFF/F format is not compatible"})
    db.session.refresh(job)
    assert (job.state, job.failure_class, job.attempts) == ("failed", "document", 1)
    assert send_fax_mail(world.app.config["PBX"], world.storage) == 1
    [message] = world.smtp.messages
    assert "document refusé" in message["Subject"] and "TIFF/F format is not compatible" in message.get_body(
        ("plain",)).get_content()


def test_a_late_result_of_an_older_try_does_not_move_the_newer_one(world, running, fake_fs):
    job = world.submit()
    answer_with(fake_fs, VOICE_LINE_UUID)
    running.place()
    running.esl.inject({"Event-Name": "CUSTOM", "Event-Subclass": "spandsp::txfaxresult", "Unique-ID": "old",
                        "variable_fax_job_id": str(job.id), "variable_pbx_fax_attempt": "7", "fax-success": "0",
                        "fax-result-code": "49", "fax-result-text": "The call dropped prematurely"})
    db.session.refresh(job)
    assert (job.state, job.ladder_rung) == ("sending", 0)


def test_two_workers_never_place_the_same_try(world, running, fake_fs, fax_app):
    jobs = [world.submit() for _ in range(3)]
    answer_with(fake_fs, SUCCESS_UUID)
    other = FaxWorker(fax_app, poll=0.05)
    import gevent
    greenlets = gevent.joinall([gevent.spawn(running.worker.place_due), gevent.spawn(other.place_due)])
    placed = [g for batch in greenlets for g in batch.value]
    gevent.joinall(placed, timeout=10)
    other.stop()
    commands = originates(fake_fs)
    assert len(commands) == 3 and len({c.split(",")[0] for c in commands}) == 3
    db.session.expire_all()
    assert {j.attempts for j in db.session.scalars(sa.select(FaxJob))} == {1}
    assert len(jobs) == 3


def test_the_started_worker_places_the_fax_and_sends_the_confirmation_on_its_own(world, running, fake_fs, fax_app):
    from esl_handlers.fax_worker import start_fax_worker
    from tests.helpers import until

    job = world.submit()
    answer_with(fake_fs, SUCCESS_UUID)
    greenlets = start_fax_worker(fax_app, poll=0.05, watchdog_every=60)
    try:
        until(lambda: originates(fake_fs), timeout=10)
        until(lambda: db.session.scalar(sa.select(FaxJob.channel_uuid).where(FaxJob.id == job.id)), timeout=10)
        running.esl.send(frames_for("fax-send-t38-success", job.id))
        until(lambda: world.smtp.messages, timeout=10)
    finally:
        import gevent
        gevent.killall(greenlets)
    db.session.expire_all()
    assert db.session.get(FaxJob, job.id).state == "sent" and len(world.smtp.messages) == 1
