"""Message-waiting lamps (VM-6): counts, event headers, MESSAGE_QUERY, sent only after commit."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from fs_service import voicemail
from fs_service.db import db
from fs_service.models import Mailbox
from fs_service.voicemail import mwi
from fs_service.voicemail.mwi import MwiCounts
from tests.fakes.ivr_caller import Listen, Press, Speak, converse
from tests.fakes.voicemail_world import vm_app, world  # noqa: F401 (fixtures)


@pytest.fixture
def lamps():
    events: list[dict] = []
    mwi.set_sender(events.extend)
    yield events
    mwi.set_sender(None)


@pytest.mark.parametrize("counts,waiting,voice", [(MwiCounts(3, 1), "yes", "3/1 (0/0)"),
                                                   (MwiCounts(0, 2), "no", "0/2 (0/0)")])
def test_headers_as_mod_sofia_reads_them(counts, waiting, voice):
    assert mwi.message_waiting_headers("acme.test", "101", counts) == {
        "MWI-Messages-Waiting": waiting, "MWI-Message-Account": "sip:101@acme.test", "MWI-Voice-Message": voice}


def test_counts_by_domain_and_box(world):
    world.add_message()
    world.add_message(folder="saved")
    assert voicemail.mwi_counts(world.domain.upper(), "101") == MwiCounts(1, 1)
    assert voicemail.mwi_counts(world.domain, "999") is None


def test_message_query_is_answered_from_our_counts(world):
    world.add_message()
    assert voicemail.answer_query(f"sip:101@{world.domain}")["MWI-Voice-Message"] == "1/0 (0/0)"
    assert voicemail.answer_query("sip:101@unknown.example") is None
    assert voicemail.answer_query("garbage") is None


def test_a_burst_of_queries_is_answered_from_one_read(world, lamps):
    from tests.factories import make_account, make_extension

    other, _ = make_account(name="Other", sip_domain="other.test")
    make_extension(other, number="101")
    make_extension(world.account, number="102")  # with its own mailbox
    world.add_message()
    world.add_message(folder="saved")
    world.add_message(box=db.session.scalar(db.select(Mailbox).filter_by(account_id=world.account.id,
                                                                                      number="102")))
    in_transit = world.add_message()
    in_transit.delete_after_email = True  # an email-only message is not in the box
    db.session.commit()
    domain, reads = world.domain, []

    def note(conn, cursor, statement, *rest):
        reads.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        sent = mwi.answer_queries("fs1", [f"sip:101@{domain.upper()}", "sip:101@other.test", None,
                                          f"sip:102@{domain}", f"sip:101@{domain}", "sip:999@x.test"])
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    assert sent == 3 and len(reads) == 1
    assert [(e["MWI-Message-Account"], e["MWI-Voice-Message"]) for e in lamps] == [
        (f"sip:101@{domain}", "1/1 (0/0)"), ("sip:101@other.test", "0/0 (0/0)"), (f"sip:102@{domain}", "1/0 (0/0)")]


def test_a_deposit_lights_the_lamp_after_the_commit(world, lamps):
    converse(world.script(), world.deposit_vars(), [Listen(), Listen(), Speak(4), Listen()])
    assert lamps == [{"MWI-Messages-Waiting": "yes", "MWI-Message-Account": f"sip:101@{world.domain}",
                      "MWI-Voice-Message": "1/0 (0/0)"}]


def test_saving_the_last_new_message_turns_it_off(world, lamps):
    world.add_message()
    converse(world.script(), world.login_vars("101"), [Press("1234#"), Press("1"), Press("2"), Press("*")])
    assert lamps[-1]["MWI-Messages-Waiting"] == "no" and lamps[-1]["MWI-Voice-Message"] == "0/1 (0/0)"


def test_email_only_deposits_leave_the_lamp_alone(world, lamps):
    world.box.email, world.box.email_only = "bob@example.com", True
    db.session.commit()
    converse(world.script(), world.deposit_vars(), [Listen(), Listen(), Speak(4), Listen()])
    assert lamps == []


def test_a_failing_sender_never_fails_the_change(world):
    def broken(events):
        raise RuntimeError("node down")

    mwi.set_sender(broken)
    try:
        world.add_message()
        voicemail.empty_mailbox(world.account, world.box)
        db.session.commit()
    finally:
        mwi.set_sender(None)
    assert world.messages() == []
