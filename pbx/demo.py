"""The demo account printed by ``make run``: an operator, the "Acme" company, a few people, and
something to look at in every feature (issue 20.2): a company number with business hours (a
lunch closure) and a yearly holiday, answered by a welcome menu; a fax number the admin may
fax from; a blacklist rule; a voicemail message with real (generated) audio in Alice's box.
The status page fills as soon as a phone registers with the printed SIP login.

Everything is made through the core's functions (the same checks as the UI and the API), and
looked up by a natural key first: running ``pbx demo`` again only renews the passwords.
"""
from __future__ import annotations

import math
import secrets
import shutil
import subprocess
import wave
from array import array
from datetime import date, time
from pathlib import Path

import sqlalchemy as sa

from fs_service.accounts import rules as accounts
from fs_service.accounts.login import hash_password
from fs_service.audio_storage import Storage
from fs_service.blacklist import rules as blacklist
from fs_service.conferences import rooms as conference_rooms
from fs_service.db import db
from fs_service.extensions import rules as extensions
from fs_service.extensions.rules import Assignment
from fs_service.fax import rights as fax_rights
from fs_service.models import Account, Conference, Extension, PhoneNumber, User, VoicemailMessage, WelcomeMenu
from fs_service.numbers import menus, rules as numbers, schedules, treatments
from fs_service.voicemail import mailboxes, messages as voicemail_messages

DOMAIN = "acme.test"
PEOPLE = (("100", "Alice", "Tremblay", "alice@acme.test"), ("101", "Bruno", "Gagnon", "bruno@acme.test"),
          ("102", "Chloé", "Roy", "chloe@acme.test"))


def _fresh_password(user: User) -> str:
    password = secrets.token_urlsafe(9)
    user.password_hash = hash_password(password)
    return password


def _ensure_account() -> tuple[Account, User]:
    account = db.session.scalar(sa.select(Account).where(Account.sip_domain == DOMAIN))
    if account is None:
        return accounts.create_account(name="Acme", sip_domain=DOMAIN, language="fr",
                                       admin_email="admin@acme.test", admin_first_name="Adèle",
                                       admin_last_name="Admin")
    return account, accounts.find_user_by_email("admin@acme.test")


def _ensure_people(account: Account) -> list[Extension]:
    result = []
    for number, first, last, email in PEOPLE:
        ext = db.session.scalar(sa.select(Extension).where(Extension.account_id == account.id,
                                                           Extension.number == number))
        if ext is None:
            ext, _ = extensions.create_extension(account, number=number, assignment=Assignment(
                mode="new_user", first_name=first, last_name=last, email=email))
        result.append(ext)
    return result


COMPANY_NUMBER, FAX_NUMBER = "+15145550100", "+15145550199"
MENU_NAME = "Accueil Acme"
HOLIDAY = "Noël"
BLOCKED_PREFIX = "1900"  # premium-rate callers
DEMO_CALLER = ("+15145550123", "Client Démo")
MESSAGE_TEXT = "Bonjour Alice, ici un client de démonstration. Rappelez-moi au 514 555 0123. Merci!"
OPEN_HOURS = ((time(9), time(12)), (time(13), time(17)))  # Monday to Friday, closed for lunch
ROOM_TITLE = "Réunion d'équipe"


def _ensure_menu(account: Account, exts: list[Extension]) -> WelcomeMenu:
    """Key 1 rings Alice, key 2 Bruno; silence rings Alice too; callers may dial an extension."""
    found = next((m for m in menus.list_menus(account) if m.name == MENU_NAME), None)
    if found is not None:
        return found
    ring = {ext.number: treatments.create_treatment(account, kind="extension", extension_id=ext.id) for ext in exts}
    menu = menus.create_menu(account, name=MENU_NAME, timeout_treatment_id=ring["100"].id)
    menus.set_menu_keys(account, menu, {"1": ring["100"].id, "2": ring["101"].id})
    return menu


def _ensure_company_number(account: Account, menu: WelcomeMenu, alice: Extension) -> PhoneNumber:
    """Open hours → the welcome menu; closed (nights, week-ends, Christmas) → Alice's voicemail."""
    number = numbers.find_number(COMPANY_NUMBER)
    if number is None:
        number = numbers.create_number(account, COMPANY_NUMBER, label="Accueil")
        box = mailboxes.mailbox_of_extension(alice)
        numbers.update_number(account, number, {
            "open_treatment_id": treatments.create_treatment(account, kind="menu", menu_id=menu.id).id,
            "closed_treatment_id": treatments.create_treatment(account, kind="mailbox", mailbox_id=box.id).id})
        schedules.set_week(account, number, [dict(weekday=day, opens_at=opens, closes_at=closes)
                                             for day in range(5) for opens, closes in OPEN_HOURS])
    if not any(exc.label == HOLIDAY for exc in schedules.list_exceptions(account, number)):
        schedules.create_exception(account, number, label=HOLIDAY, start_date=date(date.today().year, 12, 25),
                                   kind="all_day", repeat_yearly=True)
    return number


