"""The outbox releases FreeSWITCH side effects only after a commit (no Flask, no socket)."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from fs_service import outbox


@pytest.fixture
def sent():
    released: list = []
    outbox.set_dispatcher(lambda intents: released.extend(intents))
    yield released
    outbox.set_dispatcher(None)


@pytest.fixture
def session():
    engine = sa.create_engine("sqlite://")
    with Session(engine) as s:
        s.execute(sa.text("SELECT 1"))
        yield s


FLUSH = outbox.FlushDirectoryUser("101", "acme.test")


def test_intents_are_released_after_commit_once_and_deduplicated(session, sent):
    outbox.queue(session, FLUSH)
    outbox.queue(session, FLUSH)
    assert sent == []
    session.commit()
    assert sent == [FLUSH]
    session.execute(sa.text("SELECT 1"))
    session.commit()
    assert sent == [FLUSH]


def test_rollback_drops_the_intents(session, sent):
    outbox.queue(session, FLUSH)
    session.rollback()
    session.execute(sa.text("SELECT 1"))
    session.commit()
    assert sent == []


def test_closing_without_commit_drops_the_intents(session, sent):
    outbox.queue(session, FLUSH)
    session.close()
    session.execute(sa.text("SELECT 1"))
    session.commit()
    assert sent == []


def test_a_failing_dispatcher_never_breaks_the_commit(session):
    def boom(intents):
        raise RuntimeError("node exploded")

    outbox.set_dispatcher(boom)
    try:
        outbox.queue(session, FLUSH)
        session.commit()  # must not raise
    finally:
        outbox.set_dispatcher(None)


def test_intents_survive_a_round_trip_through_storage():
    intent = outbox.CheckSync("101", "acme.test")
    assert outbox.intent_from_dict(outbox.intent_to_dict(intent)) == intent
