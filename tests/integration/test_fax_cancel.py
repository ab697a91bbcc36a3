"""Cancelling a waiting fax (outbox): the sender or an admin, while ``queued`` or ``retrying``;
never while a try is on the line; the worker never places a cancelled fax, and the claim and
the cancel cannot both win (the same conditional UPDATE)."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from fs_service.db import db
from fs_service.fax import queue
from fs_service.models import FaxJob
from tests.factories import make_user
from tests.helpers import until
from tests.integration.test_fax_api import base, bearer
from tests.integration.test_fax_ui import login
from tests.integration.test_fax_worker_support import *  # noqa: F403 (fixtures)


@pytest.fixture
def client(world):
    return world.app.test_client()


@pytest.fixture
def job(world) -> FaxJob:
    return world.submit()


def cancel(client, world, job_id: int, user):
    return client.post(f"{base(world)}/jobs/{job_id}/cancel", headers=bearer(user))


def set_state(job: FaxJob, state: str) -> None:
    db.session.execute(sa.update(FaxJob).where(FaxJob.id == job.id).values(state=state))
    db.session.commit()


def state_of(job: FaxJob) -> str:
    db.session.expire_all()
    return db.session.get(FaxJob, job.id).state


@pytest.mark.parametrize("state", ["queued", "retrying"])
def test_the_sender_cancels_a_waiting_fax_and_no_worker_places_it(world, client, job, state):
    set_state(job, state)
    response = cancel(client, world, job.id, world.sender)
    assert response.status_code == 200 and response.get_json()["state"] == "cancelled"
    assert not queue.has_due() and queue.claim_due(10, "fs1") == [] and not queue.claim(job.id, "fs1")
    assert state_of(job) == "cancelled"


def test_an_admin_cancels_any_fax_of_the_account_a_colleague_cannot(world, client, job):
    colleague = make_user(world.account)
    colleague.can_fax = True
    db.session.commit()
    assert cancel(client, world, job.id, colleague).status_code == 404
    assert cancel(client, world, job.id, world.admin).status_code == 200
    assert state_of(job) == "cancelled"


@pytest.mark.parametrize("state, error_id", [("sending", "fax_sending"), ("sent", "fax_not_cancellable"),
                                             ("failed", "fax_not_cancellable"),
                                             ("cancelled", "fax_not_cancellable")])
def test_a_fax_on_the_line_or_over_cannot_be_cancelled(world, client, job, state, error_id):
    set_state(job, state)
    response = cancel(client, world, job.id, world.sender)
    assert response.status_code == 409 and response.get_json()["error_id"] == error_id
    assert state_of(job) == state


def test_a_claimed_fax_cannot_be_cancelled_and_a_cancelled_one_cannot_be_claimed(world, client):
    first, second = world.submit(), world.submit()
    assert queue.claim(first.id, "fs1")
    db.session.commit()
    refused = cancel(client, world, first.id, world.sender)
    assert refused.status_code == 409 and "being sent right now" in refused.get_json()["message"]
    assert cancel(client, world, second.id, world.sender).status_code == 200
    assert not queue.claim(second.id, "fs1")
    assert (state_of(first), state_of(second)) == ("sending", "cancelled")


def test_a_cancel_racing_an_uncommitted_claim_waits_for_it_and_loses(world, job):
    """Two transactions on the same row: the claim holds it; the cancel waits for the lock
    (PostgreSQL row lock, SQLite database lock) and then finds the job no longer waiting."""
    assert queue.claim(job.id, "fs1")  # not committed: the row stays locked
    result: dict = {}

    def cancel_elsewhere() -> None:
        with world.app.app_context():
            try:
                result["done"] = queue.cancel(job.id)
                db.session.commit()
            finally:
                db.session.remove()

    other = threading.Thread(target=cancel_elsewhere)
    other.start()
    if db.engine.dialect.name == "postgresql":
        until(lambda: db.session.get_bind().connect().execute(sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")).scalar() > 0)
    db.session.commit()
    other.join(timeout=30)
    assert result == {"done": False}
    assert state_of(job) == "sending"


def test_the_outbox_page_offers_cancel_on_waiting_faxes_and_explains_a_refusal(world, job):
    client = login(world.app, world.sender)
    outbox = f"/accounts/{world.account.id}/fax/outbox"
    action = f"{outbox}/{job.id}/cancel"
    assert action in client.get(outbox).text
    set_state(job, "sending")
    assert action not in client.get(outbox).text
    refused = client.post(action, follow_redirects=True)
    assert "Cette télécopie est en cours d&#39;envoi et ne peut plus être annulée." in refused.text
    set_state(job, "retrying")
    done = client.post(action, follow_redirects=True)
    assert "Télécopie vers 15145550105 annulée." in done.text and "Annulée" in done.text
    assert state_of(job) == "cancelled"
