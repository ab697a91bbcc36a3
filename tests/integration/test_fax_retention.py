"""Fax file retention (PBX_FAX_RETENTION_DAYS, default 90): the worker's sweep deletes the
real files of faxes over and older than the limit, keeps the rows marked "files purged", never
touches a fax still on its way; downloads then say why they are gone. A fake clock moves time."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from reportlab.lib.pagesizes import LETTER

from esl_handlers.fax_worker import FaxWorker
from fs_service.db import db, utcnow
from fs_service.fax import retention
from fs_service.models import FaxJob, ReceivedFax
from fs_service.models._columns import as_utc
from tests.integration.test_fax_api import base, bearer
from tests.integration.test_fax_receive import fax_machine_tiff
from tests.integration.test_fax_ui import login
from tests.integration.test_fax_worker_support import *  # noqa: F403 (fixtures)
from tests.unit.test_fax_support import make_pdf


def test_the_default_is_90_days(world):
    assert world.app.config["PBX"].fax_retention_days == 90


def job_files(world, job: FaxJob) -> list:
    return [world.storage.local(p) for p in (job.tiff_path, job.pdf_path, job.pdf_path[:-4] + "-cover.pdf")]


def received_fax(world) -> ReceivedFax:
    """A received fax as the worker leaves it: the TIFF rxfax wrote, its PDF and preview."""
    tiff = world.storage.local("in/rx-1-old.tif")
    world.storage.write("in/rx-1-old.tif", b"")
    fax_machine_tiff(tiff, make_pdf(LETTER), "204x98")
    row = ReceivedFax(account_id=world.account.id, number_id=world.fax_number.id, caller_number="4185559999",
                      pages=1, channel_uuid="old", tiff_path="in/rx-1-old.tif")
    db.session.add(row)
    db.session.commit()
    assert FaxWorker(world.app).convert_received() == 1
    db.session.refresh(row)
    return row


def sweep_at(world, moment) -> retention.Purged:
    worker = FaxWorker(world.app, clock=lambda: moment)
    try:
        return worker.sweep()
    finally:
        worker.stop()


def exists(paths) -> list[bool]:
    return [p.is_file() for p in paths]


def test_files_of_finished_faxes_go_after_the_limit_the_rows_stay(world):
    sent, failed, cancelled, waiting = (world.submit() for _ in range(4))
    for job, state in ((sent, "sent"), (failed, "failed"), (cancelled, "cancelled"), (waiting, "retrying")):
        job.state = state
    db.session.commit()
    received = received_fax(world)
    received_paths = [world.storage.local(p) for p in (received.tiff_path, received.pdf_path,
                                                       world.storage.thumbnail_of(received.pdf_path))]
    all_jobs = (sent, failed, cancelled, waiting)
    assert all(all(exists(job_files(world, j))) for j in all_jobs) and all(exists(received_paths))
    created = as_utc(sent.created_at)

    assert sweep_at(world, created + timedelta(days=89)) == retention.Purged(0, 0)
    assert all(exists(job_files(world, sent)))

    assert sweep_at(world, created + timedelta(days=91)) == retention.Purged(3, 1)
    db.session.expire_all()
    for job in (sent, failed, cancelled):
        assert exists(job_files(world, job)) == [False, False, False]
        assert job.files_purged_at is not None and job.pdf_path  # history kept
    assert all(exists(job_files(world, waiting))) and waiting.files_purged_at is None  # still on its way
    assert exists(received_paths) == [False, False, False] and received.files_purged_at is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FaxJob)) == 4

    assert sweep_at(world, created + timedelta(days=200)) == retention.Purged(0, 0)  # each row once


def test_zero_days_keeps_everything(world):
    job = world.submit()
    job.state = "sent"
    db.session.commit()
    assert retention.purge_expired(world.storage, 0, utcnow() + timedelta(days=3650)) == retention.Purged(0, 0)
    assert all(exists(job_files(world, job)))


def test_purged_faxes_say_why_they_cannot_be_downloaded_or_sent_again(world):
    job = world.submit()
    job.state = "sent"
    db.session.commit()
    received = received_fax(world)
    sweep_at(world, utcnow() + timedelta(days=91))
    client, headers = world.app.test_client(), bearer(world.sender)
    for url in (f"{base(world)}/jobs/{job.id}/pdf", f"{base(world)}/received/{received.id}/pdf",
                f"{base(world)}/received/{received.id}/thumbnail"):
        response = client.get(url, headers=headers)
        assert response.status_code == 410 and response.get_json()["error_id"] == "fax_files_purged", url
    again = client.post(f"{base(world)}/jobs/{job.id}/resend", headers=headers)
    assert again.status_code == 410
    listed = client.get(f"{base(world)}/jobs/{job.id}", headers=headers).get_json()
    assert listed["files_purged_at"] is not None and listed["state"] == "sent"
    [row] = client.get(f"{base(world)}/received", headers=headers).get_json()
    assert row["ready"] is False and row["files_purged_at"] is not None
    page = login(world.app, world.sender)
    for tab in ("outbox", "inbox"):
        text = page.get(f"/accounts/{world.account.id}/fax/{tab}").text
        assert "Pages supprimées après la durée de conservation" in text, tab


def test_the_limit_comes_from_the_settings(make_app, tmp_path, fake_fs, smtp_server):
    from tests.integration.test_fax_worker_support import build_world
    days = 30
    app = make_app(fax_storage=str(tmp_path / "fax"), fax_retention_days=days,
                   freeswitch_nodes=f"fs1=127.0.0.1:{fake_fs.port}")
    with app.app_context():
        world = build_world(app, smtp_server)
        job = world.submit()
        job.state = "failed"
        db.session.commit()
        created = as_utc(job.created_at)
        assert sweep_at(world, created + timedelta(days=days - 1)).jobs == 0
        assert sweep_at(world, created + timedelta(days=days + 1)).jobs == 1
