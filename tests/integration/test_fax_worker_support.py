"""Helpers shared by the fax worker, receive, UI and API tests (no tests here).

A fax world: an account with a carrier gateway, a fax number with confirmation on, a user with
the fax right, the fax storage in a temporary folder (FreeSWITCH's view of it is the folder the
recordings name, ``/var/lib/freeswitch/storage``), a real SMTP server, and — for the worker
tests — a real ESL listener and the worker against the fake FreeSWITCH.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import gevent
import pytest
from reportlab.lib.pagesizes import A4, LETTER

from esl_handlers.fax_worker import FaxWorker
from fax.storage import FaxStorage
from fs_service import mail_queue
from fs_service.db import db
from fs_service.fax import mailer, sending
from fs_service.models import Account, FaxJob, Gateway, PhoneNumber, User
from fs_service.numbers import rules as numbers
from tests.factories import make_account, make_user
from tests.fakes.fake_freeswitch import FakeFreeSwitch
from tests.helpers import until
from tests.integration.test_esl_listener_support import PASSWORD, Esl, event_frames, script_state, start_listener
from tests.unit.test_fax_support import make_pdf

FS_STORAGE = "/var/lib/freeswitch/storage"  # where the recorded FreeSWITCH kept fax files
SUCCESS_UUID = "b443abb4-6f8a-4714-8eeb-1547fbfe6642"
VOICE_LINE_UUID = "21ed7e25-6319-423e-a9cc-9813b31b832f"
RECEIVED_UUID = "39f43be8-7549-466b-b5a2-e368f2583253"


@dataclass
class FaxWorld:
    app: object
    account: Account
    admin: User
    sender: User
    fax_number: PhoneNumber
    phone_number: PhoneNumber
    storage: FaxStorage
    smtp: object

    def request(self, **overrides) -> sending.FaxRequest:
        values = dict(destination="5145550105", sender_number_id=self.fax_number.id,
                      sender_phone_id=self.phone_number.id, subject="Contrat signé", to_name="John Doe",
                      to_company="Acme inc.", to_phone="514-555-0000", from_name="Chrystiane Gaudet",
                      from_company="Ubity inc.", comments="Voici le contrat.")
        values.update(overrides)
        return sending.FaxRequest(**values)

    def submit(self, *pdfs: bytes, user: User | None = None, **overrides) -> FaxJob:
        """A queued fax through the real pipeline (validation, cover, Ghostscript), committed."""
        docs = [sending.Document(f"doc{i}.pdf", pdf) for i, pdf in enumerate(pdfs or (make_pdf(LETTER),))]
        job = sending.submit(self.account, user or self.sender, self.request(**overrides), docs, self.storage)
        db.session.commit()
        return job


def build_world(app, smtp) -> FaxWorld:
    account, admin = make_account(name="ACME Inc", language="fr")
    db.session.add(Gateway(name="carrier1", proxy="sip.carrier.example"))
    fax_number = numbers.create_number(account, "+15149073401", label="Fax", is_fax=True)
    fax_number.fax_confirmation_email = True
    phone = numbers.create_number(account, "+15145550100", label="Main")
    sender = make_user(account, first_name="Chrystiane", last_name="Gaudet", language="fr")
    sender.can_fax = True
    db.session.commit()
    storage = FaxStorage.from_settings(app.config["PBX"])
    storage.prepare()
    return FaxWorld(app, account, admin, sender, fax_number, phone, storage, smtp)


@pytest.fixture
def fake_fs():
    server = FakeFreeSwitch(password=PASSWORD).start()
    script_state(server)
    yield server
    server.stop()


@pytest.fixture
def fax_app(make_app, tmp_path, fake_fs, smtp_server):
    app = make_app(fax_storage=str(tmp_path / "fax"), fax_fs_storage=FS_STORAGE, smtp_port=smtp_server.port,
                   mail_from="fax@pbx.test", freeswitch_nodes=f"fs1=127.0.0.1:{fake_fs.port}")
    with app.app_context():
        yield app


@pytest.fixture
def world(fax_app, smtp_server) -> FaxWorld:
    return build_world(fax_app, smtp_server)


@dataclass
class Running:
    esl: Esl
    worker: FaxWorker

    def place(self) -> list[str]:
        """One claiming pass; waits for each try's originate verdict."""
        greenlets = self.worker.place_due()
        gevent.joinall(greenlets, timeout=10)
        db.session.expire_all()
        return [g.value for g in greenlets]


@pytest.fixture
def running(fax_app, fake_fs, world):
    listener, lanes = start_listener(fax_app, fake_fs.port)
    until(lambda: listener.connected)
    lanes.wait_idle(5)
    worker = FaxWorker(fax_app, poll=0.05, watchdog_every=0)
    yield Running(Esl(fax_app, fake_fs, listener, lanes), worker)
    worker.stop()
    listener.stop()
    lanes.stop()


def frames_for(scenario: str, job_id: int | None = None, replace: dict[bytes, bytes] | None = None):
    """A recording's frames, its ``job-4x`` fax job id made ours, other bytes replaced."""
    swaps = dict(replace or {})
    if job_id is not None:
        for recorded_id in (b"job-42", b"job-43", b"job-44"):
            swaps[recorded_id] = str(job_id).encode()
    out = []
    for headers, body in event_frames(scenario):
        for old, new in swaps.items():
            body = body.replace(old, new)
        out.append((headers, body))
    return out


def letter_and_a4() -> tuple[bytes, bytes]:
    return make_pdf(LETTER), make_pdf(A4)


def send_fax_mail(settings, storage: FaxStorage) -> int:
    """One pass of the mail queue over the fax kinds, as the fax worker runs it; how many were accepted."""
    return mail_queue.send_due(settings, mailer.mail_kinds(settings.mail_from, storage))


def local_file(world: FaxWorld, relative: str) -> Path:
    return world.storage.local(relative)


__all__ = ["FS_STORAGE", "send_fax_mail", "FaxWorld", "RECEIVED_UUID", "Running", "SUCCESS_UUID", "VOICE_LINE_UUID", "build_world",
           "fake_fs", "fax_app", "frames_for", "letter_and_a4", "local_file", "running", "world"]
