"""The world behind tests/integration/test_tenant_matrix.py and what "changed nothing" means (no
tests here; what the matrix sends is tests/tenant_matrix_bodies.py).

Account A holds one real object of every kind a URL can name (an admin, a plain user with their
own extension, a colleague's extension with its voicemail box and one message, a number with a
schedule exception, a treatment, a menu, a blacklist rule, a softphone, a queued fax with its PDF,
a received fax with its PDF, a gateway reserved to A); account B has an admin and a user.
The URL variables of every route are filled with A's ids from ``World.ids``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from email.message import EmailMessage
from pathlib import Path

import sqlalchemy as sa
from reportlab.lib.pagesizes import LETTER

from fax.storage import FaxStorage
from fs_service import mail_catcher, voicemail
from fs_service.audio_storage import current_storage
from fs_service.blacklist import rules as blacklist
from fs_service.books import contacts as book_contacts, rules as book_rules
from fs_service.conferences import rooms as conference_rooms
from fs_service.db import db
from fs_service.extensions import rules as extensions
from fs_service.models import (ConferenceAttendance, ConferenceSession, FaxJob, Gateway, ReceivedFax, User,
                               VoicemailMessage)
from fs_service.numbers import menus, rules as numbers, schedules, treatments
from fs_service.phones import rules as phone_rules
from tests.factories import make_account, make_extension, make_operator, make_user
from tests.fakes.fake_outbound_apps import write_wav
from tests.unit.test_fax_support import make_pdf

IDENTITIES = ("anonymous", "user_a", "user_b", "admin_b")


@dataclass
class World:
    logins: dict[str, User]
    ids: dict[str, int]
    wav: bytes
    pdf: bytes
    account_name: str
    tokens: dict[str, str] = field(default_factory=dict)
    forms: dict[str, dict] = field(default_factory=dict)  # UI rule -> fields of its own page's form


def build_world() -> World:
    a, admin_a = make_account(sip_domain="a.matrix.test")
    user_a = make_user(a)
    own = make_extension(a, "201", user=user_a)
    admins_own = make_extension(a, "203", user=admin_a)  # click-to-call needs the caller's own phone
    admin_a.can_fax = True  # so the control (A's admin) may send and resend: see the test module
    colleague = make_extension(a, "202")
    box = voicemail.mailbox_of_extension(colleague)
    number = numbers.create_number(a, "+15145550100", label="Main")
    fax_number = numbers.create_number(a, "+15149073401", label="Fax", is_fax=True)
    treatment = treatments.create_treatment(a, kind="extension", extension_id=colleague.id)
    exception = schedules.create_exception(a, number, start_date=date(2026, 6, 24))
    menu = menus.create_menu(a, name="Accueil")
    rule = blacklist.create_rule(a, digits="5145550199")
    phone = extensions.create_softphone(a, colleague, "Laptop")
    gateway = Gateway(name="a-carrier", proxy="sip.a-carrier.test", account_id=a.id)
    db.session.add(gateway)
    db.session.flush()
    message = _message(box, a.sip_domain)
    job, received = _faxes(a, admin_a, fax_number)
    room = conference_rooms.create_room(a, admin_a, {"kind": "permanent", "title": "Matrix room"})
    guest = conference_rooms.add_participant(room, {"name": "Guest", "email": "guest@a.matrix.test"})
    past, live = _conference_sessions(room)
    book = book_rules.create_shared_book(admin_a, a, "Matrix book")  # user_a not given access
    contact = book_contacts.create_contact(admin_a, a, {"phone": "5145550120", "last_name": "Book"}, [book.id])
    desk = phone_rules.add_phone(a, mac="001565aa0001", name="Matrix desk", model="yealink_t46u")
    desk_line = phone_rules.assign(a, desk, colleague.id, 1)  # a colleague's phone: user_a may not open it
    spare_phone = phone_rules.add_phone(a, mac="001565aa0002", name="Matrix spare", model="yealink_t46u")
    unphoned = make_extension(a, "204")  # put on the desk phone by the API control (203 by the UI's)
    b, admin_b = make_account(sip_domain="b.matrix.test")
    user_b = make_user(b)
    make_extension(b, "201", user=user_b)
    db.session.commit()
    ids = dict(account_id=a.id, extension_id=colleague.id, own_extension_id=own.id, mailbox_id=box.id,
               message_id=message.id, number_id=number.id, exception_id=exception.id,
               treatment_id=treatment.id, menu_id=menu.id, rule_id=rule.id, softphone_id=phone.id,
               job_id=job.id, received_id=received.id, user_id=user_a.id, gateway_id=gateway.id,
               fax_number_id=fax_number.id, b_account_id=b.id, room_id=room.id, participant_id=guest.id,
               session_id=past.id, member_id=live.id, book_ref=book.id, contact_id=contact.id,
               phone_id=desk.id, line_id=desk_line.id, spare_phone_id=spare_phone.id,
               spare_extension_id=admins_own.id, unphoned_extension_id=unphoned.id)
    ids.update(_caught_mail())
    ids.update(language="fr", prompt_id="office-closed")  # a shipped prompt: the same for every account
    logins = dict(admin_a=admin_a, user_a=user_a, user_b=user_b, admin_b=admin_b, operator=make_operator())
    return World(logins, ids, _wav_bytes(), make_pdf(LETTER), a.name)


def _conference_sessions(room) -> tuple[ConferenceSession, ConferenceAttendance]:
    """An ended occurrence someone joined (history) and a running one with a caller in it (widget)."""
    now = datetime.now(timezone.utc)
    recording = current_storage().new_recording("a.matrix.test", "conferences", f"room-{room.id}-1")
    write_wav(current_storage().local_path(recording), 1.0)
    past = ConferenceSession(conference_id=room.id, started_at=now, ended_at=now, node="fs1", fs_unique_id="m-1",
                             recording_path=recording)
    running = ConferenceSession(conference_id=room.id, started_at=now, node="fs1", fs_unique_id="m-2")
    db.session.add_all([past, running])
    db.session.flush()
    live = ConferenceAttendance(conference_id=room.id, session_id=running.id, uuid="m-live", member_id=1,
                                joined_at=now, name="Caller")
    db.session.add_all([ConferenceAttendance(conference_id=room.id, session_id=past.id, uuid="m-past", member_id=1,
                                             joined_at=now, left_at=now, name="Caller"), live])
    db.session.flush()
    return past, live


def _message(box, domain: str) -> VoicemailMessage:
    storage = current_storage()
    path = storage.new_recording(domain, box.number, "msg")
    write_wav(storage.local_path(path), 1.0)
    message = VoicemailMessage(mailbox_id=box.id, folder="new", caller_number="4185551234",
                               duration_seconds=1, audio_path=path)
    db.session.add(message)
    db.session.flush()
    return message


def _faxes(account, sender: User, fax_number) -> tuple[FaxJob, ReceivedFax]:
    """A queued fax (cancellable: a missing check would cancel it) and a received one, each with
    its PDF on disk, written straight as rows (the pipeline has its own tests)."""
    storage = FaxStorage.from_settings(_settings())
    storage.prepare()
    storage.write("out/job-a.pdf", make_pdf(LETTER))
    storage.write("in/rx-a.pdf", make_pdf(LETTER))
    job = FaxJob(account_id=account.id, user_id=sender.id, sender_number_id=fax_number.id,
                 destination="5145550105", state="queued", pages_total=1, pdf_path="out/job-a.pdf")
    received = ReceivedFax(account_id=account.id, number_id=fax_number.id, caller_number="4185559999",
                           pages=1, channel_uuid="matrix-rx", pdf_path="in/rx-a.pdf")
    db.session.add_all([job, received])
    db.session.flush()
    return job, received


def _caught_mail() -> dict[str, object]:
    """One email with an attachment in the instance's mail catcher (operator pages, issue 20.3)."""
    message = EmailMessage()
    message["Subject"] = "matrix"
    message.set_content("body")
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="doc.pdf")
    caught = mail_catcher.store(mail_catcher.folder(_settings()), message.as_bytes())
    return {"name": caught.name, "index": 0}


