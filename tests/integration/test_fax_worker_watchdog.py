"""Nothing stuck in "sending", nothing lost: the watchdog reconciles tries whose worker died or
whose FreeSWITCH restarted, and claims stay exclusive under concurrent workers."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from fax.worker import FaxWorker
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


def test_a_try_whose_channel_is_gone_goes_back_to_retrying_on_the_same_rung(world, running, fake_fs):
    job = sent_once(world, running, fake_fs)
    claimed_ago(job, 600)
    assert running.worker.watch() == 1
    db.session.refresh(job)
    assert (job.state, job.ladder_rung, job.line_retries, job.result_text) == ("retrying", 0, 1, jobs.LOST_TEXT)


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
    assert running.worker.watch() == 1


def test_a_fax_survives_its_worker_dying_mid_fax(world, running, fake_fs, fax_app):
    job = sent_once(world, running, fake_fs)
    running.worker.stop()  # the worker is gone; FreeSWITCH restarted too: no channel is left
    claimed_ago(job, 600)
    successor = FaxWorker(fax_app, poll=0.05, watchdog_every=0)
    successor.watch()
    db.session.execute(sa.update(FaxJob).values(next_attempt_at=utcnow()))
    db.session.commit()
    running.worker = successor
    assert running.place() == ["answered"]
    running.esl.send(frames_for("fax-send-t38-success", job.id))
    db.session.refresh(job)
    assert (job.state, job.attempts, job.pages_sent) == ("sent", 2, 2)
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
