"""The world and the request-making behind tests/integration/test_tenant_matrix.py (no tests here).

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
from html.parser import HTMLParser
from io import BytesIO
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


# ---- what to send -------------------------------------------------------------------------

def fill(rule, ids: dict[str, int]) -> str:
    """The rule's URL with A's ids; a variable the matrix cannot fill is the test's failure."""
    unknown = sorted(set(rule.arguments) - set(ids))
    assert not unknown, (f"{rule.rule} ({rule.endpoint}) has URL variable(s) {unknown} the tenant matrix "
                         "cannot fill: add a real object of account A for it in tests/tenant_matrix_support.py")
    values = dict(ids)
    if rule.endpoint == "fax_admin.save_number" or rule.endpoint == "api_fax_received.update_number":
        values["number_id"] = ids["fax_number_id"]
    return rule.build(values, append_unknown=False)[1]


# Valid API bodies: each would succeed for A's admin, so a missing check is a 2xx, not a 400.
JSON_BODIES: dict[str, dict] = {
    "api_accounts.create_account": dict(name="Evil", sip_domain="evil.matrix.test", admin_email="e@evil.test",
                                        admin_first_name="E", admin_last_name="Vil"),
    "api_blacklist.create_rule": {"digits": "5145550111"},
    "api_blacklist.update_rule": {"digits": "5145550112"},
    "api_blacklist.delete_all_rules": {"confirm": True},
    "api_status.place_call": {"target": "201"},
    "api_extensions.create_extension": {"number": "150"},
    "api_extension_settings.quick_edit": {"extensions": [{"id": "@extension_id", "ring_seconds": 20}]},
    "api_extensions.update_extension": {"caller_id_name": "Hijacked"},
    "api_extension_settings.update_settings": {"ring_seconds": 20},
    "api_softphones.create_softphone": {"label": "Evil laptop"},
    "api_softphones.update_softphone": {"label": "Evil laptop"},
    "api_fax_received.update_number": {"fax_inbound_emails": "evil@evil.test"},
    "api_fax_received.set_right": {"can_fax": True},
    "api_gateways.set_account_gateway": {"gateway_id": None},
    "api_gateways.create_gateway": {"name": "evil", "proxy": "sip.evil.test"},
    "api_gateways.update_gateway": {"proxy": "sip.evil.test"},
    "api_mailboxes.create_mailbox": {"number": "3001"},
    "api_mailboxes.update_mailbox": {"name": "Hijacked"},
    "api_mailboxes.empty_mailbox": {},
    "api_voicemail_messages.move_message": {"folder": "saved"},
    "api_conferences.create_room": {"kind": "permanent", "title": "Evil"},
    "api_conferences.update_room": {"title": "Hijacked"},
    "api_conferences.add_participant": {"name": "Evil", "email": "evil@evil.test"},
    "api_conferences.control_member": {"action": "kick"},
    "api_menus.create_menu": {"name": "Evil"},
    "api_menus.update_menu": {"name": "Evil"},
    "api_menus.set_keys": {"keys": {"1": None}},
    "api_numbers.create_number": {"e164": "+15145550177"},
    "api_numbers.update_number": {"label": "Hijacked"},
    "api_numbers.set_closure_message": {"closure_message_path": None},
    "api_schedules.set_week": {"ranges": [{"weekday": 0, "opens_at": "08:00", "closes_at": "17:00"}]},
    "api_schedules.create_exception": {"start_date": "2026-12-25"},
    "api_schedules.update_exception": {"label": "Hijacked"},
    "api_treatments.create_treatment": {"kind": "hangup"},
    "api_treatments.update_treatment": {"kind": "hangup"},
    "api_two_factor.account_security": {"admins_require_two_factor": True},
    "api_two_factor.enable": {"secret": "JBSWY3DPEHPK3PXP", "code": "123456"},
    "api_two_factor.disable": {"code": "123456"},
    "api_two_factor.recovery_codes": {"code": "123456"},
    "api_books.create_book": {"name": "Evil book"},
    "api_books.rename_book": {"name": "Hijacked"},
    "api_books.set_access": {"user_ids": ["@user_id"]},
    "api_books.create_contact": {"phone": "5145550121", "last_name": "Evil", "books": ["mine"]},
    "api_books.update_contact": {"first_name": "Hijacked"},
    "api_phones.create_phone": {"mac": "00:15:65:AA:00:99", "name": "Evil phone"},
    "api_phones.update_phone": {"name": "Hijacked"},
    "api_phones.assign": {"extension_id": "@unphoned_extension_id", "line_key": 2},
    "api_phones.set_display": {"entries": [{"kind": "company", "position": 1}]},
    "api_phones.copy_display": {"targets": ["@spare_phone_id"], "confirm": True},
}
FAX_FIELDS = dict(destination="5145550105", sender_number_id="@fax_number_id", sender_phone_id="@number_id",
                  subject="Contrat", to_name="John Doe", to_company="Acme", to_phone="514-555-0000",
                  from_name="Eve", from_company="Evil", comments="Bonjour")