def _ensure_fax(account: Account, operator: User, admin: User) -> PhoneNumber:
    number = numbers.find_number(FAX_NUMBER) or numbers.create_number(account, FAX_NUMBER, label="Fax", is_fax=True)
    fax_rights.set_fax_right(operator, account, admin.id, True)
    return number


def _ensure_blacklist(account: Account) -> None:
    if not blacklist.list_rules(account, BLOCKED_PREFIX):
        blacklist.create_rule(account, action="block", match="starts_with", digits=BLOCKED_PREFIX)


def _ensure_room(account: Account, admin: User) -> Conference:
    """A permanent conference room: dial 8300, its room number, then its code."""
    found = db.session.scalar(sa.select(Conference).where(Conference.account_id == account.id,
                                                          Conference.title == ROOM_TITLE))
    return found or conference_rooms.create_room(account, admin, {"kind": "permanent", "title": ROOM_TITLE})


def _speech(path: Path) -> float:
    """The message read by espeak-ng (installed by ``make run``), else a short tone: seconds."""
    if shutil.which("espeak-ng"):
        subprocess.run(["espeak-ng", "-v", "fr", "-s", "150", "-w", str(path), MESSAGE_TEXT],
                       check=True, timeout=60, capture_output=True)
    else:
        rate = 8000
        samples = array("h", (int(8000 * math.sin(2 * math.pi * 440 * n / rate)) for n in range(rate * 2)))
        with wave.open(str(path), "wb") as audio:
            audio.setnchannels(1)
            audio.setsampwidth(2)
            audio.setframerate(rate)
            audio.writeframes(samples.tobytes())
    with wave.open(str(path), "rb") as audio:
        return audio.getnframes() / audio.getframerate()


def _ensure_voicemail(settings, account: Account, alice: Extension) -> None:
    box = mailboxes.mailbox_of_extension(alice)
    if box is None or db.session.scalar(sa.select(VoicemailMessage.id).where(
            VoicemailMessage.mailbox_id == box.id, VoicemailMessage.caller_number == DEMO_CALLER[0]).limit(1)):
        return
    storage = Storage.from_settings(settings)
    fs_path = storage.new_recording(account.sip_domain, box.number, "msg")
    seconds = _speech(storage.local_path(fs_path))
    voicemail_messages.record_message(box, fs_path, seconds, caller_number=DEMO_CALLER[0], caller_name=DEMO_CALLER[1])


def seed(settings) -> list[str]:
    """Create what is missing and give every demo login a new password (shown once)."""
    operator = accounts.find_user_by_email("operator@pbx.local") or accounts.create_user(
        None, email="operator@pbx.local", first_name="Opérateur", role="operator")
    account, admin = _ensure_account()
    exts = _ensure_people(account)
    menu = _ensure_menu(account, exts)
    _ensure_company_number(account, menu, exts[0])
    _ensure_fax(account, operator, admin)
    _ensure_blacklist(account)
    _ensure_voicemail(settings, account, exts[0])
    room = _ensure_room(account, admin)
    logins = [(operator, _fresh_password(operator)), (admin, _fresh_password(admin))]
    logins += [(ext.user, _fresh_password(ext.user)) for ext in exts if ext.user]
    db.session.commit()
    url = settings.resolved_public_url
    lines = [f"Demo ready: open {url}/ and log in with one of:"]
    lines += [f"  {user.role:<8} {user.email:<22} password: {password}" for user, password in logins]
    first = exts[0]
    lines.append(f"SIP phone for extension {first.number}: user {first.number}, domain {DOMAIN}, "
                 f"server {settings.resolved_sip_server}:{settings.sip_port}, password {first.sip_password}")
    lines.append(f"Company number {COMPANY_NUMBER} (welcome menu \"{MENU_NAME}\", weekdays 9–12 and 13–17, "
                 f"closed on Christmas), fax number {FAX_NUMBER}, a voicemail message for Alice, "
                 f"conference room {room.room_number} (dial 8300, code {room.access_code})")
    return lines