def _settings():
    from flask import current_app

    return current_app.config["PBX"]


def _wav_bytes() -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tone.wav"
        write_wav(path, 1.0)
        return path.read_bytes()


# ---- what "changed nothing" means ---------------------------------------------------------

# Rows every authenticated request may touch (a token's last use); their counts are still compared.
VOLATILE = {"api_tokens"}

def snapshot(instance: Path) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Row counts of every table, a digest of their contents (an UPDATE changes no count), and
    the files (with sizes) under the instance folder. ``metadata.tables`` rather than
    ``sorted_tables``: the order does not matter and the FK cycles make the sort warn."""
    db.session.expire_all()
    tables = sorted(db.metadata.tables.values(), key=lambda t: t.name)
    counts = {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in tables}
    digests = {t.name: hash(repr(db.session.execute(sa.select(t)).all()))  # repr: JSON columns hold dicts
               for t in tables if t.name not in VOLATILE}
    # End the read transaction: on PostgreSQL an open one would hold its locks while the requests
    # run in their own sessions, and the next TRUNCATE of the suite would wait for it forever.
    db.session.rollback()
    files = {}
    for root, _, names in os.walk(instance):
        for name in names:
            path = Path(root) / name
            if path.suffix in (".sqlite3", ".sqlite3-journal", ".mo") or name == "secrets.toml":
                continue
            files[str(path.relative_to(instance))] = path.stat().st_size
    return counts, digests, files