QUERIES = {"api_numbers.preview": {"at": "2026-06-22T10:00:00"}}
# multipart uploads: part name -> "wav" or "pdf" (a file), or a plain field
FILE_BODIES = {
    "api_fax.send_fax": {"documents": "pdf", **FAX_FIELDS}, "fax.send": {"documents": "pdf", **FAX_FIELDS},
    "api_menus.upload_greeting": {"file": "wav"}, "api_numbers.upload_closure_message": {"file": "wav"},
    "menus.upload_greeting": {"file": "wav"}, "numbers.upload_closure": {"file": "wav"},
    "api_fax.check_documents": {"documents": "pdf"}, "fax.check_documents": {"documents": "pdf"},
    "api_books.import_contacts": {"file": "csv"}, "books.import_csv": {"file": "csv"},
}
FORM_BODIES: dict[str, dict] = {
    "conferences.wizard.choose_kind": {"kind": "permanent"},
    "conferences.wizard.save_info": {"title": "Evil"},
    "conferences.wizard.edit_participants": {"action": "add", "name": "Evil", "email": "evil@evil.test"},
    "conferences.wizard.edit": {"title": "Hijacked"},
    "conferences.room.add_participant": {"name": "Evil", "email": "evil@evil.test"},
    "conferences.room.control_member": {"action": "kick"},
    "conferences.room.options": {"announce_members": "on"},
    "blacklist.create": {"digits": "5145550113", "action": "block", "match": "equals"},
    "blacklist.edit": {"digits": "5145550112", "action": "block", "match": "equals"},
    "blacklist.delete_all": {"confirm": "y"},
    "extensions.new": {"number": "151", "mode": "none"},
    "menus.new": {"name": "Evil", "timeout_seconds": "5", "repeat_count": "3"},
    "numbers.create": {"e164": "+15145550178"},
    "numbers.save": {"label": "Hijacked", "timezone": "America/Toronto"},
    "number_exceptions.new_exception": {"label": "Evil", "start_date": "2026-12-25", "kind": "all_day"},
    "number_exceptions.edit_exception": {"label": "Evil", "start_date": "2026-12-25", "kind": "all_day"},
    "number_exceptions.create_treatment": {"t_kind": "hangup"},
    "status.call": {"target": "201"},
    "voicemail_messages.move": {"folder": "saved"},
    "extension.create_softphone": {"label": "Evil laptop"},
    "fax_admin.save_number": {"fax_inbound_emails": "evil@evil.test"},
    "fax_admin.save_rights": {"can_fax": "1"},
    "operator.accounts_page": dict(name="Evil UI", sip_domain="evil-ui.matrix.test", admin_email="e-ui@evil.test",
                                   admin_first_name="E", admin_last_name="Vil"),
    "voicemail.new": {"number": "3002", "name": "Evil"},
    "gateways.gateways_page": {"name": "evil-ui", "proxy": "sip.evil.test"},
    "gateways.edit_page": {"name": "a-carrier", "proxy": "sip.evil.test"},
    "gateways.account_gateway": {"gateway_id": ""},
    "books.new_book": {"name": "Evil UI book"},
    "books.new_contact": {"phone": "5145550122", "last_name": "Evil", "books": "mine"},
    "books.access": {"user_ids": "@user_id"},
    "books.rename": {"name": "Hijacked"},
    "books.edit_contact": {"phone": "5145550120", "first_name": "Hijacked"},
    "phones.create": {"mac": "00:15:65:AA:00:98", "name": "Evil UI phone"},
    "phones.update": {"name": "Hijacked", "model": "yealink_t46u", "timezone": "America/Toronto"},
    "phones.assign": {"extension_id": "@spare_extension_id", "line_key": "3"},
    "phones_display.save": {"count": "1", "kind-0": "company", "position-0": "1", "action": "save"},
    "phones_display.add": {"kind": "extension", "ref": "@extension_id"},
    "phones_display.copy": {"targets": "@spare_phone_id", "confirm": "on"},
}


