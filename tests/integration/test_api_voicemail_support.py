"""A voicemail site shared by the mailbox UI and API tests (no tests here; named test_api_* to
live beside them): two tenants, a user with their own extension, a colleague's extension, a
standalone box, recordings written into a temporary voicemail storage, and a recording MWI
sender (the lamps FreeSWITCH would be told about, after each commit).

Import into a test module: ``from tests.integration.test_api_voicemail_support import app, site, lamps``.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from fs_service import voicemail
from fs_service.audio_storage import current_storage
from fs_service.db import db
from fs_service.models import Account, Greeting, Mailbox, User, VoicemailMessage
from fs_service.voicemail import mwi
from tests.factories import make_account, make_extension, make_user
from tests.fakes.fake_outbound_apps import write_wav


@dataclass
class Site:
    account: Account
    admin: User
    user: User
    own: Mailbox  # box of extension 201, assigned to ``user``
    colleague: Mailbox  # box of extension 202, not the user's
    general: Mailbox  # standalone 3000
    other: Account
    other_admin: User
    foreign: Mailbox  # box of extension 301 in the other account


@pytest.fixture
def app(make_app, tmp_path):
    """Overrides the shared ``app``: recordings go to a temporary voicemail storage."""
    app = make_app(voicemail_storage=str(tmp_path / "voicemail"))
    with app.app_context():
        yield app


@pytest.fixture
def site(app) -> Site:
    account, admin = make_account(sip_domain="a.example.com")
    user = make_user(account)
    own = voicemail.mailbox_of_extension(make_extension(account, "201", user=user))
    colleague = voicemail.mailbox_of_extension(make_extension(account, "202"))
    general = voicemail.create_mailbox(account, number="3000", name="Boîte vocale générale", pin="4321")
    other, other_admin = make_account(sip_domain="b.example.com")
    foreign = voicemail.mailbox_of_extension(make_extension(other, "301"))
    db.session.commit()
    return Site(account, admin, user, own, colleague, general, other, other_admin, foreign)


@pytest.fixture
def lamps():
    """MWI events as FreeSWITCH would receive them (sent only after a commit)."""
    events: list[dict] = []
    mwi.set_sender(events.extend)
    yield events
    mwi.set_sender(None)


def _recording(box: Mailbox, kind: str, seconds: float) -> str:
    storage = current_storage()
    domain = db.session.get(Account, box.account_id).sip_domain
    path = storage.new_recording(domain, box.number, kind)
    write_wav(storage.local_path(path), seconds)
    return path


def add_message(box: Mailbox, folder: str = "new", caller: str = "4185551234",
                seconds: float = 1.0) -> VoicemailMessage:
    message = VoicemailMessage(mailbox_id=box.id, folder=folder, caller_number=caller,
                               duration_seconds=int(seconds), audio_path=_recording(box, "msg", seconds))
    db.session.add(message)
    db.session.commit()
    return message


def add_greeting(box: Mailbox, kind: str = "temporary") -> str:
    path = _recording(box, kind, 0.5)
    db.session.add(Greeting(mailbox_id=box.id, kind=kind, audio_path=path))
    db.session.commit()
    return path


def file_of(fs_path: str):
    return current_storage().local_path(fs_path)


def messages_of(box: Mailbox) -> list[VoicemailMessage]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(VoicemailMessage).where(VoicemailMessage.mailbox_id == box.id)))


def greetings_of(box: Mailbox) -> dict[str, str]:
    db.session.expire_all()
    return {g.kind: g.audio_path for g in db.session.scalars(sa.select(Greeting).where(Greeting.mailbox_id == box.id))}


def box_state(box_id: int) -> tuple | None:
    """Every stored field of a box, to prove a refused change stored nothing."""
    db.session.expire_all()
    box = db.session.get(Mailbox, box_id)
    if box is None:
        return None
    return tuple(getattr(box, name) for name in (
        "number", "name", "pin", "max_message_seconds", "max_messages", "email", "email_only",
        "key0_treatment_id", "star_treatment_id", "extension_id"))


def box_numbers(account: Account) -> list[str]:
    db.session.expire_all()
    return [usage.mailbox.number for usage in voicemail.list_mailboxes(account)]
