"""A small voicemail world for the dialogue and server tests: an account, extension 101 with
its mailbox, a storage folder in a temp dir and a store (emails are only queued: ``World.emails``).

Import the fixtures into a test module: ``from tests.fakes.voicemail_world import vm_app, world``.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from fs_service.audio_storage import Storage
from fs_service.db import db
from fs_service.models import Account, Greeting, Mailbox, MailDelivery, Treatment, VoicemailMessage
from fs_service.voicemail.dialogues import voicemail_script
from fs_service.voicemail.store import VoicemailStore
from tests.factories import make_account, make_extension
from tests.fakes.fake_outbound_apps import write_wav


@dataclass
class World:
    account: Account
    box: Mailbox
    store: VoicemailStore

    @property
    def emails(self) -> list[int]:
        """The voicemail messages whose email is owed (queued deliveries), oldest first."""
        return list(db.session.scalars(sa.select(MailDelivery.source_id).where(MailDelivery.kind == "voicemail")
                                       .order_by(MailDelivery.id)))

    @property
    def domain(self) -> str:
        return self.account.sip_domain

    @property
    def storage(self) -> Storage:
        return self.store.storage

    def script(self):
        return voicemail_script(self.store)

    def deposit_vars(self, box: str = "101", **extra) -> dict:
        return {"pbx_vm_action": "deposit", "pbx_vm_box": box, "pbx_vm_domain": self.domain,
                "pbx_vm_greeting": "unavailable", "pbx_vm_skip_greeting": "false",
                "caller_id_number": "4185551234", "caller_id_name": "Client Inc", **extra}

    def login_vars(self, box: str = "", **extra) -> dict:
        return {"pbx_vm_action": "login", "pbx_vm_box": box, "pbx_vm_domain": self.domain, **extra}

    def messages(self, box: Mailbox | None = None) -> list[VoicemailMessage]:
        db.session.expire_all()
        return list(db.session.scalars(sa.select(VoicemailMessage).where(
            VoicemailMessage.mailbox_id == (box or self.box).id).order_by(VoicemailMessage.id)))

    def greetings(self) -> dict[str, str]:
        db.session.expire_all()
        return {g.kind: g.audio_path for g in db.session.scalars(
            sa.select(Greeting).where(Greeting.mailbox_id == self.box.id))}

    def add_greeting(self, kind: str, seconds: float = 2.0) -> str:
        path = self.storage.new_recording(self.domain, self.box.number, kind)
        write_wav(self.storage.local_path(path), seconds)
        db.session.add(Greeting(mailbox_id=self.box.id, kind=kind, audio_path=path))
        db.session.commit()
        return path

    def add_message(self, folder: str = "new", caller: str = "4185551234", seconds: float = 3.0,
                    box: Mailbox | None = None) -> VoicemailMessage:
        box = box or self.box
        path = self.storage.new_recording(self.domain, box.number, "msg")
        write_wav(self.storage.local_path(path), seconds)
        message = VoicemailMessage(mailbox_id=box.id, folder=folder, caller_number=caller,
                                   duration_seconds=int(seconds), audio_path=path)
        db.session.add(message)
        db.session.commit()
        return message

    def treatment(self, kind: str, **values) -> Treatment:
        row = Treatment(account_id=self.account.id, kind=kind, **values)
        db.session.add(row)
        db.session.commit()
        return row


@pytest.fixture
def vm_app(make_app, tmp_path):
    app = make_app(voicemail_storage=str(tmp_path / "voicemail"))
    with app.app_context():
        yield app


@pytest.fixture
def world(vm_app) -> World:
    account, _ = make_account()
    make_extension(account, "101")
    box = db.session.scalar(sa.select(Mailbox).where(Mailbox.account_id == account.id, Mailbox.number == "101"))
    box.pin = "1234"
    db.session.commit()
    found = World(account, box, None)  # type: ignore[arg-type]
    found.store = VoicemailStore(vm_app)
    return found