def request_kwargs(world: World, rule, method: str, identity_headers: dict) -> dict:
    """Headers and body for one call: JSON for the API, form fields for the UI (CSRF is off in
    the test app, so a form without its token is *more* likely to get through a missing check)."""
    endpoint = rule.endpoint
    kwargs: dict = {"headers": identity_headers, "query_string": _resolved(QUERIES.get(endpoint, {}), world.ids)}
    if method in ("GET", "DELETE"):
        return kwargs
    if endpoint in FILE_BODIES:
        kwargs.update(data=_multipart(world, _resolved(FILE_BODIES[endpoint], world.ids)),
                      content_type="multipart/form-data")
    elif rule.rule.startswith("/api/"):
        if endpoint in JSON_BODIES:
            kwargs["json"] = _resolved(JSON_BODIES[endpoint], world.ids)
    else:
        kwargs["data"] = _resolved({**world.forms.get(rule.rule, {}), **FORM_BODIES.get(endpoint, {})}, world.ids)
    return kwargs


def learn_bodies(world: World, client, headers: dict, rules) -> None:
    """Bodies read back from A's admin before the matrix runs: a UI form posted to the page that
    shows it gets that page's own fields (as a browser would send them unchanged), and the settings
    PUT gets the settings as they are."""
    for rule in rules:
        if rule.rule.startswith("/api/") or "POST" not in rule.methods:
            continue
        page_rule = next((r for r in rules if r.rule == rule.rule and "GET" in r.methods), None)
        if page_rule is None:
            continue
        url = fill(rule, world.ids)
        page = client.get(url, headers={})
        if page.status_code == 200 and page.mimetype == "text/html":
            world.forms[rule.rule] = form_fields(page.get_data(as_text=True), url)
    put = "api_extension_settings.replace_settings"
    url = f"/api/v1/accounts/{world.ids['account_id']}/extensions/{world.ids['extension_id']}/settings"
    current = client.get(url, headers=headers).get_json()
    JSON_BODIES[put] = {k: v for k, v in current.items() if k not in ("id", "number", "warnings")}


class _FormParser(HTMLParser):
    def __init__(self, action: str):
        super().__init__()
        self.action, self.forms, self.current, self.select = action, [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "option" and self.current is not None and self.select:
            if "selected" in a or self.select not in self.current:
                self.current[self.select] = a.get("value", "")
        elif tag == "form" and (a.get("method") or "get").lower() == "post":
            self.current = {"_action": a.get("action") or self.action}
            self.forms.append(self.current)
        elif self.current is None or not a.get("name"):
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.current.setdefault(a["name"], a.get("value") or "")
        elif tag == "textarea":
            self.current.setdefault(a["name"], "")
        elif tag == "select":
            self.select = a["name"]

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def form_fields(html: str, url: str) -> dict:
    """The fields of the page's POST form that targets ``url`` (or the first POST form)."""
    parser = _FormParser(url)
    parser.feed(html)
    forms = [f for f in parser.forms if f["_action"].split("#")[0] == url] or parser.forms[:1]
    return {k: v for k, v in (forms[0] if forms else {}).items() if k != "_action"}


def _multipart(world: World, parts: dict) -> dict:
    files = {"wav": (world.wav, "tone.wav"), "pdf": (world.pdf, "doc.pdf"),
             "csv": (b"phone,first_name\n5145550123,Eve\n", "contacts.csv")}
    return {name: (BytesIO(files[value][0]), files[value][1]) if value in files else value
            for name, value in parts.items()}


def _resolved(value, ids: dict[str, int]):
    """``"@number_id"`` in a body is A's real id (bodies are written before the world exists)."""
    if isinstance(value, str) and value.startswith("@"):
        return ids[value[1:]]
    if isinstance(value, dict):
        return {k: _resolved(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolved(v, ids) for v in value]
    return value
