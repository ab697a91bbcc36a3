"""Nothing stuck in "sending", nothing lost: the watchdog reconciles tries whose worker died or
whose FreeSWITCH restarted, and claims stay exclusive under concurrent workers."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from esl_handlers.fax_worker import FaxWorker
from fs_service.db import db, utcnow
from fs_service.fax import jobs, queue
from fs_service.models import FaxJob
from tests.integration.test_esl_listener_support import script_state
from tests.integration.test_fax_worker_support import *  # noqa: F403 (fixtures)
from tests.integration.test_fax_worker_support import FS_STORAGE, SUCCESS_UUID, frames_for


def claimed_ago(job: FaxJob, seconds: float, **values) -> None:
    db.session.execute(sa.update(FaxJob).where(FaxJob.id == job.id)
                       .values(claimed_at=utcnow() - timedelta(seconds=seconds), **values))
    db.session.commit()
    db.session.expire_all()


def channel(uuid: str, application: str = "txfax", data: str = "") -> dict:
    return {"uuid": uuid, "direction": "outbound", "name": "sofia/external/15145550105", "state": "CS_EXECUTE",
            "application": application, "application_data": data}


def sent_once(world, running, fake_fs) -> FaxJob:
    job = world.submit()
    fake_fs.set_reply("originate", f"+OK {SUCCESS_UUID}\n")
    running.place()
    return job


def test_a_try_whose_channel_is_gone_is_not_retried_but_awaits_the_switch_record(world, running, fake_fs):
    """Issue 16: the fax may have been delivered while nobody listened (tests/integration/test_fax_outcomes.py)."""
    job = sent_once(world, running, fake_fs)
    claimed_ago(job, 600)
    assert running.worker.watch() == 1
    db.session.refresh(job)
    assert (job.state, job.ladder_rung, job.line_retries, job.result_text) == ("sending", 0, 0, None)
    assert job.outcome_due_by is not None and running.place() == []


def test_a_try_still_running_on_freeswitch_is_left_alone(world, running, fake_fs):
    job = sent_once(world, running, fake_fs)
    claimed_ago(job, 600)
    script_state(fake_fs, channels=[channel(SUCCESS_UUID, data=f"{FS_STORAGE}/{job.tiff_path}")])
    assert running.worker.watch() == 0
    db.session.refresh(job)
    assert job.state == "sending"


def test_a_lost_originate_reply_is_recovered_from_the_live_txfax_channel(world, running, fake_fs):
    job = world.submit()
    fake_fs.set_reply("originate", lambda cmd: b"")  # FreeSWITCH never says (the worker times out)
    assert queue.claim(job.id, "fs1") and not db.session.commit()
    claimed_ago(job, 600)
    script_state(fake_fs, channels=[channel("0a1b", application="park"),
                                    channel(SUCCESS_UUID, data=f"{FS_STORAGE}/{job.tiff_path}")])
    running.worker.watch()
    db.session.refresh(job)
    assert (job.state, job.channel_uuid) == ("sending", SUCCESS_UUID)
    running.esl.send(frames_for("fax-send-t38-success", job.id))
    db.session.refresh(job)
    assert (job.state, job.pages_sent) == ("sent", 2)


def test_a_recent_claim_without_channel_may_still_be_ringing(world, running, fake_fs):
    job = world.submit()
    assert queue.claim(job.id, "fs1") and not db.session.commit()
    claimed_ago(job, 60)
    assert running.worker.watch() == 0


def test_a_node_that_cannot_be_asked_is_waited_for_then_given_up(world, running, fake_fs):
    job = world.submit()
    assert queue.claim(job.id, "gone-node") and not db.session.commit()
    claimed_ago(job, 600, channel_uuid="x")
    assert running.worker.watch() == 0
    claimed_ago(job, 3 * 3600)
    assert running.worker.watch() == 1  # given up on the node: its record is awaited, nothing resent
    db.session.refresh(job)
    assert (job.state, job.attempts) == ("sending", 1) and job.outcome_due_by is not None


def test_a_fax_whose_worker_died_mid_fax_is_shown_unknown_when_no_record_comes(world, running, fake_fs, fax_app):
    """The worker is gone and FreeSWITCH restarted too (no channel, and no record: a restarting
    switch posts none). The successor waits for a record, then shows the outcome as unknown;
    it never dials again on its own (the sender decides)."""
    job = sent_once(world, running, fake_fs)
    running.worker.stop()
    claimed_ago(job, 600)
    successor = FaxWorker(fax_app, poll=0.05, watchdog_every=0)
    running.worker = successor
    try:
        assert successor.watch() == 1
        db.session.execute(sa.update(FaxJob).values(outcome_due_by=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        assert successor.watch() == 1 and running.place() == []
        db.session.refresh(job)
        assert (job.state, job.attempts, job.result_text) == ("unknown", 1, jobs.UNKNOWN_TEXT)
        running.esl.send(frames_for("fax-send-t38-success", job.id))  # a late result event still counts
        db.session.refresh(job)
        assert (job.state, job.attempts, job.pages_sent) == ("sent", 1, 2)
    finally:
        successor.stop()


def test_a_claim_is_exclusive(world):
    job = world.submit()
    assert queue.claim(job.id, "fs1") is True
    assert queue.claim(job.id, "fs2") is False
    db.session.commit()


def test_postgresql_workers_skip_rows_another_worker_is_claiming(world):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("FOR UPDATE SKIP LOCKED is PostgreSQL's")
    first, second = world.submit(), world.submit()
    with db.engine.connect() as other:
        locked = other.execute(sa.select(FaxJob.id).where(FaxJob.id == first.id).with_for_update()).scalar()
        assert locked == first.id
        assert queue.due_ids(10) == [second.id]
        db.session.rollback()
        other.rollback()
    assert queue.due_ids(10) == [first.id, second.id]
